import { isLoopback, isWildcard, canonicalIp } from "./ip";
import { namespaceOwner } from "./docker/namespaces";
import { dnsNames } from "./names";
import { clusterEdges } from "./kubernetes/reachability";
import { registryEdges } from "./registry/reachability";
import { HOST_DOCKER_INTERNAL, Protocol, ServiceSpec, TopologySpec } from "./types";
import { answersOn, crossHostEdges, hostAddress, hostEnd, isMultiHost } from "./hosts/reachability";
import { isLocalDriver } from "./hosts/normalize";

export { hostEnd, isMultiHost };

/** How a connection gets from one end to the other. */
export const Via = {
  /** Container to container over a user-defined network they share, by name or alias. */
  Network: "network",
  /** Container to container on the default bridge: by IP only, Docker gives no DNS there. */
  DefaultBridge: "default-bridge",
  /** Host (or a host-network container) to a published port; also a Kubernetes node port or hostPort. */
  PublishedPort: "published-port",
  /** Container to the host through `host.docker.internal` (host-gateway). */
  HostGateway: "host-gateway",
  /** The host's own stack: host-network containers and the host share loopback. */
  HostNetwork: "host-network",
  /** Containers in one network namespace (`container:X`) share localhost. */
  SharedNamespace: "shared-namespace",
  /** A host, or a container through its host's gateway, to a port on another host's address. */
  OtherHost: "other-host",
} as const;
/** One of {@link Via}. */
export type Via = (typeof Via)[keyof typeof Via];

/** The host itself, as an edge end (with several hosts: `hosts.<key>`, see {@link hostEnd}). */
export const HOST = "host";

/** One way a client reaches a listener. */
export interface ReachabilityEdge {
  /** `services.<key>`, {@link HOST}, or `hosts.<key>` with several hosts. */
  readonly from: string;
  /** `services.<key>`, `hostServices.<key>`, `kubernetes.services.<key>` or {@link HOST}. */
  readonly to: string;
  /** What the client dials: a name or an address (undefined: an IP Docker assigns at run time). */
  readonly host?: string;
  /** Every name that works the same way (aliases), when there are several. */
  readonly names: readonly string[];
  /** The port dialled; undefined when the listener declares no port (any port it listens on). */
  readonly port?: number;
  readonly protocol: Protocol;
  readonly via: Via;
  /** The network the connection crosses, for container-to-container and gateway edges. */
  readonly network?: string;
  /** Why this edge exists, in one sentence. */
  readonly reason: string;
}

/** Every predicted edge, sorted by from, to, port, host. */
export interface Reachability {
  readonly edges: readonly ReachabilityEdge[];
}

interface Listener {
  readonly service: ServiceSpec;
  readonly port?: number;
  readonly protocol: Protocol;
}

