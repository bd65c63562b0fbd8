import { checkTopology } from "../../../model/check";
import { normalizeTopology } from "../../../model/normalize";
import { parseDeclaration } from "../../../model/parse";
import { computeReachability } from "../../../model/reachability";
import { validateTopology } from "../../../model/validate";
import { explainConnection } from "../../../model/intents/explain";
import { explainTopology } from "../../../cli/explain";
import { buildGraph, toDot } from "../../../cli/graph";

const HOSTS = {
  edge: { host: "unix:///run/h1.sock", address: "10.77.0.11", swarm: "manager" },
  app: { host: "ssh://deploy@10.77.0.12", address: "10.77.0.12" },
  data: { host: "tcp://10.77.0.13:2376", address: "10.77.0.13", tls: { ca: "dataCa", cert: "dataCert", key: "dataKey" } },
};
const lab = {
  hosts: HOSTS,
  networks: { mesh: { driver: "overlay", attachable: true, subnet: "10.90.0.0/24" }, front: { subnet: "172.30.1.0/24" }, store: { subnet: "172.30.1.0/24", host: "data" } },
  services: {
    proxy: { host: "edge", image: "nginx", ports: ["0.0.0.0:8080:80"], networks: ["mesh", "front"] },
    api: { host: "app", image: "api", ports: ["10.77.0.12:9000:9000", "127.0.0.1:9001:9001"], networks: { mesh: { aliases: ["backend"] } } },
    db: { host: "data", image: "pg", networks: ["mesh", "store"], ports: ["127.0.0.1:8080:5432"] },
  },
};

const issues = (declaration: unknown) => {
  const parsed = parseDeclaration(declaration);
  return [...parsed.issues, ...validateTopology(normalizeTopology(parsed.raw, { namePrefix: "lab" }))].map((i) => [i.code, i.path]);
};
const edges = (declaration: unknown) => computeReachability(checkTopology(declaration, { namePrefix: "lab" }).topology).edges.map((e) => `${e.from} -> ${e.to}:${e.port ?? "*"} ${e.host ?? "?"} (${e.via})`);

