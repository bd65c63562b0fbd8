import { hasErrors, Issue, sortIssues, TopologyError } from "./errors";
import { checkIntents } from "./intents/check";
import { Reachability } from "./reachability";
import { normalizeTopology, NormalizeOptions } from "./normalize";
import { parseDeclaration } from "./parse";
import { TopologySpec } from "./types";
import { validateTopology } from "./validate";
import { splitPath } from "./paths";

/** A declaration that passed the pipeline: the normalized model and its warnings. */
export interface CheckedTopology {
  readonly topology: TopologySpec;
  readonly warnings: readonly Issue[];
  /** The reachability, when checking the connection intents computed it already. */
  readonly reachability?: Reachability;
}

/**
 * Connection intents of a topology that has errors, so one run reports them too: those of services
 * free of errors, read against the reachability the topology has anyway (a subnet clash or a port
 * clash elsewhere does not change who reaches whom). A service with its own error may be unreadable
 * (a broken reference), so its intents wait for the fix; so does everything if the reachability
 * cannot be computed on what is broken.
 */
function intentsBesideErrors(topology: TopologySpec, validation: readonly Issue[]): { issues: Issue[]; reachability?: Reachability } {
  const broken = new Set(validation.filter((i) => i.severity === "error" && i.path.startsWith("services.")).map((i) => splitPath(i.path)[1]));
  // A broken network or host service changes what is reachable: then intents wait for the fix.
  if (validation.some((i) => i.severity === "error" && /^(hostServices|defaultBridge|addressPools)\b/.test(i.path))) return { issues: [] };
  try {
    return { issues: checkIntents(topology).issues.filter((i) => !broken.has(splitPath(i.path)[1])) };
  } catch {
    return { issues: [] };
  }
}

/**
 * The whole pipeline: parse -> normalize -> validate -> connection intents (against the
 * reachability, on a topology without errors). Shape problems do not stop
 * the semantic checks of the well-formed entries, so one run reports every
 * issue. Throws one {@link TopologyError} (every issue, sorted by path) when any
 * is an error; returns the topology and the warnings otherwise.
 */
export function checkTopology(declaration: unknown, options: NormalizeOptions = {}): CheckedTopology {
  const parsed = parseDeclaration(declaration);
  const topology = normalizeTopology(parsed.raw, options);
  const validation = [...parsed.issues, ...validateTopology(topology, parsed.declared)];
  const intents = hasErrors(validation) ? intentsBesideErrors(topology, validation) : checkIntents(topology);
  const issues = sortIssues([...validation, ...intents.issues]);
  if (hasErrors(issues)) throw new TopologyError(issues);
  return { topology, warnings: issues, ...(intents.reachability ? { reachability: intents.reachability } : {}) };
}

/** Every issue of a declaration, errors and warnings, sorted by path: {@link checkTopology} without the throw. */
export function declarationIssues(declaration: unknown, options: NormalizeOptions = {}): readonly Issue[] {
  try {
    return checkTopology(declaration, options).warnings;
  } catch (err) {
    if (!TopologyError.isInstance(err)) throw err;
    return err.issues;
  }
}
