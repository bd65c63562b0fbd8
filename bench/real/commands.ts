/** Wall-clock timing of whole commands (each a fresh process, as an editor, a hook or a user runs it). */
import { spawnSync } from "node:child_process";

/** One command run. */
export interface CommandRun {
  readonly wallMs: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` once in `cwd` and times it. */
export function runCommand(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CommandRun {
  const start = process.hrtime.bigint();
  const child = spawnSync(command, [...args], { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.error) throw child.error;
  return { wallMs, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A warm-up run (file caches, not counted), then `runs` timed runs; every run must exit with one of `expect`. */
export function timeCommand(command: string, args: readonly string[], cwd: string, runs: number, expect: readonly number[] = [0], env?: NodeJS.ProcessEnv): CommandRun[] {
  const out: CommandRun[] = [];
  for (let r = 0; r <= runs; r++) {
    const run = runCommand(command, args, cwd, env);
    if (run.status === null || !expect.includes(run.status)) {
      throw new Error(`${command} ${args.join(" ")} exited ${run.status} (expected ${expect.join(" or ")}):\n${run.stderr.slice(-2000)}${run.stdout.slice(-2000)}`);
    }
    if (r > 0) out.push(run);
  }
  return out;
}