describe("hosts: placement and validation", () => {
  it("a valid three-host lab: the same subnet on two hosts' local networks and one port on two hosts are no clash", () => {
    expect(issues(lab)).toEqual([]);
    const { topology } = checkTopology(lab, { namePrefix: "lab" });
    expect(topology.hosts!.map((h) => [h.key, h.swarm])).toEqual([["app", "worker"], ["data", "worker"], ["edge", "manager"]]);
    // A local network is placed on the one host of its services; an overlay on none.
    expect(topology.networks.map((n) => [n.key, n.host])).toEqual([["front", "edge"], ["mesh", undefined], ["store", "data"]]);
  });

  it("a container joining another host's bridge, an overlay from a host outside the swarm, and no manager", () => {
    const crossing = { ...lab, services: { ...lab.services, cache: { host: "app", image: "redis", networks: ["store"] } } };
    expect(issues(crossing)).toEqual([["cross-host-network", "services.cache.networks.store"]]);
    const outside = { ...lab, hosts: { ...HOSTS, app: { ...HOSTS.app, swarm: "none" } } };
    expect(issues(outside)).toEqual([["swarm-membership", "services.api.networks.mesh"]]);
    const noManager = { ...lab, hosts: { ...HOSTS, edge: { host: "unix:///run/h1.sock", address: "10.77.0.11" } } };
    expect(issues(noManager)).toContainEqual(["swarm-membership", "hosts"]);
  });

  it("every object says its host when there are several; hosts and their fields are checked", () => {
    const bad = {
      hosts: { a: { host: "http://x", address: "10.0.0.1", tls: { ca: "c", cert: "c", key: "k" } }, b: { address: "10.0.0.1" } },
      networks: { n: {}, o: { driver: "overlay", attachable: true, host: "a" } },
      services: { web: { image: "x", networks: ["n"] }, job: { image: "y", host: "c" } },
      hostServices: { dns: { address: "0.0.0.0", port: 53 } },
    };
    expect(issues(bad)).toEqual([
      ["missing-field", "hostServices.dns.host"],
      ["swarm-membership", "hosts"],
      ["invalid-value", "hosts.a.host"],
      ["invalid-value", "hosts.a.tls"],
      ["duplicate-name", "hosts.b.address"],
      ["missing-field", "networks.n.host"],
      ["invalid-value", "networks.o.host"],
      ["unknown-host", "services.job.host"],
      ["missing-field", "services.web.host"],
    ]);
  });

  it("without a hosts section nothing may name a host, and one declared host is the default of everything", () => {
    expect(issues({ services: { web: { image: "x", host: "edge" } } })).toEqual([["unknown-host", "services.web.host"]]);
    const one = { hosts: { only: { host: "unix:///run/docker.sock" } }, services: { web: { image: "x", ports: ["8080:80"] } } };
    expect(issues(one)).toEqual([]);
    expect(edges(one)).toEqual(["host -> services.web:8080 127.0.0.1 (published-port)"]);
  });

  it("an overlay's subnet overlapping a local network of any host is refused once", () => {
    const overlapping = { ...lab, networks: { ...lab.networks, mesh: { ...lab.networks.mesh, subnet: "172.30.1.0/25" } } };
    expect(issues(overlapping)).toEqual([["subnet-overlap", "networks.mesh.subnet"], ["subnet-overlap", "networks.store.subnet"]]);
  });

  it("container names are unique per host", () => {
    const twice = { hosts: HOSTS, services: { a: { host: "edge", image: "x", name: "worker" }, b: { host: "app", image: "x", name: "worker" }, c: { host: "app", image: "x", name: "worker" } } };
    expect(issues(twice)).toEqual([["duplicate-name", "services.c.name"]]);
  });
});

describe("hosts: reachability across hosts", () => {
  const all = edges(lab);

  it("over the overlay by name and alias, whatever the host; a local network only on its host", () => {
    expect(all).toContain("services.proxy -> services.api:9000 api (network)");
    expect(all).toContain("services.db -> services.api:9000 api (network)");
    expect(all.filter((e) => e.includes("(network)") && e.includes("front"))).toEqual([]);
  });

  it("a port on every address or on the host's address, from the other hosts and their containers; loopback stays home", () => {
    expect(all).toContain("hosts.app -> services.proxy:8080 10.77.0.11 (other-host)");
    expect(all).toContain("services.db -> services.proxy:8080 10.77.0.11 (other-host)");
    expect(all).toContain("hosts.edge -> services.api:9000 10.77.0.12 (other-host)");
    expect(all).toContain("hosts.app -> services.api:9001 127.0.0.1 (published-port)");
    expect(all.filter((e) => e.includes(":9001") && !e.includes("(network)") && !e.startsWith("hosts.app"))).toEqual([]);
    expect(all.filter((e) => e.startsWith("hosts.") && e.includes("services.db:8080") && !e.startsWith("hosts.data"))).toEqual([]);
  });

  it("the host gateway is each host's own: a container reaches only its own host's ports through it", () => {
    const gateway = { ...lab, services: { ...lab.services, peer: { host: "app", image: "x", networks: ["mesh"] }, metrics: { host: "app", image: "m", ports: ["0.0.0.0:7000:7000"], networks: ["mesh"] } } };
    const found = edges(gateway).filter((e) => e.includes("services.metrics:7000"));
    expect(found.filter((e) => e.includes("(host-gateway)"))).toEqual(["services.api -> services.metrics:7000 host.docker.internal (host-gateway)", "services.peer -> services.metrics:7000 host.docker.internal (host-gateway)"]);
    expect(found).toContain("services.proxy -> services.metrics:7000 10.77.0.12 (other-host)");
  });
});

