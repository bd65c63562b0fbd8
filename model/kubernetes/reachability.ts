import { canonicalIp, isLoopback, isWildcard, parseIp } from "../ip";
import { namespaceOwner } from "../docker/namespaces";
import { ReachabilityEdge, Via } from "../reachability";
import { HOST_DOCKER_INTERNAL, HOST_GATEWAY, Protocol, TopologySpec } from "../types";
import { nodePublish } from "./nodes";
import { BridgeVia, ClusterServiceType } from "./types";

/** A port a node serves for a cluster service. */
interface Exposure {
  /** `kubernetes.services.<key>`. */
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** The node address it is served on (`0.0.0.0`: every address). */
  readonly bind: string;
  /** `published-port` for node ports and hostPorts (bound on the host like a published port), `host-network` for hostNetwork pods. */
  readonly via: "published-port" | "host-network";
  /** What serves it, for the reason. */
  readonly what: string;
}

function bracket(ip: string): string {
  return ip.includes(":") ? `[${ip}]` : ip;
}

/** Every port the nodes serve, a bridge's bind address replacing the default of the port it exposes. */
function exposures(topology: TopologySpec): Exposure[] {
  const kubernetes = topology.kubernetes;
  if (!kubernetes) return [];
  const found = new Map<string, Exposure>();
  const put = (e: Exposure) => found.set(`${e.to}|${e.port}|${e.protocol}`, e);
  for (const service of kubernetes.services) {
    const to = `kubernetes.services.${service.key}`;
    for (const p of service.ports) {
      const target = `${to}:${p.port}/${p.protocol}`;
      if (service.type !== ClusterServiceType.ClusterIP && p.nodePort !== undefined) {
        put({ to, port: p.nodePort, protocol: p.protocol, bind: "0.0.0.0", via: "published-port", what: `node port ${p.nodePort} forwards to ${target}` });
      }
      if (service.hostNetwork) {
        put({ to, port: p.targetPort, protocol: p.protocol, bind: "0.0.0.0", via: "host-network", what: `the pod listens on the node's port ${p.targetPort}/${p.protocol} (hostNetwork)` });
      } else if (p.hostPort !== undefined) {
        put({ to, port: p.hostPort, protocol: p.protocol, bind: p.hostIP ?? "0.0.0.0", via: "published-port", what: `hostPort ${p.hostPort} forwards to the pod's ${p.targetPort}/${p.protocol}` });
      }
    }
  }
  const proxy = kubernetes.registry?.proxy;
  if (proxy) {
    const registry = kubernetes.registry!;
    put({ to: "kubernetes.registry", port: proxy.hostPort, protocol: Protocol.Tcp, bind: proxy.hostIp ?? "0.0.0.0", via: "published-port", what: `the registry proxy ${registry.namespace}/${proxy.name} binds hostPort ${proxy.hostPort} on every node for ${registry.name}.${registry.namespace}.svc:5000` });
  }
  const services = new Map(kubernetes.services.map((s) => [s.key, s]));
  for (const bridge of kubernetes.bridges) {
    if (!services.has(bridge.service) || bridge.exposedPort === undefined || bridge.servicePort === undefined) continue;
    const to = `kubernetes.services.${bridge.service}`;
    const target = `${to}:${bridge.servicePort}/${bridge.protocol}`;
    const how = bridge.via === BridgeVia.NodePort ? `node port ${bridge.exposedPort}` : `a hostPort proxy on ${bridge.exposedPort}`;
    put({ to, port: bridge.exposedPort, protocol: bridge.via === BridgeVia.NodePort ? bridge.protocol : Protocol.Tcp, bind: bridge.bindAddress, via: "published-port", what: `kubernetes.bridges.${bridge.key} exposes ${target} as ${how}` });
  }
  return [...found.values()];
}

