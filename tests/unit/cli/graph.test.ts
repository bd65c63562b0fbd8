import { buildGraph, GraphEdge, toDot, toMermaid, TopologyGraph } from "../../../cli/graph";
import { checkTopology } from "../../../model/check";
import { computeReachability } from "../../../model/reachability";

function graphOf(declaration: unknown, title = "t"): TopologyGraph {
  const { topology } = checkTopology(declaration, { namePrefix: "t" });
  return buildGraph(topology, computeReachability(topology), title);
}

const node = (graph: TopologyGraph, id: string) => graph.nodes.find((n) => n.id === id);
const edge = (graph: TopologyGraph, from: string, to: string): GraphEdge | undefined => graph.edges.find((e) => e.from === from && e.to === to);

describe("buildGraph", () => {
  const graph = graphOf({
    networks: { front: { subnet: "172.40.0.0/24" }, back: { subnet: "172.40.1.0/24", internal: true } },
    services: {
      web: { image: "nginx:1.27", ports: ["0.0.0.0:8080:80"], networks: { front: { aliases: ["www"] } } },
      api: { image: "api:1", expose: [9000], networks: { front: {}, back: { aliases: ["api-internal"], ipv4Address: "172.40.1.10" } } },
      sidecar: { image: "proxy:1", networkMode: "container:api" },
      legacy: { image: "old:1" },
      vault: { image: "vault:1", networkMode: "none" },
      agent: { image: "agent:1", networkMode: "host", expose: [7000] },
    },
    hostServices: { tunnel: { address: "0.0.0.0", port: 4000 }, db: { address: "127.0.0.1", port: 5432 } },
  });

  it.each<[string, string | undefined]>([
    ["host", "cluster:host"],
    ["gateway", "cluster:host"],
    ["hostService:tunnel", "cluster:host"],
    ["port:web:0", "cluster:host"],
    ["service:agent", "cluster:host"],
    ["network:front", "cluster:network:front"],
    ["service:web", "cluster:network:front"],
    ["service:api", "cluster:network:front"], // its first network
    ["service:sidecar", "cluster:network:front"], // with the owner of its namespace
    ["service:legacy", "cluster:default-bridge"],
    ["service:vault", undefined],
  ])("places %s in %s", (id, cluster) => {
    expect(node(graph, id)?.cluster).toBe(cluster);
  });

  it("labels clusters and nodes with what a reader looks for", () => {
    expect(graph.clusters.map((c) => c.label)).toEqual([
      ["Docker host"],
      ["networks.back: t-back", "bridge 172.40.1.0/24 gw 172.40.1.1 (internal)"],
      ["networks.front: t-front", "bridge 172.40.0.0/24 gw 172.40.0.1"],
      ["default bridge (docker0) 172.17.0.0/16", "no DNS: by IP only"],
    ]);
    expect(node(graph, "gateway")?.label).toEqual(["host.docker.internal", "host-gateway 172.17.0.1"]);
    expect(node(graph, "hostService:db")?.label).toEqual(["db", "127.0.0.1:5432/tcp (host only)"]);
    expect(node(graph, "port:web:0")?.label).toEqual(["0.0.0.0:8080/tcp"]);
    expect(node(graph, "service:api")?.label).toEqual(["api", "t-api", "api:1", "expose 9000/tcp"]);
    expect(node(graph, "service:vault")?.label).toEqual(["vault", "t-vault", "vault:1", "network: none"]);
  });

  it.each<[string, string, Partial<GraphEdge> | undefined]>([
    ["service:web", "network:front", { label: "www", style: "membership" }],
    ["service:api", "network:front", { style: "membership" }],
    ["service:api", "network:back", { label: "api-internal, 172.40.1.10", style: "membership" }],
    ["service:sidecar", "service:api", { label: "shares namespace", style: "dotted" }],
    ["port:web:0", "service:web", { label: "80/tcp", style: "solid" }],
    ["host", "port:web:0", { style: "solid" }],
    ["host", "service:agent", { label: "localhost:7000", style: "solid" }],
    ["service:legacy", "gateway", { style: "dashed" }],
    ["gateway", "hostService:tunnel", { label: "host.docker.internal:4000", style: "dashed" }],
    // web's port binds every address, so containers reach it through the gateway
    ["gateway", "port:web:0", { label: "host.docker.internal:8080", style: "dashed" }],
    ["service:agent", "hostService:db", { label: "localhost:5432", style: "solid" }],
    // a listener on 127.0.0.1 is not reachable through the gateway
    ["gateway", "hostService:db", undefined],
    ["service:vault", "gateway", undefined],
  ])("draws %s -> %s", (from, to, expected) => {
    const found = edge(graph, from, to);
    if (expected === undefined) expect(found).toBeUndefined();
    else expect(found).toMatchObject(expected);
  });

  it("draws registries on their networks with their host port", () => {
    const withRegistry = graphOf({ networks: { dev: {} }, registries: { cache: { networks: { dev: { aliases: ["registry", "mirror"] } } } } });
    expect(node(withRegistry, "registry:cache")).toMatchObject({ kind: "registry", cluster: "cluster:network:dev" });
    expect(node(withRegistry, "registry:cache")?.label.slice(0, 2)).toEqual(["registries.cache", "t-cache"]);
    expect(node(withRegistry, "port:registry:cache")?.label).toEqual(["127.0.0.1:5001/tcp", "registry port (docker push)"]);
    expect(edge(withRegistry, "registry:cache", "network:dev")).toMatchObject({ label: "registry:5000, mirror:5000", style: "membership" });
    expect(edge(withRegistry, "port:registry:cache", "registry:cache")).toMatchObject({ label: "5000/tcp" });
  });
});

