/**
 * Places a normalized topology on its declared hosts: each service, registry and host service on
 * its `host` (default: the only host), each bridge, macvlan and ipvlan network on its `host`
 * (default: the one host of the services on it, else the only host); overlays span the swarm and
 * have none. Without `hosts`, the topology is returned as it is (one implicit host).
 */
import type { RawTopology, TopologySpec } from "../types";
import { HostSpec, SwarmRole } from "./types";

/** The declared hosts, sorted by key, with their swarm role defaulted. */
export function normalizeHosts(raw: RawTopology): HostSpec[] {
  const entries = Object.entries(raw.hosts ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hasManager = entries.some(([, h]) => h.swarm === SwarmRole.Manager);
  return entries.map(([key, h]) => ({
    key,
    ...(h.host !== undefined ? { host: h.host } : {}),
    ...(h.address !== undefined ? { address: h.address } : {}),
    swarm: h.swarm ?? (hasManager ? SwarmRole.Worker : SwarmRole.None),
    ...(h.tls !== undefined ? { tls: h.tls } : {}),
    ipsec: h.ipsec ?? true,
  }));
}

/** Whether a network driver is local to one engine (everything but a swarm overlay). */
export const isLocalDriver = (driver: string): boolean => driver !== "overlay";

/** The topology with every object on its host; unchanged when no hosts are declared. */
export function placeOnHosts(topology: TopologySpec, raw: RawTopology, hosts: readonly HostSpec[]): TopologySpec {
  if (hosts.length === 0) {
    // One implicit host: a `host` written anyway is kept, for validation to report.
    const named = (entries: Readonly<Record<string, { readonly host?: string }>> | undefined) => Object.values(entries ?? {}).some((e) => e.host !== undefined);
    if (![raw.services, raw.networks, raw.registries, raw.hostServices].some(named)) return topology;
  }
  const only = hosts.length === 1 ? hosts[0]!.key : undefined;
  const place = <T extends object>(spec: T, declared: string | undefined): T => {
    const host = declared ?? only;
    return host === undefined ? spec : { ...spec, host };
  };
  const services = topology.services.map((s) => place(s, raw.services?.[s.key]?.host));
  const networks = topology.networks.map((n) => {
    if (!isLocalDriver(n.driver) || n.external) return place(n, raw.networks?.[n.key]?.host);
    const declared = raw.networks?.[n.key]?.host;
    if (declared !== undefined) return { ...n, host: declared };
    const users = new Set(services.filter((s) => s.mode.kind === "networks" && s.attachments.some((a) => a.network === n.key)).map((s) => s.host));
    const inferred = users.size === 1 ? [...users][0] : undefined;
    return place(n, inferred);
  });
  return {
    ...topology,
    hosts,
    services,
    networks,
    hostServices: topology.hostServices.map((h) => place(h, raw.hostServices?.[h.key]?.host)),
    registries: topology.registries.map((r) => place(r, raw.registries?.[r.key]?.host)),
  };
}

/** The host overlays are created on: the (first) swarm manager. */
export function managerOf(hosts: readonly HostSpec[]): HostSpec | undefined {
  return hosts.find((h) => h.swarm === SwarmRole.Manager);
}

/**
 * The part of a topology one host's engine holds, as a one-host topology: its containers, registries
 * and host services, its local networks, and the overlays on the manager (where a swarm's networks
 * are listed).
 */
export function onHost(topology: TopologySpec, host: HostSpec): TopologySpec {
  const here = <T extends { readonly host?: string }>(x: T) => x.host === host.key;
  return {
    ...topology,
    hosts: [],
    services: topology.services.filter(here),
    registries: topology.registries.filter(here),
    hostServices: topology.hostServices.filter(here),
    networks: topology.networks.filter((n) => (isLocalDriver(n.driver) ? n.host === host.key : host.swarm === SwarmRole.Manager)),
  };
}
