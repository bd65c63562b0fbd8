/**
 * The two Pulumi projects bench:real runs side by side with the real CLI, language host and docker
 * provider (tests/pulumi/support: the same toolchain, local file backend and passphrase as the
 * real-engine tests), each in its own temporary directory with this checkout's node_modules linked in:
 *
 * - topology: this repo's stack program (index.ts: the stack config -> Topology, and its exports),
 *   importing the built package (dist/) as a consumer's program imports it from node_modules;
 * - handwritten: the same Docker networks and containers written directly against @pulumi/docker
 *   (bench/handwritten.ts, the mock benchmark's hand-written side, compiled into dist-bench/).
 *
 * Both run their index.ts through ts-node (Pulumi.yaml `typescript: true`) with the same tsconfig, and
 * both name their stack alike, so every Docker name, and so every input, is the same on both sides.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { PulumiProject } from "../../tests/pulumi/support/project";
import { stackFile } from "../../tests/pulumi/support/stack-file";
import { REPO_ROOT } from "../../tests/pulumi/support/toolchain";
import { DeclarationOptions, makeDeclaration, Shape } from "../declaration";

/** The two sides of every real comparison (the names the mock benchmark uses). */
export type RealSide = "topology" | "handwritten";

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true, types: ["node"] } }, null, 2);
const pulumiYaml = (name: string) => `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n`;

/** This repo's index.ts with its relative imports pointed at the built package. */
function topologyProgram(): string {
  const source = fs.readFileSync(path.join(REPO_ROOT, "index.ts"), "utf8");
  const rewritten = source.replace(/from "\.\/(components|model\/suggest)"/g, (_, module: string) => `from ${JSON.stringify(path.join(REPO_ROOT, "dist", module))}`);
  if (/from "\.\//.test(rewritten)) throw new Error("index.ts imports a relative module bench/real/projects.ts does not point at dist/");
  return rewritten;
}

/** The hand-written program: bench/handwritten.ts (compiled) with the shape, subnets and options from the stack config. */
function handwrittenIndex(): string {
  const module = path.join(REPO_ROOT, "dist-bench", "bench", "handwritten.js");
  return [
    `import * as pulumi from "@pulumi/pulumi";`,
    ``,
    `// bench/handwritten.ts: the same networks and containers as the Topology stack, written against @pulumi/docker.`,
    `// eslint-disable-next-line @typescript-eslint/no-require-imports`,
    `const { handwrittenProgram } = require(${JSON.stringify(module)}) as {`,
    `  handwrittenProgram(shape: unknown, name: string, subnets: readonly string[], options: unknown): () => void;`,
    `};`,
    `const config = new pulumi.Config("benchr");`,
    `handwrittenProgram(config.requireObject("shape"), pulumi.getStack(), config.requireObject<string[]>("subnets"), config.requireObject("options"))();`,
    ``,
  ].join("\n");
}

/** A project of the given files with this checkout's node_modules linked in. */
function project(label: string, files: Record<string, string>): PulumiProject {
  const p = PulumiProject.fromFiles(label, files);
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(p.dir, "node_modules"));
  return p;
}

/** What each side is given: N services over N/10 networks on `stack`, with the generated subnets. */
export interface RealCase {
  readonly stack: string;
  readonly shape: Shape;
  readonly subnets: readonly string[];
  readonly options: DeclarationOptions;
}

/** The Topology project, its stack file holding the generated declaration. */
export function topologyProject(c: RealCase): PulumiProject {
  return project(`${c.stack}-topology`, {
    "Pulumi.yaml": pulumiYaml("benchr-topology"),
    "tsconfig.json": TSCONFIG,
    "index.ts": topologyProgram(),
    [`Pulumi.${c.stack}.yaml`]: stackFile(makeDeclaration(c.shape, c.options)),
  });
}

/** The hand-written project, its stack file holding the shape, the subnets and the options. */
export function handwrittenProject(c: RealCase): PulumiProject {
  return project(`${c.stack}-handwritten`, {
    "Pulumi.yaml": pulumiYaml("benchr-handwritten"),
    "tsconfig.json": TSCONFIG,
    "index.ts": handwrittenIndex(),
    [`Pulumi.${c.stack}.yaml`]: stringify({ config: { "benchr:shape": c.shape, "benchr:subnets": c.subnets, "benchr:options": c.options } }),
  });
}