/** Container nodes: only what the node container publishes is on the host, at the published port. */
function onHost(topology: TopologySpec, found: readonly Exposure[]): Exposure[] {
  const nodes = topology.kubernetes!.nodes;
  if (nodes.kind === "host") return [...found];
  return found.flatMap((e) => {
    const publish = nodePublish(nodes, e.port, e.protocol);
    if (!publish) return [];
    return [{ ...e, port: publish.published, bind: publish.hostIp, via: "published-port" as const, what: `${e.what} in node container ${nodes.container}, published on ${bracket(publish.hostIp)}:${publish.published}` }];
  });
}

/**
 * The cluster edges of a topology. With `nodes: host` the nodes are the Docker
 * host; with container nodes (kind, minikube's docker driver) only the ports
 * the node container publishes are on the host, at their published port. The host reaches node ports, host ports and hostNetwork
 * pods on the address they are bound to; a container reaches them through
 * `host.docker.internal` (host-gateway) only when bound on every address or on
 * the bridge gateway, through the host address itself when bound to another
 * non-loopback address, and never when bound to loopback; host-network
 * containers reach them as the host does.
 */
export function clusterEdges(topology: TopologySpec): ReachabilityEdge[] {
  const all = exposures(topology);
  if (all.length === 0) return [];
  const found = onHost(topology, all);
  const services = new Map(topology.services.map((s) => [s.key, s]));
  const gateway = topology.defaultBridge.gateway;
  const edges: ReachabilityEdge[] = inNodeNetwork(topology, all);
  for (const e of found) {
    const parsed = parseIp(e.bind);
    if (!parsed) continue;
    const everywhere = isWildcard(e.bind);
    const address = everywhere ? "localhost" : bracket(parsed.text);
    const bound = `${bracket(parsed.text)}:${e.port}`;
    const common = { to: e.to, port: e.port, protocol: e.protocol };
    const fromHost = { host: address, names: everywhere ? ["localhost", "127.0.0.1"] : [parsed.text], via: e.via, reason: `${e.what}, bound on ${bound}` };
    edges.push({ from: "host", ...fromHost, ...common });
    for (const client of topology.services) {
      const owner = namespaceOwner(client, services);
      const from = `services.${client.key}`;
      if (owner.mode.kind === "host") {
        edges.push({ from, ...fromHost, reason: `${fromHost.reason}; host networking shares the host's addresses`, ...common });
        continue;
      }
      if (owner.mode.kind !== "networks" && owner.mode.kind !== "default-bridge") continue;
      if (isLoopback(e.bind)) continue;
      if (everywhere || canonicalIp(e.bind) === canonicalIp(gateway)) {
        if (!owner.extraHosts.some((h) => h.host === HOST_DOCKER_INTERNAL && h.ip === HOST_GATEWAY)) continue;
        edges.push({ from, host: HOST_DOCKER_INTERNAL, names: [HOST_DOCKER_INTERNAL], via: "host-gateway", reason: `${e.what}, bound on ${bound}, which the host gateway ${gateway} reaches`, ...common });
      } else {
        edges.push({ from, host: address, names: [parsed.text], via: "host-gateway", reason: `${e.what}, bound on ${bound}: a host address, routed through the container's gateway`, ...common });
      }
    }
  }
  return edges;
}

/** Container nodes: members of the node container's Docker network reach every node port and hostPort by the node's name. */
function inNodeNetwork(topology: TopologySpec, found: readonly Exposure[]): ReachabilityEdge[] {
  const nodes = topology.kubernetes!.nodes;
  if (nodes.kind !== "containers") return [];
  const network = topology.networks.find((n) => n.dockerName === nodes.network);
  if (!network) return [];
  const members = topology.services.filter((s) => s.attachments.some((a) => a.network === network.key));
  return found.flatMap((e) =>
      members.map((client) => ({
        from: `services.${client.key}`,
        to: e.to,
        host: nodes.container,
        names: [nodes.container],
        port: e.port,
        protocol: e.protocol,
        via: Via.Network,
        network: network.key,
        reason: `${e.what} in node container ${nodes.container}, which networks.${network.key} (${nodes.network}) reaches by name`,
      })),
  );
}