describe("toDot", () => {
  it("renders clusters, shapes and escaped labels", () => {
    const dot = toDot({
      title: 'say "hi"',
      clusters: [{ id: "cluster:host", label: ["Docker host"] }],
      nodes: [
        { id: "host", kind: "host", label: ["host"], cluster: "cluster:host" },
        { id: "service:a", kind: "service", label: ["a", 'C:\\path "q"'] },
      ],
      edges: [
        { from: "host", to: "service:a", label: "x", style: "dashed" },
        { from: "service:a", to: "host", style: "membership" },
      ],
    });
    expect(dot.split("\n")).toEqual([
      'digraph "say \\"hi\\"" {',
      '  graph [rankdir=TB, newrank=true, fontname="Helvetica", fontsize=12, label="say \\"hi\\"", labelloc=t, labeljust=l, nodesep=0.35, ranksep=0.6];',
      '  node [fontname="Helvetica", fontsize=10, style=filled, margin="0.3,0.08"];',
      '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
      '  subgraph "cluster:host" {',
      '    label="Docker host"; style="rounded,dashed"; color="#888888";',
      '    "host" [label="host", shape=house, fillcolor="#e8f0fe"];',
      "  }",
      '  "service:a" [label="a\\nC:\\\\path \\"q\\"", shape=box, style="rounded,filled", fillcolor="#ffffff"];',
      '  "host" -> "service:a" [label="x", style=dashed];',
      '  "service:a" -> "host" [dir=none, color="#5f8f8a"];',
      "}",
      "",
    ]);
  });
});

describe("toMermaid", () => {
  it("renders subgraphs, shapes, unique ids and escaped quotes", () => {
    const text = toMermaid({
      title: "t",
      clusters: [{ id: "cluster:network:a-b", label: ["networks.a-b", "bridge"] }],
      nodes: [
        { id: "service:a-b", kind: "service", label: ['say "x"'], cluster: "cluster:network:a-b" },
        { id: "service:a_b", kind: "service", label: ["other"] },
      ],
      edges: [{ from: "service:a-b", to: "service:a_b", label: "9000", style: "solid" }],
    });
    expect(text.split("\n")).toEqual([
      "flowchart TB",
      "  %% t",
      '  subgraph cluster_network_a_b_0["networks.a-b<br/>bridge"]',
      '    service_a_b_1("say #quot;x#quot;")',
      "  end",
      '  service_a_b_2("other")',
      '  service_a_b_1 -->|"9000"| service_a_b_2',
      "",
    ]);
  });
});
