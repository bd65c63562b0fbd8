import { hasErrors, Issue, sortIssues, TopologyError } from "./errors";
import { checkIntents } from "./intents/check";
import { Reachability } from "./reachability";
import { normalizeTopology, NormalizeOptions } from "./normalize";
import { parseDeclaration } from "./parse";
import { TopologySpec } from "./types";
import { validateTopology } from "./validate";

/** A declaration that passed the pipeline: the normalized model and its warnings. */
export interface CheckedTopology {
  readonly topology: TopologySpec;
  readonly warnings: readonly Issue[];
  /** The reachability, when checking the connection intents computed it already. */
  readonly reachability?: Reachability;
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
  // Intents need a valid topology: they are read against its reachability.
  const intents = hasErrors(validation) ? { issues: [] } : checkIntents(topology);
  const issues = sortIssues([...validation, ...intents.issues]);
  if (hasErrors(issues)) throw new TopologyError(issues);
  return { topology, warnings: issues, ...(intents.reachability ? { reachability: intents.reachability } : {}) };
}
