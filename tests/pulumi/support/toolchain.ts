/**
 * The real Pulumi toolchain for tests/pulumi: the CLI, the Node.js language host and the resource
 * plugins that scripts/pulumi-install.sh builds from Go modules (cached outside the clone; seconds
 * when cached), and the Node.js that package.json "engines" names (scripts/node-install.sh).
 *
 * Like the engine of tests/e2e, the toolchain is real or the run fails: only `E2E=skip` skips.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** The repository root (this file is tests/pulumi/support/toolchain.ts). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

const BIN_ENV = "CT_PULUMI_BIN";
const NODE_ENV = "CT_NODE_BIN";

/** False only when `E2E=skip`. */
export function pulumiEnabled(): boolean {
  return process.env.E2E !== "skip";
}

/** `describe` when the real-engine suites run, `describe.skip` under `E2E=skip`. */
export const describePulumi: jest.Describe = (
  typeof describe === "undefined" ? undefined : pulumiEnabled() ? describe : describe.skip
) as jest.Describe;

/**
 * Runs `scripts/<script> ARGS` and returns the absolute path it prints as its last line (the install
 * and start scripts' contract); `what` names the piece in the error when it fails.
 */
export function scriptLastLine(script: string, args: readonly string[], what = "pulumi toolchain", env: NodeJS.ProcessEnv = process.env): string {
  try {
    const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", script), ...args], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env,
    });
    const line = out.trim().split("\n").pop() ?? "";
    if (!path.isAbsolute(line)) throw new Error(`printed ${JSON.stringify(line)} as its last line, not a path`);
    return line;
  } catch (err) {
    throw new Error(`${what}: scripts/${script} ${args.join(" ")} failed: ${(err as Error).message}`);
  }
}

/** The targets of scripts/pulumi-install.sh the suites need (kubernetes: the k8s stack's provider). */
export const TOOLCHAIN_TARGETS = ["cli", "langhost", "docker", "kubernetes"] as const;

/**
 * Installs (or finds cached) the toolchain and Node.js, and records both directories in this process's
 * environment so jest workers forked afterwards reuse them. Returns the directory holding `pulumi`.
 */
export function ensureToolchain(): { readonly pulumiBin: string; readonly nodeBin: string } {
  const pulumiBin = process.env[BIN_ENV] || scriptLastLine("pulumi-install.sh", TOOLCHAIN_TARGETS);
  const nodeBin = process.env[NODE_ENV] || scriptLastLine("node-install.sh", []);
  process.env[BIN_ENV] = pulumiBin;
  process.env[NODE_ENV] = nodeBin;
  return { pulumiBin, nodeBin };
}
