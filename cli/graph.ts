import { addressPlan } from "../model/docker/address-plan";
import { isLoopback, isWildcard } from "../model/ip";
import { HOST, isMultiHost, Reachability, Via } from "../model/reachability";
import { HOST_DOCKER_INTERNAL, NetworkSpec, ServiceSpec, TopologySpec } from "../model/types";

/** Output formats of the `graph` command. */
export const GraphFormat = { Svg: "svg", Dot: "dot", Mermaid: "mermaid", Json: "json" } as const;
/** One of {@link GraphFormat}. */
export type GraphFormat = (typeof GraphFormat)[keyof typeof GraphFormat];

/** What a node stands for; decides its shape. */
export type NodeKind = "host" | "gateway" | "host-service" | "port" | "network" | "service" | "registry" | "kubernetes";

/** A box in the picture. */
export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Lines of the label, first the name. */
  readonly label: readonly string[];
  /** Cluster id, or undefined at the top level. */
  readonly cluster?: string;
}

/** A group: the Docker host (each host, with several), each network, the default bridge. */
export interface GraphCluster {
  readonly id: string;
  readonly label: readonly string[];
  /** The cluster it is drawn inside (a host's networks inside the host); undefined at the top level. */
  readonly parent?: string;
}

/** A line between two nodes. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** `membership`: a service on a network (no arrow); `dashed`: through the host gateway; `dotted`: a shared namespace. */
  readonly style: "solid" | "dashed" | "dotted" | "membership";
}

