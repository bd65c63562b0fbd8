/**
 * Why a connection a service means to make works, or why not and what to change: the path from
 * computeReachability when there is one, otherwise the failing hop in the seeds' vocabulary
 * (localhost inside a container, host listeners on 127.0.0.1, networks not shared, ports not
 * declared, the default bridge's missing DNS, icc off).
 */
import { namespaceOwner } from "../docker/namespaces";
import { isLoopback, isWildcard } from "../ip";
import { dnsNames } from "../names";
import { Reachability, ReachabilityEdge } from "../reachability";
import { HOST_DOCKER_INTERNAL, ServiceSpec, TopologySpec } from "../types";
import { LOOPBACK_NAMES } from "./read";
import { crossHostReasons } from "../hosts/explain";

/** The answer for one connection. */
export interface IntentAnswer {
  /** The edges that make it work (empty when it cannot). */
  readonly path: readonly ReachabilityEdge[];
  /** Why it cannot work, one sentence per failing hop. */
  readonly reasons: readonly string[];
  /** The smallest change that would make it work. */
  readonly fix?: string;
}

const matches = (e: ReachabilityEdge, host: string, port: number) => (e.host?.toLowerCase() === host || e.names.some((n) => n.toLowerCase() === host)) && (e.port === undefined || e.port === port);

/** Services and registries that answer to `name` on a network, with that network. */
function answering(topology: TopologySpec, name: string): { ref: string; network: string; ports: number[] }[] {
  const out: { ref: string; network: string; ports: number[] }[] = [];
  for (const s of topology.services) {
    for (const a of s.attachments) {
      if (dnsNames(s, a).some((n) => n.toLowerCase() === name)) out.push({ ref: `services.${s.key}`, network: a.network, ports: [...s.ports.map((p) => p.target), ...s.expose.map((e) => e.port)] });
    }
  }
  for (const r of topology.registries) {
    for (const a of r.attachments) {
      if ([r.key, r.dockerName, ...a.aliases].some((n) => n.toLowerCase() === name)) out.push({ ref: `registries.${r.key}`, network: a.network, ports: [r.containerPort] });
    }
  }
  return out;
}

function viaHostGateway(topology: TopologySpec, caller: ServiceSpec, port: number): { reasons: string[]; fix?: string } {
  if (caller.mode.kind === "none") return { reasons: [`services.${caller.key} has networkMode none: it has no network at all`], fix: `join a network (remove networkMode: none)` };
  if (!caller.extraHosts.some((h) => h.host === HOST_DOCKER_INTERNAL)) {
    return { reasons: [`services.${caller.key} has no ${HOST_DOCKER_INTERNAL} entry (hostGateway: false)`], fix: `remove hostGateway: false from services.${caller.key}` };
  }
  const gateway = topology.defaultBridge.gateway;
  const listener = topology.hostServices.find((h) => h.port === port);
  if (listener && !isWildcard(listener.address) && listener.address !== gateway) {
    return {
      reasons: [`hostServices.${listener.key} listens on ${listener.address}:${port}${isLoopback(listener.address) ? ", the host's loopback: containers never reach it" : ", an address containers are not routed to"}`],
      fix: `bind it on 0.0.0.0 or on the bridge gateway ${gateway} (for a port-forward: kubectl port-forward --address 0.0.0.0)`,
    };
  }
  const published = topology.services.find((s) => s.ports.some((p) => p.published === port));
  const bind = published?.ports.find((p) => p.published === port);
  if (published && bind && !isWildcard(bind.hostIp) && bind.hostIp !== gateway) {
    const shared = published.attachments.find((a) => caller.attachments.some((c) => c.network === a.network));
    return {
      reasons: [`services.${published.key} publishes ${port} on ${bind.hostIp} only; ${HOST_DOCKER_INTERNAL} reaches published ports bound to 0.0.0.0 or the gateway ${gateway}`],
      fix: shared ? `call ${published.key}:${bind.target} over networks.${shared.network}, which both share` : `join a network services.${published.key} is on and call ${published.key}:${bind.target}, or publish on ${gateway}`,
    };
  }
  if (!listener && !published) return { reasons: [`nothing on the host listens on ${port}: no host service and no published port`], fix: `declare the listener under hostServices (address 0.0.0.0, port ${port}), or publish a service on ${port}` };
  return { reasons: [`services.${caller.key} has no path to the host (only internal, macvlan or ipvlan networks)`], fix: `join a bridge network that is not internal` };
}