/** Ports a service listens on, as declared by its ports' targets and expose (once each). */
function listenersOf(service: ServiceSpec): Listener[] {
  const { ports, expose } = service;
  const out: Listener[] = [];
  // Most services declare one port: no set, no temporary arrays, unless there is something to dedupe.
  const seen = ports.length + expose.length > 1 ? new Set<string>() : undefined;
  for (let i = 0; i < ports.length + expose.length; i++) {
    const port = i < ports.length ? ports[i]!.target : expose[i - ports.length]!.port;
    const protocol = i < ports.length ? ports[i]!.protocol : expose[i - ports.length]!.protocol;
    if (seen) {
      const key = `${port}/${protocol}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push({ service, port, protocol });
  }
  return out;
}

const refs = new WeakMap<ServiceSpec, string>();
/** `services.<key>`, one string per service, so edges share it and the sort compares it by identity. */
const ref = (service: ServiceSpec) => {
  let text = refs.get(service);
  if (text === undefined) refs.set(service, (text = `services.${service.key}`));
  return text;
};
/** The function, answering each argument once (for pure questions about a string). */
function memo<T>(answer: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    if (answers.has(text)) return answers.get(text)!;
    const value = answer(text);
    answers.set(text, value);
    return value;
  };
}
const hostPort = (ip: string, port: number) => `${ip.includes(":") ? `[${ip}]` : ip}:${port}`;

const text = (x: string | undefined, y: string | undefined) => (x === y ? 0 : (x ?? "") < (y ?? "") ? -1 : (x ?? "") > (y ?? "") ? 1 : 0);

function compareEdges(a: ReachabilityEdge, b: ReachabilityEdge): number {
  return text(a.from, b.from) || text(a.to, b.to) || (a.port ?? 0) - (b.port ?? 0) || text(a.protocol, b.protocol) || text(a.via, b.via) || text(a.host, b.host) || text(a.network, b.network);
}

/**
 * Who reaches whom in a normalized, valid topology, and why. The rules are the
 * Docker Engine's (measured in tests/e2e):
 *
 * - Containers reach each other by name and alias only over a user-defined
 *   network they share (not when the network sets `icc: false`), on the ports
 *   the listener declares (`ports[].target`, `expose`). On the default bridge
 *   they reach each other by IP only.
 * - The host reaches a published port on the host IP it is bound to
 *   (`0.0.0.0`/`::` means every address, so `localhost` too), unless the
 *   container sits only on internal, macvlan or ipvlan networks, where Docker
 *   publishes nothing.
 *   `0.0.0.0` and `::` are separate binds (Docker's IPv6 listener is v6-only).
 * - A container with the host-gateway mapping reaches a host listener through
 *   `host.docker.internal` only when it listens on `0.0.0.0`/`::` or on the
 *   default bridge's gateway; never one bound to 127.0.0.1. That is local
 *   delivery, so it works from internal networks too. It also reaches a
 *   published port of another container that way when that port is bound to
 *   every address, except from a container only on internal networks: that
 *   traffic is forwarded, and internal networks drop forwarded traffic.
 *   A container only on macvlan/ipvlan networks has no path to the host at
 *   all (the parent's own addresses are unreachable from its children).
 * - Host-network containers share the host's stack: the host and other
 *   host-network containers reach them on localhost, containers with the
 *   host-gateway mapping through `host.docker.internal` (they listen on every
 *   address); they reach every host listener (127.0.0.1 included) and every
 *   published port.
 * - `none` reaches nothing and nothing reaches it; `container:X` services live
 *   in X's namespace: they share localhost with it and its reachability.
 */
export function computeReachability(topology: TopologySpec): Reachability {
  const multi = isMultiHost(topology);
  const withoutIpsec = new Set((topology.hosts ?? []).filter((h) => !h.ipsec).map((h) => h.key as string | undefined));
  /** With several hosts, only clients on the server's host reach what the host itself reaches. */
  const sameHost = (a: { readonly host?: string }, b: { readonly host?: string }) => !multi || a.host === b.host;
  const services = new Map(topology.services.map((s) => [s.key, s]));
  const networks = new Map(topology.networks.map((n) => [n.key, n]));
  // Only `container:X` services live in another's namespace: the rest own theirs (no walk, no allocation).
  const owner = new Map(topology.services.map((s) => [s.key, s.mode.kind === "container" ? namespaceOwner(s, services) : s]));
  const members = new Map<string, ServiceSpec[]>();
  for (const service of topology.services) {
    const root = owner.get(service.key)!;
    const group = members.get(root.key);
    if (group) group.push(service);
    else members.set(root.key, [service]);
  }
  // A namespace that declares no port is still reachable: one port-less listener stands for "any port".
  // Computed once per namespace: the loops below ask for a server's listeners once per client.
  const listenersByRoot = new Map<string, Listener[]>();
  const namespaceListeners = (root: ServiceSpec): Listener[] => {
    let listeners = listenersByRoot.get(root.key);
    if (listeners) return listeners;
    const declared = (members.get(root.key) ?? [root]).flatMap(listenersOf);
    listeners = declared.length > 0 ? declared : [{ service: root, protocol: Protocol.Tcp }];
    listenersByRoot.set(root.key, listeners);
    return listeners;
  };
  const edges: ReachabilityEdge[] = [];
  const fromEach = (root: ServiceSpec, edge: Omit<ReachabilityEdge, "from">) => {
    const group = members.get(root.key) ?? [root];
    for (let i = 0; i < group.length; i++) edges.push({ from: ref(group[i]!), ...edge });
  };

  // Shared namespaces: members reach each other's listeners on localhost.
  members.forEach((group, rootKey) => {
    if (group.length < 2) return;
    const listeners = namespaceListeners(services.get(rootKey)!);
    for (const client of group) {
      for (const l of listeners) {
        if (l.service === client) continue;
        edges.push({ from: ref(client), to: ref(l.service), host: "localhost", names: ["localhost", "127.0.0.1"], ...(l.port !== undefined ? { port: l.port } : {}), protocol: l.protocol, via: Via.SharedNamespace, reason: `shares the network namespace of services.${rootKey}` });
      }
    }
  });

  // Container to container over user-defined networks, by name.
  const onNetwork = new Map<string, ServiceSpec[]>();
  for (const service of topology.services) {
    if (service.mode.kind !== "networks") continue;
    for (const attachment of service.attachments) {
      const group = onNetwork.get(attachment.network);
      if (group) group.push(service);
      else onNetwork.set(attachment.network, [service]);
    }
  }
  // Servers each client already reaches over an earlier network (in key order): one edge set per pair.
  // Only a pair that shares two networks can meet twice, so only clients and servers on several networks are tracked.
  const linked = new Map<ServiceSpec, Set<ServiceSpec>>();
  for (const [networkKey, group] of [...onNetwork].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const network = networks.get(networkKey);
    if (!network || !network.icc) continue;
    // A local network exists on one host: members placed on another host (an invalid declaration) meet no one.
    // An encrypted overlay carries nothing between hosts when either kernel lacks IPsec ESP (hosts.<k>.ipsec: false).
    const sameHostOnly = multi && isLocalDriver(network.driver);
    const sealed = multi && network.encrypted && !isLocalDriver(network.driver) ? withoutIpsec : undefined;
    for (let s = 0; s < group.length; s++) {
      const server = group[s]!;
      const attachment = server.attachments.find((a) => a.network === networkKey)!;
      const names = dnsNames(server, attachment);
      const listeners = namespaceListeners(server);
      const reason = `both on networks.${networkKey}; ${server.key} resolves by Docker's embedded DNS`;
      const host = server.key;
      const multiHomed = server.attachments.length > 1;
      for (let c = 0; c < group.length; c++) {
        const client = group[c]!;
        if (client === server || (sameHostOnly && client.host !== server.host)) continue;
        if (sealed && client.host !== server.host && (sealed.has(client.host) || sealed.has(server.host))) continue;
        if (multiHomed && client.attachments.length > 1) {
          let reached = linked.get(client);
          if (!reached) linked.set(client, (reached = new Set()));
          if (reached.has(server)) continue;
          reached.add(server);
        }
        const from = members.get(client.key) ?? [client];
        // The hottest loop, one object per edge: the literal written out (no spread of a partial edge),
        // indexed loops (for-of here left an iterator result per step in the optimized code).
        for (let i = 0; i < listeners.length; i++) {
          const l = listeners[i]!;
          const to = ref(l.service);
          for (let j = 0; j < from.length; j++) {
            const member = from[j]!;
            edges.push(
              l.port !== undefined
                ? { from: ref(member), to, host, names, port: l.port, protocol: l.protocol, via: Via.Network, network: networkKey, reason }
                : { from: ref(member), to, host, names, protocol: l.protocol, via: Via.Network, network: networkKey, reason },
            );
          }
        }
      }
    }
  }

  // The default bridge: by IP only.
  const onDefault = topology.services.filter((s) => s.mode.kind === "default-bridge");
  for (const server of onDefault) {
    for (const client of onDefault) {
      if (client === server || !sameHost(client, server)) continue;
      for (const l of namespaceListeners(server)) {
        fromEach(client, { to: ref(l.service), names: [], ...(l.port !== undefined ? { port: l.port } : {}), protocol: l.protocol, via: Via.DefaultBridge, reason: "both on the default bridge, which has no DNS: by container IP only" });
      }
    }
  }

  const onlyInternal = (service: ServiceSpec) => service.mode.kind === "networks" && service.attachments.every((a) => networks.get(a.network)?.internal === true);
  // Macvlan/ipvlan children sit on the parent's segment: no path to the host's own addresses, and no port mapping.
  const direct = (key: string) => networks.get(key)?.driver === "macvlan" || networks.get(key)?.driver === "ipvlan";
  const onlyDirect = (service: ServiceSpec) => service.mode.kind === "networks" && service.attachments.every((a) => direct(a.network));
  const publishes = (service: ServiceSpec) => service.mode.kind === "default-bridge" || (service.mode.kind === "networks" && service.attachments.some((a) => !direct(a.network) && networks.get(a.network)?.internal !== true));
  const hostGateway = topology.defaultBridge.gateway;
  // Host IPs repeat (nearly every port binds 127.0.0.1): each text is parsed once per call, not once per port.
  const wildcard = memo(isWildcard);
  const gatewayText = canonicalIp(hostGateway);
  const viaGateway = memo((address: string) => wildcard(address) || canonicalIp(address) === gatewayText);

  // Published ports: from the host, from host-network containers, and from containers through the host gateway.
  const hostNetworked = topology.services.filter((s) => s.mode.kind === "host");
  const hostServiceClients = topology.services.filter((s) => (s.mode.kind === "networks" || s.mode.kind === "default-bridge") && s.hostGateway && !onlyDirect(s));
  // Reaching another container's published port through the gateway is forwarded traffic, which internal networks drop.
  const gatewayClients = hostServiceClients.filter((s) => !onlyInternal(s));
  for (const server of topology.services) {
    if (!publishes(server)) continue;
    for (const port of server.ports) {
      if (port.published === undefined) continue;
      const everywhere = wildcard(port.hostIp);
      const address = everywhere ? "localhost" : port.hostIp;
      const common = { to: ref(server), port: port.published, protocol: port.protocol };
      const reason = `published on ${hostPort(port.hostIp, port.published)} -> ${port.target}/${port.protocol}`;
      // With several hosts, a bind that answers on the host's own address is dialled there too, by the host and its containers.
      const own = multi ? hostAddress(topology, server.host) : undefined;
      const ownAddress = own !== undefined && everywhere && answersOn(port.hostIp, own) ? own : undefined;
      edges.push({ from: hostEnd(topology, server.host), host: address, names: everywhere ? ["localhost", "127.0.0.1", ...(ownAddress ? [ownAddress] : [])] : [port.hostIp], via: Via.PublishedPort, reason, ...common });
      for (const client of hostNetworked) if (sameHost(client, server)) fromEach(client, { host: address, names: [address], via: Via.PublishedPort, reason: `${reason}; host networking shares the host's addresses`, ...common });
      if (!viaGateway(port.hostIp)) continue;
      for (let c = 0; c < gatewayClients.length; c++) {
        const client = gatewayClients[c]!;
        if (client === server || !sameHost(client, server)) continue;
        fromEach(client, { host: HOST_DOCKER_INTERNAL, names: ownAddress ? [HOST_DOCKER_INTERNAL, ownAddress] : [HOST_DOCKER_INTERNAL], via: Via.HostGateway, reason: `${reason}, which the host gateway ${hostGateway} reaches`, ...common });
      }
    }
  }

  // Host-network containers: the host and other host-network containers reach what they declare on localhost;
  // containers through the host gateway, like a host service on every address (local delivery, internal networks too).
  for (const server of hostNetworked) {
    for (const l of namespaceListeners(server)) {
      const common = { to: ref(l.service), ...(l.port !== undefined ? { port: l.port } : {}), protocol: l.protocol };
      edges.push({ from: hostEnd(topology, server.host), host: "localhost", names: ["localhost", "127.0.0.1"], via: Via.HostNetwork, reason: "runs in the host's network stack", ...common });
      for (const client of hostNetworked) {
        if (client !== server && sameHost(client, server)) fromEach(client, { host: "localhost", names: ["localhost", "127.0.0.1"], via: Via.HostNetwork, reason: "both run in the host's network stack", ...common });
      }
      for (let c = 0; c < hostServiceClients.length; c++) if (sameHost(hostServiceClients[c]!, server)) fromEach(hostServiceClients[c]!, { host: HOST_DOCKER_INTERNAL, names: [HOST_DOCKER_INTERNAL], via: Via.HostGateway, reason: `runs in the host's network stack, listening on every address, which includes the host gateway ${hostGateway}`, ...common });
    }
  }

  // Host services, from containers.
  for (const listener of topology.hostServices) {
    const to = `hostServices.${listener.key}`;
    const common = { to, port: listener.port, protocol: listener.protocol };
    const bound = hostPort(listener.address, listener.port);
    for (const client of hostNetworked) {
      if (sameHost(client, listener)) fromEach(client, { host: wildcard(listener.address) || isLoopback(listener.address) ? "localhost" : listener.address, names: [], via: Via.HostNetwork, reason: `listens on ${bound}; host networking shares the host's loopback`, ...common });
    }
    if (viaGateway(listener.address)) {
      for (let c = 0; c < hostServiceClients.length; c++) if (sameHost(hostServiceClients[c]!, listener)) fromEach(hostServiceClients[c]!, { host: HOST_DOCKER_INTERNAL, names: [HOST_DOCKER_INTERNAL], via: Via.HostGateway, reason: `listens on ${bound}, which includes the host gateway ${hostGateway}`, ...common });
    }
  }

  if (multi) {
    const wayOut = (s: ServiceSpec) => {
      const root = owner.get(s.key)!;
      return root.mode.kind === "default-bridge" || (root.mode.kind === "networks" && !onlyInternal(root) && !onlyDirect(root));
    };
    for (const e of crossHostEdges(topology, publishes, wayOut)) edges.push(e);
  }
  edges.push(...clusterEdges(topology), ...registryEdges(topology));
  return { edges: sortEdges(edges) };
}