/** The picture, independent of the output format. */
export interface TopologyGraph {
  readonly title: string;
  readonly clusters: readonly GraphCluster[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const HOST_CLUSTER = "cluster:host";
const DEFAULT_BRIDGE_CLUSTER = "cluster:default-bridge";
const HOST_NODE = "host";
const GATEWAY_NODE = "gateway";
const serviceId = (key: string) => `service:${key}`;
const networkId = (key: string) => `network:${key}`;
const hostServiceId = (key: string) => `hostService:${key}`;
const KUBERNETES_CLUSTER = "cluster:kubernetes";
const endpointId = (ref: string) =>
  ref === HOST ? HOST_NODE : ref.startsWith("hosts.") ? `host:${ref.slice(6)}` : ref.startsWith("services.") ? serviceId(ref.slice(9)) : ref.startsWith("hostServices.") ? hostServiceId(ref.slice(13)) : ref.startsWith("registries.") ? `registry:${ref.slice(11)}` : ref;
/** Whether a cluster has a node, itself or in a cluster inside it: empty boxes are not drawn. */
function drawn(graph: TopologyGraph, cluster: GraphCluster): boolean {
  return graph.nodes.some((n) => n.cluster === cluster.id) || graph.clusters.some((c) => c.parent === cluster.id && drawn(graph, c));
}
const bind = (ip: string, port: number | undefined, protocol: string) => `${ip.includes(":") ? `[${ip}]` : ip}:${port ?? "random"}/${protocol}`;

function networkLabel(network: NetworkSpec, gateway: string | undefined): string[] {
  const pool = network.pools.find((p) => p.family === "ipv4");
  const flags = [network.internal ? "internal" : "", network.attachable ? "attachable" : "", network.encrypted ? "encrypted" : "", network.ipv6 ? "ipv6" : ""].filter(Boolean);
  return [
    `networks.${network.key}: ${network.dockerName}`,
    `${network.driver} ${pool?.subnet ?? "subnet chosen by Docker"}${gateway ? ` gw ${gateway}` : ""}${flags.length > 0 ? ` (${flags.join(", ")})` : ""}`,
  ];
}

function serviceLabel(service: ServiceSpec): string[] {
  const lines = [service.key, service.dockerName];
  if (typeof service.image === "string") lines.push(service.image);
  if (service.mode.kind === "host") lines.push("network: host");
  if (service.mode.kind === "none") lines.push("network: none");
  if (service.mode.kind === "container") lines.push(`network: container:${service.mode.service}`);
  if (service.expose.length > 0) lines.push(`expose ${service.expose.map((e) => `${e.port}/${e.protocol}`).join(", ")}`);
  return lines;
}

/**
 * The picture of a topology: the Docker host (you, the host gateway
 * `host.docker.internal`, host services, published ports, host-network
 * containers), one cluster per network with its containers, the default
 * bridge, and registries when the model has them. Edges show membership
 * (with aliases and static addresses) and what the reachability says crosses
 * the host: published ports, the gateway, host networking, shared namespaces.
 */
export function buildGraph(model: TopologySpec, reachability: Reachability, title: string): TopologyGraph {
  const plan = addressPlan(model);
  const services = new Map(model.services.map((s) => [s.key, s]));
  // With several hosts, each host is a box of its own (its host node, gateway, ports, local networks).
  const multi = isMultiHost(model);
  const hostCluster = (host: string | undefined) => (multi && host !== undefined ? `cluster:host:${host}` : HOST_CLUSTER);
  const hostNode = (host: string | undefined) => (multi && host !== undefined ? `host:${host}` : HOST_NODE);
  const gatewayNode = (host: string | undefined) => (multi && host !== undefined ? `gateway:${host}` : GATEWAY_NODE);
  const defaultBridgeCluster = (host: string | undefined) => (multi && host !== undefined ? `cluster:default-bridge:${host}` : DEFAULT_BRIDGE_CLUSTER);
  const clusters: GraphCluster[] = [];
  const nodes: GraphNode[] = [];
  for (const host of multi ? model.hosts! : [undefined]) {
    const cluster = hostCluster(host?.key);
    clusters.push({ id: cluster, label: host ? [`hosts.${host.key}`, host.host ?? "DOCKER_HOST", `${host.address ?? "no address"}, swarm ${host.swarm}`] : ["Docker host"] });
    nodes.push(
      { id: hostNode(host?.key), kind: "host", label: host ? [`hosts.${host.key}`, host.address ?? "(no address)"] : ["host", "(your shell, browser, docker push)"], cluster },
      { id: gatewayNode(host?.key), kind: "gateway", label: [HOST_DOCKER_INTERNAL, `host-gateway ${model.defaultBridge.gateway}`], cluster },
    );
  }
  const edges: GraphEdge[] = [];
  const edgeKeys = new Set<string>();
  const addEdge = (edge: GraphEdge) => {
    const key = `${edge.from}|${edge.to}|${edge.label ?? ""}|${edge.style}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push(edge);
  };

  for (const network of model.networks) {
    const cluster = `cluster:network:${network.key}`;
    const onHost = multi && network.host !== undefined ? { parent: hostCluster(network.host) } : {};
    clusters.push({ id: cluster, label: networkLabel(network, plan.get(network.key)?.ipv4?.gateway), ...onHost });
    nodes.push({ id: networkId(network.key), kind: "network", label: [network.key], cluster });
  }
  const onDefaultBridge = [...model.services.filter((s) => s.mode.kind === "default-bridge"), ...(model.registries ?? []).filter((r) => r.attachments.length === 0)];
  for (const host of new Set(onDefaultBridge.map((x) => (multi ? x.host : undefined)))) {
    clusters.push({ id: defaultBridgeCluster(host), label: [`default bridge (docker0) ${model.defaultBridge.subnet}`, "no DNS: by IP only"], ...(multi && host !== undefined ? { parent: hostCluster(host) } : {}) });
  }
  for (const listener of model.hostServices) {
    const scope = isWildcard(listener.address) ? "every interface" : isLoopback(listener.address) ? "host only" : "one address";
    nodes.push({ id: hostServiceId(listener.key), kind: "host-service", label: [listener.key, `${bind(listener.address, listener.port, listener.protocol)} (${scope})`], cluster: hostCluster(listener.host) });
  }

  const clusterOf = (service: ServiceSpec, seen = new Set<string>()): string | undefined => {
    switch (service.mode.kind) {
      case "networks": {
        // With several hosts a container sits in its host's box: in its first local network there, else in the box itself.
        const local = multi ? service.attachments.find((a) => model.networks.find((n) => n.key === a.network)?.host !== undefined) : service.attachments[0];
        return local ? `cluster:network:${local.network}` : multi ? hostCluster(service.host) : undefined;
      }
      case "default-bridge":
        return defaultBridgeCluster(service.host);
      case "host":
        return hostCluster(service.host);
      case "none":
        return undefined;
      case "container": {
        const owner = services.get(service.mode.service);
        if (!owner || seen.has(owner.key)) return undefined;
        seen.add(service.key);
        return clusterOf(owner, seen);
      }
      default: {
        const unreachable: never = service.mode;
        throw new Error(`unhandled network mode ${JSON.stringify(unreachable)}`);
      }
    }
  };

  for (const service of model.services) {
    const cluster = clusterOf(service);
    nodes.push({ id: serviceId(service.key), kind: "service", label: serviceLabel(service), ...(cluster ? { cluster } : {}) });
    for (const attachment of service.mode.kind === "networks" ? service.attachments : []) {
      const extras = [...attachment.aliases, ...attachment.sharedAliases, attachment.ipv4Address, attachment.ipv6Address].filter((x): x is string => !!x);
      addEdge({ from: serviceId(service.key), to: networkId(attachment.network), ...(extras.length > 0 ? { label: extras.join(", ") } : {}), style: "membership" });
    }
    if (service.mode.kind === "container") addEdge({ from: serviceId(service.key), to: serviceId(service.mode.service), label: "shares namespace", style: "dotted" });
    for (const port of service.ports) {
      const id = `port:${service.key}:${port.index}`;
      // One truth: a publish the reachability has no edge for (Docker drops it) is drawn dotted and says so.
      const reached = port.published === undefined || reachability.edges.some((e) => e.to === `services.${service.key}` && e.port === port.published && e.via === Via.PublishedPort);
      nodes.push({ id, kind: "port", label: [bind(port.hostIp, port.published, port.protocol), ...(reached ? [] : ["published in vain"])], cluster: hostCluster(service.host) });
      addEdge({ from: id, to: serviceId(service.key), label: `${port.target}/${port.protocol}${reached ? "" : " (Docker publishes nothing here)"}`, style: reached ? "solid" : "dotted" });
    }
  }

  // Registries: reached by alias on their networks, and from the host through their published port.
  for (const registry of model.registries ?? []) {
    const id = `registry:${registry.key}`;
    const first = registry.attachments[0]?.network;
    const image = typeof registry.image === "string" ? [registry.image] : [];
    nodes.push({ id, kind: "registry", label: [`registries.${registry.key}`, registry.dockerName, ...image, `storage ${registry.volumeName}`], cluster: first ? `cluster:network:${first}` : defaultBridgeCluster(registry.host) });
    for (const attachment of registry.attachments) {
      addEdge({ from: id, to: networkId(attachment.network), label: attachment.aliases.map((a) => `${a}:${registry.containerPort}`).join(", "), style: "membership" });
    }
    const proxy = `port:registry:${registry.key}`;
    nodes.push({ id: proxy, kind: "port", label: [bind(registry.hostIp, registry.port, "tcp"), "registry port (docker push)"], cluster: hostCluster(registry.host) });
    addEdge({ from: hostNode(registry.host), to: proxy, style: "solid" });
    addEdge({ from: proxy, to: id, label: `${registry.containerPort}/tcp`, style: "solid" });
  }

  for (const edge of reachability.edges) {
    const from = endpointId(edge.from);
    const to = endpointId(edge.to);
    const port = edge.port !== undefined ? `:${edge.port}` : "";
    switch (edge.via as string) {
      case Via.PublishedPort: {
        const service = services.get(edge.to.slice(9));
        const published = service?.ports.find((p) => p.published === edge.port && p.protocol === edge.protocol);
        if (published && (edge.from === HOST || edge.from.startsWith("hosts."))) addEdge({ from, to: `port:${service!.key}:${published.index}`, style: "solid" });
        break;
      }
      case Via.OtherHost: {
        // From another host (or its container, through that host's gateway) to the port on this host's address.
        const service = services.get(edge.to.slice(9));
        const published = service?.ports.find((p) => p.published === edge.port && p.protocol === edge.protocol);
        addEdge({ from, to: published ? `port:${service!.key}:${published.index}` : to, label: `${edge.host ?? ""}${port}`, style: "solid" });
        break;
      }
      case Via.HostGateway: {
        // To a host service, or to another container's published port (through its port on the host).
        const service = services.get(edge.to.slice(9));
        const published = service?.ports.find((p) => p.published === edge.port && p.protocol === edge.protocol);
        const gateway = gatewayNode(services.get(edge.from.slice(9))?.host);
        addEdge({ from, to: gateway, style: "dashed" });
        addEdge({ from: gateway, to: published ? `port:${service!.key}:${published.index}` : to, label: `${HOST_DOCKER_INTERNAL}${port}`, style: "dashed" });
        break;
      }
      case Via.HostNetwork:
        addEdge({ from, to, label: `${edge.host ?? ""}${port}`, style: "solid" });
        break;
      case Via.Network:
      case Via.DefaultBridge:
      case Via.SharedNamespace:
        break; // shown by network membership and namespace edges
      default:
        // Other ways in (Kubernetes node ports, hostPorts): an edge to the listener, placed on its own when the model does not draw it.
        if (!nodes.some((n) => n.id === to)) {
          const kubernetes = edge.to.startsWith("kubernetes.");
          if (kubernetes && !clusters.some((c) => c.id === KUBERNETES_CLUSTER)) clusters.push({ id: KUBERNETES_CLUSTER, label: ["Kubernetes"] });
          nodes.push({ id: to, kind: "kubernetes", label: [edge.to], ...(kubernetes ? { cluster: KUBERNETES_CLUSTER } : {}) });
        }
        addEdge({ from, to, label: `${edge.host ?? ""}${port} (${edge.via})`, style: "solid" });
    }
  }

  return { title, clusters, nodes, edges };
}

// ---------------------------------------------------------------------------
// DOT
// ---------------------------------------------------------------------------

const quoteDot = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const dotLabel = (lines: readonly string[]) => `"${lines.map((l) => l.replace(/\\/g, "\\\\").replace(/"/g, '\\"')).join("\\n")}"`;

const DOT_SHAPES: Record<NodeKind, string> = {
  host: 'shape=house, fillcolor="#e8f0fe"',
  gateway: 'shape=diamond, fillcolor="#fff4d6"',
  "host-service": 'shape=component, fillcolor="#f1f8e9"',
  port: 'shape=cds, fillcolor="#fde7e9"',
  network: 'shape=hexagon, fillcolor="#e0f2f1"',
  service: 'shape=box, style="rounded,filled", fillcolor="#ffffff"',
  registry: 'shape=cylinder, fillcolor="#ede7f6"',
  kubernetes: 'shape=box3d, fillcolor="#e3f2fd"',
};

const DOT_EDGES: Record<GraphEdge["style"], string> = {
  solid: "",
  dashed: "style=dashed",
  dotted: "style=dotted",
  membership: 'dir=none, color="#5f8f8a"',
};

/** Graphviz DOT text of a picture (render it with `dot -Tsvg`, or with the `graph --format svg` command). */
export function toDot(graph: TopologyGraph): string {
  const out = [
    `digraph ${quoteDot(graph.title)} {`,
    `  graph [rankdir=TB, newrank=true, fontname="Helvetica", fontsize=12, label=${quoteDot(graph.title)}, labelloc=t, labeljust=l, nodesep=0.35, ranksep=0.6];`,
    // Wide margins: browsers often draw with a wider font than the one Graphviz measured.
    `  node [fontname="Helvetica", fontsize=10, style=filled, margin="0.3,0.08"];`,
    `  edge [fontname="Helvetica", fontsize=9, color="#555555"];`,
  ];
  const nodeLine = (node: GraphNode, indent: string) => `${indent}${quoteDot(node.id)} [label=${dotLabel(node.label)}, ${DOT_SHAPES[node.kind]}];`;
  const emit = (cluster: GraphCluster, indent: string) => {
    if (!drawn(graph, cluster)) return;
    out.push(`${indent}subgraph ${quoteDot(cluster.id)} {`);
    out.push(`${indent}  label=${dotLabel(cluster.label)}; style="rounded,dashed"; color="#888888";`);
    for (const node of graph.nodes.filter((n) => n.cluster === cluster.id)) out.push(nodeLine(node, `${indent}  `));
    for (const child of graph.clusters.filter((c) => c.parent === cluster.id)) emit(child, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const cluster of graph.clusters.filter((c) => c.parent === undefined)) emit(cluster, "  ");
  for (const node of graph.nodes.filter((n) => n.cluster === undefined)) out.push(nodeLine(node, "  "));
  for (const edge of graph.edges) {
    const attributes = [edge.label ? `label=${quoteDot(edge.label)}` : "", DOT_EDGES[edge.style]].filter(Boolean).join(", ");
    out.push(`  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)}${attributes ? ` [${attributes}]` : ""};`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------
// Mermaid
// ---------------------------------------------------------------------------

const MERMAID_SHAPES: Record<NodeKind, [string, string]> = {
  host: ["([", "])"],
  gateway: ["{{", "}}"],
  "host-service": ["[[", "]]"],
  port: [">", "]"],
  network: ["{{", "}}"],
  service: ["(", ")"],
  registry: ["[(", ")]"],
  kubernetes: ["[/", "/]"],
};

const mermaidText = (text: string) => text.replace(/"/g, "#quot;");

/** Mermaid flowchart text of a picture (GitHub renders it in Markdown). */
export function toMermaid(graph: TopologyGraph): string {
  const ids = new Map<string, string>();
  const id = (key: string) => {
    let found = ids.get(key);
    if (!found) {
      found = `${key.replace(/[^A-Za-z0-9]+/g, "_")}_${ids.size}`;
      ids.set(key, found);
    }
    return found;
  };
  const out = ["flowchart TB", `  %% ${mermaidText(graph.title)}`];
  const nodeLine = (node: GraphNode, indent: string) => {
    const [open, close] = MERMAID_SHAPES[node.kind];
    return `${indent}${id(node.id)}${open}"${node.label.map(mermaidText).join("<br/>")}"${close}`;
  };
  const emit = (cluster: GraphCluster, indent: string) => {
    if (!drawn(graph, cluster)) return;
    out.push(`${indent}subgraph ${id(cluster.id)}["${cluster.label.map(mermaidText).join("<br/>")}"]`);
    for (const node of graph.nodes.filter((n) => n.cluster === cluster.id)) out.push(nodeLine(node, `${indent}  `));
    for (const child of graph.clusters.filter((c) => c.parent === cluster.id)) emit(child, `${indent}  `);
    out.push(`${indent}end`);
  };
  for (const cluster of graph.clusters.filter((c) => c.parent === undefined)) emit(cluster, "  ");
  for (const node of graph.nodes.filter((n) => n.cluster === undefined)) out.push(nodeLine(node, "  "));
  for (const edge of graph.edges) {
    const arrow = edge.style === "membership" ? "---" : edge.style === "solid" ? "-->" : "-.->";
    out.push(`  ${id(edge.from)} ${arrow}${edge.label ? `|"${mermaidText(edge.label)}"|` : ""} ${id(edge.to)}`);
  }
  return `${out.join("\n")}\n`;
}