function byName(topology: TopologySpec, caller: ServiceSpec, host: string, port: number): { reasons: string[]; fix?: string } {
  const targets = answering(topology, host);
  if (caller.mode.kind === "none") return { reasons: [`services.${caller.key} has networkMode none: it has no network at all`], fix: `join a network (remove networkMode: none)` };
  if (caller.mode.kind === "default-bridge") {
    return { reasons: [`services.${caller.key} is on the default bridge, which has no DNS: the name ${host} does not resolve there`], fix: targets[0] ? `join networks.${targets[0].network} and call ${host}:${port}` : `declare a network and put both services on it` };
  }
  if (caller.mode.kind === "host") return { reasons: [`services.${caller.key} uses the host's network: Docker's DNS names do not resolve there`], fix: `call the target's published port on the host (127.0.0.1), or join a network` };
  if (targets.length === 0) return { reasons: [`no service or registry answers to ${host} on any network`], fix: `use a service key or an alias declared on a network` };
  const onCaller = new Set(caller.attachments.map((a) => a.network));
  const shared = targets.filter((t) => onCaller.has(t.network));
  if (shared.length === 0) {
    const where = [...new Set(targets.map((t) => `networks.${t.network}`))].join(", ");
    return { reasons: [`${host} answers on ${where} only, and services.${caller.key} is not on ${targets.length > 1 ? "any of them" : "it"}`], fix: `add ${targets[0]!.network} to services.${caller.key}.networks` };
  }
  const target = shared[0]!;
  const network = topology.networks.find((n) => n.key === target.network);
  if (network && !network.icc) return { reasons: [`networks.${network.key} sets icc: false: containers on it cannot reach each other`], fix: `remove icc: false from networks.${network.key}, or use another network` };
  if (target.ports.length > 0 && !target.ports.includes(port)) {
    return { reasons: [`${target.ref} declares no port ${port} (it declares ${[...new Set(target.ports)].join(", ")})`], fix: `add ${port} to ${target.ref}.expose, or call one of its declared ports` };
  }
  return { reasons: [`computeReachability finds no path from services.${caller.key} to ${host}:${port}`] };
}

/** Answers whether `caller` reaches `host`:`port`, with the path or the reasons and a fix. */
export function explainConnection(topology: TopologySpec, reachability: Reachability, caller: ServiceSpec, host: string, port: number): IntentAnswer {
  const services = new Map(topology.services.map((s) => [s.key, s]));
  const owner = namespaceOwner(caller, services);
  const name = host.toLowerCase();
  const from = new Set([`services.${caller.key}`, `services.${owner.key}`]);
  const path = reachability.edges.filter((e) => from.has(e.from) && matches(e, name, port));
  if (path.length > 0) return { path, reasons: [] };
  if (LOOPBACK_NAMES.has(name)) {
    const members = topology.services.filter((s) => namespaceOwner(s, services) === owner);
    if (members.some((s) => s.ports.some((p) => p.target === port) || s.expose.some((e) => e.port === port))) return { path: [], reasons: [] };
    const onHost = topology.hostServices.some((h) => h.port === port) || topology.services.some((s) => s.ports.some((p) => p.published === port));
    if (owner.mode.kind === "host") return { path: [], reasons: [`nothing on the host listens on ${port}`], fix: `declare the listener under hostServices, or publish a service on ${port}` };
    // When host.docker.internal would not work either, say that too.
    const gatewayWorks = reachability.edges.some((e) => from.has(e.from) && matches(e, HOST_DOCKER_INTERNAL, port));
    const gateway = onHost && !gatewayWorks ? viaHostGateway(topology, owner, port) : undefined;
    return {
      path: [],
      reasons: [`inside a container, ${host} is the container itself, not the host: services.${owner.key} declares nothing on ${port}`, ...(gateway?.reasons ?? [])],
      fix: onHost ? `call ${HOST_DOCKER_INTERNAL}:${port} (toContainerUrl rewrites localhost URLs)${gateway?.fix ? `, and ${gateway.fix}` : ""}` : `call the service that listens on ${port} by its name on a shared network`,
    };
  }
  const answer = crossHostReasons(topology, owner, name, port) ?? (name === HOST_DOCKER_INTERNAL ? viaHostGateway(topology, owner, port) : byName(topology, owner, name, port));
  return { path: [], ...answer };
}