/**
 * The same order as `edges.sort(compareEdges)` in O(E log d) rather than
 * O(E log E), d being a client's edge count: compareEdges orders by `from`
 * first, so the edges are grouped by client, the clients sorted, and each group
 * sorted on its own (stably, as Array#sort).
 */
function sortEdges(edges: readonly ReachabilityEdge[]): ReachabilityEdge[] {
  const byFrom = new Map<string, ReachabilityEdge[]>();
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i]!;
    const group = byFrom.get(edge.from);
    if (group) group.push(edge);
    else byFrom.set(edge.from, [edge]);
  }
  const sorted: ReachabilityEdge[] = [];
  for (const from of [...byFrom.keys()].sort(text)) {
    const group = byFrom.get(from)!;
    if (group.length > SHORT_GROUP) group.sort(compareEdges);
    else insertionSort(group);
    for (let i = 0; i < group.length; i++) sorted.push(group[i]!);
  }
  return sorted;
}

/** Groups up to this long are sorted by {@link insertionSort}: Array#sort allocates a work array per call. */
const SHORT_GROUP = 64;

/**
 * Stable binary insertion sort by compareEdges, in place: the same order as Array#sort (both are
 * stable, and compareEdges is a total order on the fields it reads), without allocating.
 */
function insertionSort(group: ReachabilityEdge[]): void {
  for (let i = 1; i < group.length; i++) {
    const edge = group[i]!;
    if (compareEdges(group[i - 1]!, edge) <= 0) continue; // already after the sorted part: edges mostly come in order
    let lo = 0;
    let hi = i;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEdges(edge, group[mid]!) < 0) hi = mid;
      else lo = mid + 1; // after equal edges: stable
    }
    for (let j = i; j > lo; j--) group[j] = group[j - 1]!;
    group[lo] = edge;
  }
}

/** The edges from one end to another, optionally on one port. */
export function edgesBetween(reachability: Reachability, from: string, to: string, port?: number): ReachabilityEdge[] {
  return reachability.edges.filter((e) => e.from === from && e.to === to && (port === undefined || e.port === undefined || e.port === port));
}
