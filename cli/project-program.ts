/**
 * The stack program of the Pulumi project a stack belongs to, loaded the way the Node.js language
 * host loads it: Pulumi.yaml `main` (a file or a directory), else package.json `main`, else
 * `index.ts`/`index.js` in the project directory; TypeScript through the project's own ts-node and
 * typescript as `@pulumi/pulumi`'s `tsutils` finds them (its vendored ts-node otherwise), with the
 * project's tsconfig.json.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Where this package's own sources sit beside its CLI (dist/cli -> dist, cli -> the repo). */
const OWN_ROOT = path.join(__dirname, "..");
/** The root of this package: the repo from source, the installed package from dist/. */
const PACKAGE_ROOT = fs.existsSync(path.join(OWN_ROOT, "package.json")) ? OWN_ROOT : path.dirname(OWN_ROOT);
/** This package's stack program (dist/index.js once built; index.ts from source). */
export const OWN_PROGRAM = path.join(OWN_ROOT, "index");

function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/** The entry file of a directory or file path, as Node and Pulumi resolve it. */
function entryOf(target: string): string | undefined {
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const pkg = path.join(target, "package.json");
    const main = fs.existsSync(pkg) ? (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main : undefined;
    return (main ? firstExisting([path.join(target, main), `${path.join(target, main)}.js`, `${path.join(target, main)}.ts`]) : undefined) ?? firstExisting(["index.ts", "index.js"].map((f) => path.join(target, f)));
  }
  return firstExisting([target, `${target}.ts`, `${target}.js`]);
}

/** The program file of the project whose Pulumi.yaml is `projectFile`; undefined when none is found. */
export function projectProgram(projectFile: string): string | undefined {
  const dir = path.dirname(projectFile);
  const project = (parse(fs.readFileSync(projectFile, "utf8")) ?? {}) as { main?: unknown };
  const main = typeof project.main === "string" && project.main !== "" ? path.resolve(dir, project.main) : dir;
  const entry = entryOf(main);
  // This package's own project: run its compiled program when there is one (no TypeScript per plan).
  if (entry && path.resolve(dir) === PACKAGE_ROOT) return OWN_PROGRAM;
  return entry;
}

/** Whether `.ts` files can be required here already (ts-node registered, or a test runner's transform). */
function canLoadTypeScript(): boolean {
  const extensions = (require as unknown as { extensions?: Record<string, unknown> }).extensions;
  return extensions === undefined || ".ts" in extensions;
}

/**
 * Registers ts-node for a TypeScript program the way `@pulumi/pulumi/cmd/run` does, from the
 * project's own node_modules: its tsconfig.json, `transpileOnly` from PULUMI_NODEJS_TRANSPILE_ONLY or
 * the tsconfig's `noCheck`, and true by default here (plan shows what the program renders;
 * `pulumi preview` and `tsc` are where type errors are reported).
 */
export function registerTypeScript(program: string, projectDir: string): void {
  if (!program.endsWith(".ts") || canLoadTypeScript()) return;
  const tsutilsPath = require.resolve("@pulumi/pulumi/tsutils", { paths: [projectDir] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsutils = require(tsutilsPath) as {
    typeScriptRequireStrings(): { tsnodeRequire: string; typescriptRequire: string };
    loadTypeScriptCompilerOptions(file: string): Record<string, unknown>;
  };
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const tsconfig = path.join(projectDir, process.env["PULUMI_NODEJS_TSCONFIG_PATH"] ?? "tsconfig.json");
  const compilerOptions = fs.existsSync(tsconfig) ? tsutils.loadTypeScriptCompilerOptions(tsconfig) : {};
  const env = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
  const transpileOnly = env !== undefined ? env === "true" : (compilerOptions["noCheck"] as boolean | undefined) ?? true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsnode = require(require.resolve(tsnodeRequire, { paths: [path.dirname(tsutilsPath)] })) as { register(options: object): void };
  tsnode.register({
    compiler: require.resolve(typescriptRequire, { paths: [path.dirname(tsutilsPath)] }),
    transpileOnly,
    project: tsconfig,
    skipProject: !fs.existsSync(tsconfig),
    compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node", sourceMap: true, ...compilerOptions },
  });
}
