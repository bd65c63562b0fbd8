import { canonicalIp, isWildcard } from "../ip";
import { namespaceOwner } from "../docker/namespaces";
import type { ReachabilityEdge } from "../reachability";
import { hostEnd, isMultiHost } from "../hosts/reachability";
import { HOST_DOCKER_INTERNAL, HOST_GATEWAY, Protocol, ServiceSpec, TopologySpec } from "../types";

const bracket = (ip: string) => (ip.includes(":") ? `[${ip}]` : ip);

/**
 * The edges to local registries, by the same engine rules as services: the
 * host reaches the published port on its bind address; containers sharing a
 * network reach the registry by alias on its container port; host-network
 * containers reach the published port; other containers reach it through
 * `host.docker.internal` only when it is bound to every address or to the
 * gateway. Registries only on internal, macvlan or ipvlan networks publish
 * nothing.
 */
export function registryEdges(topology: TopologySpec): ReachabilityEdge[] {
  if (topology.registries.length === 0) return [];
  const networks = new Map(topology.networks.map((n) => [n.key, n]));
  const services = new Map(topology.services.map((s) => [s.key, s]));
  const direct = (key: string) => {
    const n = networks.get(key);
    return n !== undefined && (n.internal || n.driver === "macvlan" || n.driver === "ipvlan");
  };
  const gateway = topology.defaultBridge.gateway;
  const edges: ReachabilityEdge[] = [];
  for (const registry of topology.registries) {
    const to = `registries.${registry.key}`;
    const publishes = registry.attachments.length === 0 || !registry.attachments.every((a) => direct(a.network));
    const everywhere = isWildcard(registry.hostIp);
    const address = everywhere ? "localhost" : bracket(registry.hostIp);
    const bound = `${bracket(registry.hostIp)}:${registry.port}`;
    const published = { to, port: registry.port, protocol: Protocol.Tcp };
    if (publishes) edges.push({ from: hostEnd(topology, registry.host), host: address, names: everywhere ? ["localhost", "127.0.0.1"] : [registry.hostIp], via: "published-port", reason: `registry published on ${bound}`, ...published });
    for (const client of topology.services) {
      const owner: ServiceSpec = namespaceOwner(client, services);
      const from = `services.${client.key}`;
      // With several hosts, a published port is this host's: other hosts' containers meet it only over a shared overlay.
      const local = !isMultiHost(topology) || client.host === registry.host;
      if (owner.mode.kind === "host") {
        if (!local) continue;
        if (publishes) edges.push({ from, host: address, names: [address], via: "published-port", reason: `registry published on ${bound}; host networking shares the host's addresses`, ...published });
        continue;
      }
      if (owner.mode.kind === "networks") {
        const shared = registry.attachments.find((a) => networks.get(a.network)?.icc !== false && owner.attachments.some((o) => o.network === a.network));
        if (shared) {
          const names = [...new Set([...shared.aliases, registry.dockerName])];
          edges.push({ from, to, host: names[0]!, names, port: registry.containerPort, protocol: Protocol.Tcp, via: "network", network: shared.network, reason: `both on networks.${shared.network}; the registry answers to ${names[0]}` });
          continue;
        }
      }
      if (!local || (owner.mode.kind !== "networks" && owner.mode.kind !== "default-bridge")) continue;
      const hasGateway = owner.extraHosts.some((h) => h.host === HOST_DOCKER_INTERNAL && h.ip === HOST_GATEWAY);
      const onlyDirect = owner.mode.kind === "networks" && owner.attachments.every((a) => direct(a.network));
      if (!publishes || !hasGateway || onlyDirect || !(everywhere || canonicalIp(registry.hostIp) === canonicalIp(gateway))) continue;
      edges.push({ from, host: HOST_DOCKER_INTERNAL, names: [HOST_DOCKER_INTERNAL], via: "host-gateway", reason: `registry published on ${bound}, which the host gateway ${gateway} reaches`, ...published });
    }
  }
  return edges;
}
