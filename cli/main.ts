#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import * as fs from "fs";
import * as path from "path";
import { stackJsonSchema } from "../model/json-schema";
import { explainTopology } from "./explain";
import { modelDespiteIntents, whyReport } from "./why";
import { IssueCode } from "../model/errors";
import { planJson, planJsonSchemaDocument } from "./plan-json";
import type { withPreflight } from "./preflight";
import { importCompose } from "./import-compose";
import { checkLines, checkStack } from "./check";
import { buildGraph, GraphFormat, toDot, toMermaid } from "./graph";
import { loadStack, StackLoadError, TOPOLOGY_KEY } from "./load-stack";
import { RenderedResource } from "./mock-runtime";
import { displayType, failureReport, planReport } from "./plan";
import type { StackRun } from "./run-stack";

// Pulumi's SDK, dockerode and the Graphviz build take most of a run's start-up: loaded only by the
// commands that use them, so `check` and `import` start in a fraction of `plan`'s time.
const runner = () => import("./run-stack");

/** Where the command reads and writes; the process's by default, captured in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Progress counts are shown on a terminal without asking. */
  readonly stderrIsTTY: boolean;
  readonly cwd: string;
}

/** Replaceable parts, for tests. */
export interface CliDeps {
  /** Runs the stack program once and returns its exports. @default - a fresh require of dist/index.js */
  readonly program?: () => unknown;
  /** `plan --engine`'s preflight. @default - {@link withPreflight} against DOCKER_HOST */
  readonly preflight?: (run: StackRun) => Promise<StackRun>;
}

/** Exit codes: 0 ok, 1 the stack has errors (or cannot be loaded, or bad usage), 2 an unexpected failure (a bug), 3 `why`: the connection cannot work. */
export const ExitCode = { Ok: 0, Invalid: 1, Internal: 2, Unreachable: 3 } as const;

interface StackOptions {
  readonly stack?: string;
  readonly file?: string;
  readonly program?: string;
  readonly progress?: boolean;
}

class Failed extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}

const lines = (items: readonly string[]) => `${items.join("\n")}\n`;

/** A counter of registered resources on stderr: rewritten in place on a terminal, a line each otherwise. */
function progressReporter(io: CliIo, requested: boolean): { onResource?: (r: RenderedResource, n: number) => void; done(): void } {
  if (io.stderrIsTTY) {
    return {
      onResource: (r, n) => io.stderr(`\r\x1b[Kregistered ${n} resources (${displayType(r.type)} ${r.name})`),
      done: () => io.stderr("\r\x1b[K"),
    };
  }
  if (requested) return { onResource: (r, n) => io.stderr(`registered ${n}: ${displayType(r.type)} ${r.name}\n`), done: () => undefined };
  return { done: () => undefined };
}

/** Loads the stack, runs the program, and reports a failure (exit 1) before any command output; with `report: false` a failed run is returned. */
async function evaluate(io: CliIo, deps: CliDeps, options: StackOptions, report = true): Promise<StackRun> {
  let stack;
  try {
    stack = loadStack({ ...(options.stack ? { stack: options.stack } : {}), ...(options.file ? { file: options.file } : {}), cwd: io.cwd });
  } catch (err) {
    if (!(err instanceof StackLoadError)) throw err;
    io.stderr(lines(err.problems.map((p) => `error: ${p}`)));
    throw new Failed(ExitCode.Invalid);
  }
  const progress = progressReporter(io, options.progress === true);
  const programFile = options.program === undefined ? undefined : path.resolve(io.cwd, options.program);
  const { requireProgram, runStack } = await runner();
  const program = deps.program ?? (programFile ? () => requireProgram(programFile) : undefined);
  let run: StackRun;
  try {
    run = await runStack(stack, { ...(progress.onResource ? { onResource: progress.onResource } : {}), ...(program ? { program } : {}) });
  } finally {
    progress.done();
  }
  if (run.failed && report) {
    io.stderr(lines(failureReport(run)));
    throw new Failed(ExitCode.Invalid);
  }
  return run;
}

/** Commander's accumulator for a repeatable option. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Every `Pulumi.<stack>.yaml` in a directory, sorted. */
function stackFilesIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f))
    .sort();
}

/** The format a file name implies: `.svg`, `.dot`/`.gv`, `.mmd`/`.mermaid`. */
export function formatFor(file: string | undefined): GraphFormat | undefined {
  switch (file === undefined ? "" : path.extname(file).toLowerCase()) {
    case ".svg":
      return GraphFormat.Svg;
    case ".dot":
    case ".gv":
      return GraphFormat.Dot;
    case ".json":
      return GraphFormat.Json;
    case ".mmd":
    case ".mermaid":
      return GraphFormat.Mermaid;
    default:
      return undefined;
  }
}

