import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { checkTopology } from "../model/check";
import { formatIssue, Issue, Severity, TopologyError } from "../model/errors";
import { computeReachability, Reachability } from "../model/reachability";
import { TopologySpec } from "../model/types";
import { observeComponents, Observed } from "../components/observe";
import { normalizeTopology } from "../model/normalize";
import { LoadedStack, TOPOLOGY_KEY, topologyDeclaration } from "./load-stack";
import { OWN_PROGRAM, projectProgram, registerTypeScript } from "./project-program";
import { RenderedResource, runOnMocks, valueOf } from "./mock-runtime";
import { Diagnostic, fromIssue, sortDiagnostics } from "./diagnostics";

export type { Diagnostic } from "./diagnostics";
export { formatDiagnostic, fromIssue, sortDiagnostics } from "./diagnostics";


/** What running the stack program on the mock runtime produced. */
export interface StackRun {
  readonly stack: LoadedStack;
  /** Every resource `pulumi up` would register, in order (empty when the program failed). */
  readonly resources: readonly RenderedResource[];
  /** The program's exports (stack outputs), resolved. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The normalized declaration; absent when it has errors. */
  readonly model?: TopologySpec;
  /** Who reaches whom; absent when the declaration has errors. */
  readonly reachability?: Reachability;
  /** Errors first, then warnings; each sorted by path. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when any diagnostic is an error: `pulumi up` would fail. */
  readonly failed: boolean;
}

/** How to run the program. */
export interface RunStackOptions {
  /** Called for each registered resource (progress). */
  readonly onResource?: (resource: RenderedResource, count: number) => void;
  /**
   * Loads and runs the stack program once, returning its exports.
   * @default - a fresh `require` of the compiled program (dist/index.js beside dist/cli)
   */
  readonly program?: () => unknown;
}

/**
 * The program `pulumi up` would run for this stack: its project's (Pulumi.yaml `main`, TypeScript
 * registered as the language host does), else this package's own.
 */
export function stackProgram(stack: LoadedStack): () => unknown {
  const file = stack.projectFile ? projectProgram(stack.projectFile) : undefined;
  if (!file) return () => requireProgram(OWN_PROGRAM);
  registerTypeScript(file, path.dirname(stack.projectFile!));
  return () => requireProgram(file);
}

/** The topology a program built with components (no declaration in config): what they reported. */
function observedTopology(observed: readonly Observed[], stack: LoadedStack): TopologySpec | undefined {
  if (observed.length === 0) return undefined;
  const models = observed.flatMap((o) => (o.kind === "topology" ? [o.model] : []));
  const networks = observed.flatMap((o) => (o.kind === "network" ? [o.spec] : []));
  const services = observed.flatMap((o) => (o.kind === "service" ? [o.spec] : []));
  const registries = observed.flatMap((o) => (o.kind === "registry" ? [o.spec] : []));
  return {
    namePrefix: models[0]?.namePrefix ?? stack.stack,
    networks: [...models.flatMap((m) => m.networks), ...networks],
    services: [...models.flatMap((m) => m.services), ...services],
    hostServices: models.flatMap((m) => m.hostServices),
    addressPools: models.flatMap((m) => m.addressPools),
    defaultBridge: models[0]?.defaultBridge ?? normalizeTopology({}).defaultBridge,
    registries: [...models.flatMap((m) => m.registries), ...registries],
    ...(models[0]?.kubernetes ? { kubernetes: models[0].kubernetes } : {}),
  };
}

/** A stack program, required afresh so that every run executes it again. */
export function requireProgram(file: string = OWN_PROGRAM): unknown {
  const resolved = require.resolve(file);
  delete require.cache[resolved];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved);
}

const RUNTIME_PREFIX = /^(warning|error): \[runtime\] /;

