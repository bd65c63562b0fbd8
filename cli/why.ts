import { explainConnection } from "../model/intents/explain";
import { readEndpoint, resolveReference } from "../model/intents/read";
import { Reachability } from "../model/reachability";
import { TopologySpec } from "../model/types";

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