describe("hosts: why, explain and graph", () => {
  const { topology } = checkTopology(lab, { namePrefix: "lab" });
  const reachability = computeReachability(topology);
  const caller = (key: string) => topology.services.find((s) => s.key === key)!;

  it("why: a loopback bind on another host, and host.docker.internal for another host's port, each with the fix", () => {
    const loopback = explainConnection(topology, reachability, caller("proxy"), "10.77.0.12", 9001);
    expect(loopback.reasons).toEqual(["services.api publishes 9001 on 127.0.0.1 of hosts.app: loopback, which only hosts.app itself reaches"]);
    expect(loopback.fix).toBe("publish it on 10.77.0.12 (or 0.0.0.0) of hosts.app, or join an overlay both are on and call api:9001");
    const gateway = explainConnection(topology, reachability, caller("db"), "host.docker.internal", 9000);
    expect(gateway.reasons[0]).toContain("host.docker.internal is the gateway of hosts.data");
    expect(explainConnection(topology, reachability, caller("db"), "10.77.0.12", 9000).path.map((e) => e.via)).toEqual(["other-host"]);
  });

  it("explain sends each command to its host's engine, the overlays to the manager's", () => {
    const lines = explainTopology(topology);
    expect(lines).toContain("docker --host unix:///run/h1.sock network create --driver overlay --subnet 10.90.0.0/24 --attachable lab-mesh");
    expect(lines.filter((l) => l.includes(" run -d --name lab-db "))[0]).toMatch(/^docker --host tcp:\/\/10\.77\.0\.13:2376 run/);
  });

  it("graph: each host a box, its local networks inside it, overlays across", () => {
    const graph = buildGraph(topology, reachability, "lab");
    expect(graph.clusters.filter((c) => c.id.startsWith("cluster:host:")).map((c) => c.label[0])).toEqual(["hosts.app", "hosts.data", "hosts.edge"]);
    expect(graph.clusters.find((c) => c.id === "cluster:network:store")!.parent).toBe("cluster:host:data");
    expect(graph.clusters.find((c) => c.id === "cluster:network:mesh")!.parent).toBeUndefined();
    expect(graph.edges).toContainEqual({ from: "host:app", to: "port:proxy:0", label: "10.77.0.11:8080", style: "solid" });
    const dot = toDot(graph);
    expect(dot.indexOf('subgraph "cluster:network:store"')).toBeGreaterThan(dot.indexOf('subgraph "cluster:host:data"'));
  });
});

describe("hosts: what the lab's kernel and engine showed", () => {
  it("an encrypted overlay between a host without IPsec and the others carries nothing across (warned); same-host traffic stays", () => {
    const sealed = {
      hosts: { ...HOSTS, data: { ...HOSTS.data, ipsec: false } },
      networks: { vault: { driver: "overlay", attachable: true, encrypted: true, subnet: "10.90.1.0/24" } },
      services: { api: { host: "app", image: "a", expose: [9000], networks: ["vault"] }, db: { host: "data", image: "d", expose: [5432], networks: ["vault"] }, side: { host: "data", image: "s", networks: ["vault"] } },
    };
    const { topology, warnings } = checkTopology(sealed, { namePrefix: "lab" });
    expect(warnings.map((w) => [w.code, w.path])).toEqual([["swarm-membership", "networks.vault.encrypted"]]);
    const found = computeReachability(topology).edges.map((e) => `${e.from} -> ${e.to}:${e.port}`);
    expect(found).toEqual(["services.db -> services.side:undefined", "services.side -> services.db:5432"]);
  });

  it("an overlay on the hosts' own subnet is refused: its containers would lose the hosts' addresses", () => {
    const underlay = { ...lab, networks: { ...lab.networks, mesh: { driver: "overlay", attachable: true, subnet: "10.77.0.0/24" } } };
    expect(issues(underlay)).toEqual([["subnet-overlap", "networks.mesh.subnet"]]);
  });
});