/** Captures what the program logs through pulumi.log (the mock runtime prints it to the console). */
function captureLogs<T>(run: () => Promise<T>): Promise<{ value: T; logs: { severity: Severity; text: string }[] }> {
  const logs: { severity: Severity; text: string }[] = [];
  const original = { warn: console.warn, error: console.error };
  const intercept = (fallback: (...args: unknown[]) => void) => (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    const match = RUNTIME_PREFIX.exec(text);
    if (!match) return fallback(...args);
    logs.push({ severity: match[1] === "error" ? Severity.Error : Severity.Warning, text: text.slice(match[0].length) });
  };
  console.warn = intercept(original.warn);
  console.error = intercept(original.error);
  return run().then(
    (value) => {
      Object.assign(console, original);
      return { value, logs };
    },
    (err: unknown) => {
      Object.assign(console, original);
      throw err;
    },
  );
}





/**
 * Runs the real stack program (index.ts, compiled) on Pulumi's mock runtime
 * with the stack's merged config, as `pulumi up` would, and records every
 * resource it registers. A declaration with errors makes the program throw one
 * error carrying every issue: those become error diagnostics with their config
 * paths and YAML lines. Anything else the program throws is a bug and is
 * rethrown.
 *
 * The normalized model and the reachability come from the same pure pipeline
 * the Topology component runs (checkTopology, computeReachability), applied to
 * the same config value with the stack name as prefix, so they match what the
 * program rendered without turning the component into a stack output.
 */
export async function runStack(stack: LoadedStack, options: RunStackOptions = {}): Promise<StackRun> {
  const program = options.program ?? stackProgram(stack);
  let failure: unknown;
  let count = 0;
  const observed: Observed[] = [];
  const stopObserving = observeComponents((o) => observed.push(o));
  const { value: run, logs } = await captureLogs(() =>
    runOnMocks(
      async () => {
        try {
          const exports = (program() ?? {}) as Record<string, unknown>;
          const outputs: Record<string, unknown> = {};
          for (const [name, output] of Object.entries(exports)) outputs[name] = await valueOf(output);
          return outputs;
        } catch (err) {
          failure = err;
          return {};
        }
      },
      { project: stack.project, stack: stack.stack, config: stack.config, onResource: (r) => options.onResource?.(r, ++count) },
    ),
  );
  stopObserving();
  const notes: Diagnostic[] = stack.notes.map((message) => ({ severity: Severity.Warning, path: "", message }));
  if (failure !== undefined) {
    const issues = (failure as { issues?: unknown }).issues;
    // A RunError is the program's own user-facing error (printed without a stack trace by Pulumi too).
    if (pulumi.RunError.isInstance(failure)) {
      const errors = failure.message.split("\n").map((message) => ({ severity: Severity.Error, path: "", message }));
      return { stack, resources: [], outputs: {}, diagnostics: sortDiagnostics([...errors, ...notes]), failed: true };
    }
    if (!Array.isArray(issues) && !TopologyError.isInstance(failure)) throw failure;
    const diagnostics = sortDiagnostics([...(issues as Issue[]).map((i) => fromIssue(stack, i)), ...notes]);
    return { stack, resources: [], outputs: {}, diagnostics, failed: true };
  }
  // The declaration in config when there is one (index.ts reads it); else what the program's components reported.
  const fromComponents = stack.config[TOPOLOGY_KEY] === undefined ? observedTopology(observed, stack) : undefined;
  const { topology, warnings } = fromComponents ? { topology: fromComponents, warnings: [] as Issue[] } : checkTopology(topologyDeclaration(stack), { namePrefix: stack.stack });
  // The program logged each topology warning already; keep the structured one, and anything else it logged.
  const known = new Set(warnings.map((w) => formatIssue(w, TOPOLOGY_KEY)));
  const logged: Diagnostic[] = logs.filter((l) => !known.has(l.text)).map((l) => ({ severity: l.severity, path: "", message: l.text }));
  const diagnostics = sortDiagnostics([...logged, ...warnings.map((w) => fromIssue(stack, w)), ...notes]);
  return {
    stack,
    resources: run.resources,
    outputs: run.value,
    model: topology,
    reachability: computeReachability(topology),
    diagnostics,
    failed: diagnostics.some((d) => d.severity === Severity.Error),
  };
}
