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

function lastLine(script: string, args: readonly string[]): string {
  try {
    const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", script), ...args], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    const line = out.trim().split("\n").pop() ?? "";
    if (!path.isAbsolute(line)) throw new Error(`printed ${JSON.stringify(line)} as its last line, not a directory`);
    return line;
  } catch (err) {
    throw new Error(`pulumi toolchain: scripts/${script} ${args.join(" ")} failed: ${(err as Error).message}`);
  }
}

/** The targets of scripts/pulumi-install.sh the suites need (kubernetes: the k8s stack's provider). */
export const TOOLCHAIN_TARGETS = ["cli", "langhost", "docker", "kubernetes"] as const;

/**
 * Installs (or finds cached) the toolchain and Node.js, and records both directories in this process's
 * environment so jest workers forked afterwards reuse them. Returns the directory holding `pulumi`.
 */
export function ensureToolchain(): { readonly pulumiBin: string; readonly nodeBin: string } {
  const pulumiBin = process.env[BIN_ENV] || lastLine("pulumi-install.sh", TOOLCHAIN_TARGETS);
  const nodeBin = process.env[NODE_ENV] || lastLine("node-install.sh", []);
  process.env[BIN_ENV] = pulumiBin;
  process.env[NODE_ENV] = nodeBin;
  return { pulumiBin, nodeBin };
}
