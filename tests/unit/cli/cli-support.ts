import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli/main";

/** The repository root: Pulumi.yaml and the stack files. */
export const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Runs index.ts from source in a fresh module registry (jest cannot drop a module from require.cache). */
export function sourceProgram(): unknown {
  let loaded: unknown;
  jest.isolateModules(() => {
    loaded = require(path.join(ROOT, "index"));
  });
  return loaded;
}

/** What one command run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `container-topology` command in-process, capturing its output. */
export async function runCli(argv: readonly string[], options: { cwd?: string; tty?: boolean } = {}): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io = { stdout: (t: string) => void stdout.push(t), stderr: (t: string) => void stderr.push(t), stderrIsTTY: options.tty ?? false, cwd: options.cwd ?? ROOT };
  const code = await main(argv, io, { program: sourceProgram });
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory holding the given files, removed after the test file. */
export function tempDir(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-cli-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The text of a file in the repository. */
export function repoFile(name: string): string {
  return fs.readFileSync(path.join(ROOT, name), "utf8");
}
