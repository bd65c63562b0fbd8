/**
 * Reachability between hosts: a port published on a host's address (or on every address), a
 * host-network listener and a host service listening there are reached from the other hosts at
 * that address, and from their containers through their own gateway (NAT). Loopback binds stay on
 * their host. Over overlays containers meet by name whatever their host (the network edges).
 */
import { canonicalIp, isWildcard, parseIp } from "../ip";
import type { ReachabilityEdge } from "../reachability";
import { Protocol, ServiceSpec, TopologySpec } from "../types";
import { HostSpec } from "./types";

/** The edge end of a host: `host` with one (implicit or declared) host, `hosts.<key>` with several. */
export function hostEnd(topology: TopologySpec, host: string | undefined): string {
  return (topology.hosts?.length ?? 0) > 1 && host !== undefined ? `hosts.${host}` : "host";
}

/** A host's declared address, with several hosts; undefined otherwise. */
export function hostAddress(topology: TopologySpec, host: string | undefined): string | undefined {
  return isMultiHost(topology) && host !== undefined ? topology.hosts!.find((h) => h.key === host)?.address : undefined;
}

/** Whether a topology spans several hosts. */
export const isMultiHost = (topology: TopologySpec): boolean => (topology.hosts?.length ?? 0) > 1;

/** Whether a listener bound on `bind` on a host at `address` answers on that address. */
export function answersOn(bind: string, address: string): boolean {
  const b = parseIp(bind);
  const a = parseIp(address);
  if (!b || !a) return false;
  return (isWildcard(bind) && b.family === a.family) || canonicalIp(bind) === canonicalIp(address);
}

interface RemoteTarget {
  readonly to: string;
  readonly host: HostSpec;
  readonly bind: string;
  readonly port?: number;
  readonly protocol: Protocol;
  readonly what: string;
}

/**
 * The cross-host edges: to each listener that answers on its host's address, from every other host
 * and from that host's containers that have a way out (the default bridge, or a network that is not
 * internal and not macvlan/ipvlan) or run in its network stack.
 */
export function crossHostEdges(topology: TopologySpec, publishes: (s: ServiceSpec) => boolean, hasWayOut: (s: ServiceSpec) => boolean): ReachabilityEdge[] {
  if (!isMultiHost(topology)) return [];
  const hosts = topology.hosts!;
  const byKey = new Map(hosts.map((h) => [h.key, h]));
  const targets: RemoteTarget[] = [];
  for (const s of topology.services) {
    const host = s.host === undefined ? undefined : byKey.get(s.host);
    if (!host?.address) continue;
    if (s.mode.kind === "host") {
      for (const p of s.expose) targets.push({ to: `services.${s.key}`, host, bind: "0.0.0.0", port: p.port, protocol: p.protocol, what: `listens in the network stack of hosts.${host.key}` });
      for (const p of s.ports) targets.push({ to: `services.${s.key}`, host, bind: "0.0.0.0", port: p.target, protocol: p.protocol, what: `listens in the network stack of hosts.${host.key}` });
      continue;
    }
    if (!publishes(s)) continue;
    for (const p of s.ports) {
      if (p.published !== undefined) targets.push({ to: `services.${s.key}`, host, bind: p.hostIp, port: p.published, protocol: p.protocol, what: `published on ${p.hostIp.includes(":") ? `[${p.hostIp}]` : p.hostIp}:${p.published} of hosts.${host.key}` });
    }
  }
  for (const l of topology.hostServices) {
    const host = l.host === undefined ? undefined : byKey.get(l.host);
    if (host?.address) targets.push({ to: `hostServices.${l.key}`, host, bind: l.address, port: l.port, protocol: l.protocol, what: `listens on ${l.address}:${l.port} of hosts.${host.key}` });
  }
  const edges: ReachabilityEdge[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const address = t.host.address!;
    if (!answersOn(t.bind, address)) continue;
    const common = { to: t.to, host: address, names: [address], ...(t.port !== undefined ? { port: t.port } : {}), protocol: t.protocol, via: "other-host" as const };
    for (const from of hosts) {
      if (from.key === t.host.key) continue;
      const key = `${from.key}|${t.to}|${t.port}|${t.protocol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from: `hosts.${from.key}`, ...common, reason: `${t.what}, which answers on its address ${address}` });
      for (const client of topology.services) {
        if (client.host !== from.key || !(client.mode.kind === "host" || hasWayOut(client))) continue;
        edges.push({ from: `services.${client.key}`, ...common, reason: `${t.what}, which answers on its address ${address}; ${client.mode.kind === "host" ? `${client.key} runs in the network stack of hosts.${from.key}` : `from hosts.${from.key} through its gateway`}` });
      }
    }
  }
  return edges;
}