function stackOptions(command: Command): Command {
  return command
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to read (from the working directory)")
    .option("-f, --file <path>", "stack settings file to read instead (the stack name comes from Pulumi.<name>.yaml)")
    .option("--program <file>", "stack program to run (default: the project's, from Pulumi.yaml main; TypeScript through the project's ts-node)")
    .option("--progress", "print a line per registered resource on stderr (automatic on a terminal)");
}

/** The `container-topology` command. Returns the exit code instead of exiting. */
export async function main(argv: readonly string[], io: CliIo = processIo(), deps: CliDeps = {}): Promise<number> {
  const program = new Command("container-topology")
    .description("Plan, draw and explain the container topology a Pulumi stack declares, without Pulumi or Docker.")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  stackOptions(program.command("plan"))
    .description("run the stack program on Pulumi's mock runtime: the resources `pulumi up` would create, the reachability, every diagnostic")
    .option("--json", "print the plan as one JSON document (schema/plan.schema.json), and nothing else on stdout; exit 1 when it failed")
    .option("--engine", "preflight against the live engine (DOCKER_HOST) and this host: subnets, names and ports already taken, missing parents, external networks and images; read-only")
    .action(async (options: StackOptions & { json?: boolean; engine?: boolean }) => {
      if (!options.json && !options.engine) return io.stdout(lines(planReport(await evaluate(io, deps, options))));
      const evaluated = await evaluate(io, deps, { ...options, ...(options.json ? { progress: false } : {}) }, !!options.engine && !options.json);
      const run = options.engine ? await (deps.preflight ?? (await import("./preflight")).withPreflight)(evaluated) : evaluated;
      io.stdout(options.json ? `${JSON.stringify(planJson(run), null, 2)}\n` : lines(planReport(run)));
      if (run.failed) throw new Failed(ExitCode.Invalid);
    });

  stackOptions(program.command("graph"))
    .description("draw the networks, containers, published ports, the host and its gateway")
    .addOption(new Option("--format <format>", "output format (default: from the -o extension, else dot)").choices(Object.values(GraphFormat)))
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (options: StackOptions & { format?: GraphFormat; output?: string }) => {
      const run = await evaluate(io, deps, options);
      const graph = buildGraph(run.model!, run.reachability!, `container-topology: stack ${run.stack.stack}`);
      const format = options.format ?? formatFor(options.output) ?? GraphFormat.Dot;
      const text = format === GraphFormat.Mermaid ? toMermaid(graph) : format === GraphFormat.Svg ? await (await import("./render-svg")).renderSvg(toDot(graph)) : format === GraphFormat.Json ? `${JSON.stringify({ version: 1, ...graph }, null, 2)}\n` : toDot(graph);
      if (options.output === undefined) return io.stdout(text);
      const file = path.resolve(io.cwd, options.output);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      io.stderr(`wrote ${options.output} (${format}, ${graph.nodes.length} nodes, ${graph.edges.length} edges)\n`);
    });

  stackOptions(program.command("explain"))
    .description("the equivalent `docker network create` and `docker run` commands")
    .action(async (options: StackOptions) => {
      const run = await evaluate(io, deps, options);
      io.stdout(lines([`# Stack ${run.stack.stack}: the Docker CLI equivalent of what \`pulumi up\` creates (Pulumi also labels each object container-topology.io/managed=true).`, ...explainTopology(run.model!)]));
    });

  stackOptions(program.command("why"))
    .description("whether service FROM reaches TO, and why not: the path, or every failing hop and the smallest fix (exit 3 when it cannot)")
    .argument("<from>", "the calling service (its key)")
    .argument("<to>", "what it dials: host:port, a URL, hostServices.<key>, or a name with --port")
    .option("--port <n>", "the port, when <to> names none", (v) => Number(v))
    .action(async (from: string, to: string, options: StackOptions & { port?: number }) => {
      // A stack that fails only on connections that cannot work is what why is for: answer on its model.
      const run = await evaluate(io, deps, options, false);
      const model = run.model && run.reachability ? { topology: run.model, reachability: run.reachability } : modelDespiteIntents(run.stack.config[TOPOLOGY_KEY] ?? {}, run.stack.stack);
      if (!model || (run.failed && run.diagnostics.some((d) => d.severity === "error" && d.code !== IssueCode.UnreachableIntent))) {
        io.stderr(lines(failureReport(run)));
        throw new Failed(ExitCode.Invalid);
      }
      const report = whyReport(model.topology, model.reachability, from, to, options.port);
      io.stdout(lines(report.lines));
      if (!report.reachable) throw new Failed(ExitCode.Unreachable);
    });

  program
    .command("check")
    .description("the pure check of stack files (no program run, no Pulumi, no engine): what editors and pre-commit hooks run; exit 1 on errors")
    .argument("[files...]", "stack files, e.g. Pulumi.dev.yaml (default: --stack's, else every Pulumi.<stack>.yaml here)")
    .option("-s, --stack <name>", "the stack whose Pulumi.<name>.yaml to check")
    .action((files: string[], options: { stack?: string }) => {
      const targets = files.length > 0 ? files.map((file) => ({ file })) : options.stack ? [{ stack: options.stack }] : stackFilesIn(io.cwd).map((file) => ({ file }));
      let failed = false;
      for (const target of targets) {
        const result = checkStack({ ...target, cwd: io.cwd });
        const out = checkLines(result, (file) => path.relative(io.cwd, file) || file);
        if (out.length > 0) io.stdout(lines(out));
        failed ||= result.failed;
      }
      io.stderr(`checked ${targets.length} stack file${targets.length === 1 ? "" : "s"}: ${failed ? "errors found" : "ok"}\n`);
      if (failed) throw new Failed(ExitCode.Invalid);
    });

  program
    .command("import")
    .description("convert a Compose file, or what runs on the engine (--from-engine: adopted with its Docker IDs), into a stack declaration; what cannot be mapped is listed with its path; then check it")
    .option("--compose <file>", "the Compose file (- for stdin); `docker compose config` output resolves its variables first")
    .option("--from-engine", "adopt containers and networks on the engine (DOCKER_HOST) selected with --label / --name: `pulumi up` imports them instead of creating them")
    .option("--label <key=value>", "with --from-engine: objects carrying this label (repeatable; all must match), e.g. com.docker.compose.project=shop", collect, [])
    .option("--name <name>", "with --from-engine: a container or network by name (repeatable)", collect, [])
    .option("-o, --output <file>", "write the stack file there (e.g. Pulumi.dev.yaml) instead of stdout")
    .option("-s, --stack <name>", "stack name, the prefix of Docker names in the check (default: from -o Pulumi.<name>.yaml, else \"dev\")")
    .action(async (options: { compose?: string; fromEngine?: boolean; label: string[]; name: string[]; output?: string; stack?: string }) => {
      if ((options.compose === undefined) === (options.fromEngine !== true)) {
        io.stderr("error: give either --compose <file> or --from-engine (with --label or --name)\n");
        throw new Failed(ExitCode.Invalid);
      }
      if (options.fromEngine && options.label.length + options.name.length === 0) {
        io.stderr("error: --from-engine needs --label KEY=VALUE or --name NAME: adopting everything on the engine is never what is meant\n");
        throw new Failed(ExitCode.Invalid);
      }
      const fromOutput = options.output ? /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(options.output))?.[1] : undefined;
      const stack = options.stack ?? fromOutput ?? "dev";
      let result;
      if (options.compose !== undefined) {
        const file = options.compose === "-" ? "/dev/stdin" : path.resolve(io.cwd, options.compose);
        let text: string;
        try {
          text = fs.readFileSync(file, "utf8");
        } catch (err) {
          io.stderr(`error: cannot read ${options.compose}: ${(err as Error).message}\n`);
          throw new Failed(ExitCode.Invalid);
        }
        result = importCompose(text, options.compose, stack);
      } else {
        try {
          result = await (await import("./import-engine")).importFromEngine({ labels: options.label, names: options.name }, stack);
        } catch (err) {
          io.stderr(`error: cannot read the engine: ${(err as Error).message}. Start Docker, or set DOCKER_HOST\n`);
          throw new Failed(ExitCode.Invalid);
        }
      }
      if (result.stackFile && options.output) {
        fs.writeFileSync(path.resolve(io.cwd, options.output), result.stackFile);
        io.stderr(`wrote ${options.output}\n`);
      } else if (result.stackFile) io.stdout(result.stackFile);
      if (result.report.length > 0) io.stderr(lines(result.report));
      if (result.failed) throw new Failed(ExitCode.Invalid);
    });

  program
    .command("schema")
    .description("print the JSON Schema of Pulumi.<stack>.yaml (schema/stack.schema.json), or with --plan of `plan --json` (schema/plan.schema.json)")
    .option("--plan", "the schema of `plan --json` instead")
    .action((options: { plan?: boolean }) => io.stdout(`${JSON.stringify(options.plan ? planJsonSchemaDocument() : stackJsonSchema(), null, 2)}\n`));

  try {
    await program.parseAsync([...argv], { from: "user" });
    return ExitCode.Ok;
  } catch (err) {
    if (err instanceof Failed) return err.exitCode;
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Invalid;
    io.stderr(`container-topology: unexpected failure (a bug; please report it):\n${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.Internal;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
