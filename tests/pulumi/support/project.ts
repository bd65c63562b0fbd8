/**
 * A Pulumi project in a temporary directory, driven with the real CLI against a temporary local
 * backend (`file://`, the embedded default backend) and the private dockerd of tests/e2e.
 *
 * The repo's own stacks run on a copy of the program (Pulumi.yaml, index.ts, model/, components/)
 * with this checkout's node_modules linked in, so `pulumi stack init` (which writes
 * `encryptionsalt` into Pulumi.<stack>.yaml) never touches the working tree.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureToolchain, REPO_ROOT } from "./toolchain";

/** What one CLI run printed. */
export interface PulumiResult {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly diffReasons?: readonly string[];
  readonly replaceReasons?: readonly string[];
  readonly detailedDiff?: Record<string, { kind: string }>;
}

/** Secrets passphrase of the test stacks (the local backend's passphrase secrets provider). */
export const TEST_PASSPHRASE = "container-topology-tests";

/** Files and folders of this checkout that the stack program needs. */
const PROGRAM_FILES = ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json", "model", "components"];

/** The resource name in a URN (`urn:pulumi:stack::project::type$type::name`). */
export const urnName = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
/** The resource type in a URN (the last `$` segment). */
export const urnType = (urn: string): string => {
  const type = urn.split("::")[2] ?? "";
  return type.slice(type.lastIndexOf("$") + 1);
};

export class PulumiProject {
  /** The project directory. */
  public readonly dir: string;
  /** The local backend's state directory. */
  public readonly state: string;
  private readonly root: string;

  private constructor(label: string) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `ct-pulumi-${label}-`));
    this.dir = path.join(this.root, "project");
    this.state = path.join(this.root, "state");
    fs.mkdirSync(this.dir);
    fs.mkdirSync(this.state);
  }

  /** A copy of this repo's stack program, with the given stack files (name -> YAML; default: none). */
  static fromRepo(label: string, stacks: Readonly<Record<string, string>> = {}): PulumiProject {
    const p = new PulumiProject(label);
    for (const f of PROGRAM_FILES) fs.cpSync(path.join(REPO_ROOT, f), path.join(p.dir, f), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(p.dir, "node_modules"));
    for (const [stack, yaml] of Object.entries(stacks)) p.writeStack(stack, yaml);
    return p;
  }

  /** A project made of the given files (relative path -> content). */
  static fromFiles(label: string, files: Readonly<Record<string, string>>): PulumiProject {
    const p = new PulumiProject(label);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(p.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(p.dir, rel), text);
    }
    return p;
  }

  /** Makes `file` (next to index.ts) the project's program: written there and named by Pulumi.yaml `main`. */
  writeProgram(file: string, source: string): void {
    fs.writeFileSync(path.join(this.dir, file), source);
    const yaml = fs.readFileSync(path.join(this.dir, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), yaml.replace(/^main: .*$/m, `main: ${file}`));
  }

  /** The text of a stack file of this repo (`Pulumi.<stack>.yaml`). */
  static repoStack(stack: string): string {
    return fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8");
  }

  /** (Re)writes `Pulumi.<stack>.yaml`, keeping the `encryptionsalt` that `stack init` wrote. */
  writeStack(stack: string, yaml: string): void {
    const file = path.join(this.dir, `Pulumi.${stack}.yaml`);
    const salt = fs.existsSync(file) ? /^encryptionsalt: .*$/m.exec(fs.readFileSync(file, "utf8"))?.[0] : undefined;
    fs.writeFileSync(file, salt ? `${salt}\n${yaml}` : yaml);
  }

  /** The environment of every CLI run. */
  env(): NodeJS.ProcessEnv {
    const { pulumiBin, nodeBin } = ensureToolchain();
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("PULUMI_")) delete env[k];
    return {
      ...env,
      PATH: `${pulumiBin}:${nodeBin}:${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${this.state}`,
      PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // Only the plugins pulumi-install.sh installed; never one found on PATH, never a download.
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
    };
  }

  /** Runs `pulumi ARGS` in the project; throws with the output unless `allowFailure`. */
  async run(args: readonly string[], opts: { readonly allowFailure?: boolean; readonly timeoutMs?: number } = {}): Promise<PulumiResult> {
    const timeoutMs = opts.timeoutMs ?? 600_000;
    const result = await new Promise<PulumiResult>((resolve, reject) => {
      const child = spawn("pulumi", [...args], { cwd: this.dir, env: this.env(), stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("error", reject);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ args, code: code ?? (signal ? 128 : 1), stdout, stderr: signal ? `${stderr}\n(killed by ${signal} after ${timeoutMs} ms)` : stderr });
      });
    });
    if (result.code !== 0 && !opts.allowFailure) throw new Error(describeRun(result));
    return result;
  }

  /** `pulumi stack init STACK` (or select it when it exists). */
  async initStack(stack: string): Promise<void> {
    const select = await this.run(["stack", "select", stack, "--non-interactive"], { allowFailure: true });
    if (select.code !== 0) await this.run(["stack", "init", stack, "--non-interactive"]);
  }

  /** `pulumi up --yes --skip-preview`. */
  up(stack: string, opts: { readonly allowFailure?: boolean } = {}): Promise<PulumiResult> {
    return this.run(["up", "--stack", stack, "--yes", "--skip-preview", "--non-interactive", "--color", "never"], opts);
  }

  /** `pulumi preview --expect-no-changes` (exit 0 only when nothing would change). */
  previewNoChanges(stack: string): Promise<PulumiResult> {
    return this.run(["preview", "--stack", stack, "--expect-no-changes", "--non-interactive", "--color", "never", "--diff"], { allowFailure: true });
  }

  /** `pulumi refresh --expect-no-changes` (exit 0 only when the engine matches the state). */
  refreshNoChanges(stack: string): Promise<PulumiResult> {
    return this.run(["refresh", "--stack", stack, "--yes", "--expect-no-changes", "--non-interactive", "--color", "never", "--diff"], { allowFailure: true });
  }

  /** The steps of `pulumi preview --json`, without the stack and provider bookkeeping steps. */
  async previewSteps(stack: string, extra: readonly string[] = []): Promise<PreviewStep[]> {
    const r = await this.run(["preview", "--stack", stack, "--json", "--non-interactive", ...extra]);
    const parsed = JSON.parse(r.stdout) as { steps?: PreviewStep[] };
    return (parsed.steps ?? []).filter((s) => !urnType(s.urn).startsWith("pulumi:"));
  }

  /** `pulumi destroy --yes`. */
  destroy(stack: string, opts: { readonly allowFailure?: boolean } = {}): Promise<PulumiResult> {
    return this.run(["destroy", "--stack", stack, "--yes", "--skip-preview", "--non-interactive", "--color", "never"], opts);
  }

  /** The stack's outputs. */
  async outputs(stack: string): Promise<Record<string, unknown>> {
    const r = await this.run(["stack", "output", "--stack", stack, "--json", "--show-secrets"]);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** Destroys what is left of every stack given (best effort), then removes the directories. */
  async dispose(stacks: readonly string[] = []): Promise<void> {
    for (const stack of stacks) await this.destroy(stack, { allowFailure: true }).catch(() => undefined);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A CLI run as text for an assertion message. */
export function describeRun(r: PulumiResult): string {
  const tail = (s: string) => s.split("\n").slice(-80).join("\n");
  return `pulumi ${r.args.join(" ")} exited ${r.code}\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`;
}
