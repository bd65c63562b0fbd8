import { hasErrors, IssueCode } from "../model/errors";
import { explainConnection } from "../model/intents/explain";
import { normalizeTopology } from "../model/normalize";
import { parseDeclaration } from "../model/parse";
import { computeReachability } from "../model/reachability";
import { validateTopology } from "../model/validate";
import { readEndpoint, resolveReference } from "../model/intents/read";
import { Reachability } from "../model/reachability";
import { TopologySpec } from "../model/types";

/**
 * The model `why` answers on when the stack fails only because of connections that cannot work
 * (which is when one asks why): the declaration through parse, normalize and validate, intents aside.
 * Undefined when the declaration has other errors.
 */
export function modelDespiteIntents(declaration: unknown, namePrefix: string): { topology: TopologySpec; reachability: Reachability } | undefined {
  const parsed = parseDeclaration(declaration);
  const topology = normalizeTopology(parsed.raw, { namePrefix });
  const issues = [...parsed.issues, ...validateTopology(topology, parsed.declared)].filter((i) => i.code !== IssueCode.UnreachableIntent);
  return hasErrors(issues) ? undefined : { topology, reachability: computeReachability(topology) };
}

/** The answer of `container-topology why`, as lines, and whether the connection works. */
export interface WhyReport {
  readonly reachable: boolean;
  readonly lines: readonly string[];
}

/**
 * `why FROM TO [--port N]`: whether service FROM reaches TO (host:port, a URL, a name with `--port`,
 * `hostServices.<key>`), with the path when it does, otherwise every failing hop and the fix.
 */
export function whyReport(topology: TopologySpec, reachability: Reachability, from: string, to: string, port?: number): WhyReport {
  const key = from.replace(/^services\./, "");
  const caller = topology.services.find((s) => s.key === key);
  if (!caller) {
    const known = topology.services.map((s) => s.key).join(", ") || "none";
    return { reachable: false, lines: [`services.${key} is not a service of this stack (services: ${known})`] };
  }
  const target = resolveReference(topology, to);
  const endpoint = readEndpoint(target) ?? (port !== undefined ? { host: target.replace(/^services\./, "").toLowerCase(), port } : undefined);
  if (!endpoint) return { reachable: false, lines: [`${JSON.stringify(to)} names no port: write host:port or a URL, or add --port N`] };
  const dial = `${endpoint.host}:${port ?? endpoint.port}`;
  const answer = explainConnection(topology, reachability, caller, endpoint.host, port ?? endpoint.port);
  if (answer.path.length > 0) {
    return {
      reachable: true,
      lines: [`services.${key} reaches ${dial}:`, ...answer.path.map((e) => `  ${e.from} -> ${e.to} (${e.via}${e.network ? `, networks.${e.network}` : ""}/${e.protocol}): ${e.reason}`)],
    };
  }
  if (answer.reasons.length === 0) return { reachable: true, lines: [`services.${key} reaches ${dial}: a port of its own network namespace`] };
  return {
    reachable: false,
    lines: [`services.${key} cannot reach ${dial}:`, ...answer.reasons.map((r) => `  - ${r}`), ...(answer.fix ? [`Fix: ${answer.fix}`] : [])],
  };
}
