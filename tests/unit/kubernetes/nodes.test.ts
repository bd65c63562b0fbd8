import { issues } from "./support-issues";
import { normalizeTopology } from "../../../model/normalize";
import { parseDeclaration } from "../../../model/parse";
import { computeReachability } from "../../../model/reachability";
import { validateTopology } from "../../../model/validate";

/** [code, path] of every error of a declaration (parse + validate). */
function errors(declaration: unknown): [string, string][] {
  return issues(declaration).map(([code, path]) => [code, path]);
}

function normalized(declaration: unknown) {
  return normalizeTopology(parseDeclaration(declaration).raw, { namePrefix: "t" });
}

/** A NodePort API bridged to a Docker consumer, on the given nodes. */
const cluster = (nodes?: unknown) => ({
  services: { hurl: { image: "hurl", consumes: ["api"] } },
  kubernetes: {
    ...(nodes !== undefined ? { nodes } : {}),
    services: { api: { image: "api", type: "NodePort", ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }] } },
    bridges: { api: { service: "api" } },
  },
});

const edges = (declaration: unknown) => computeReachability(normalized(declaration)).edges.map((e) => `${e.from} -> ${e.host}:${e.port}`);

describe("kubernetes.nodes", () => {
  it("host (the default): the node port is on the host's addresses", () => {
    for (const nodes of [undefined, "host"]) {
      expect(errors(cluster(nodes))).toEqual([]);
      const bridge = normalized(cluster(nodes)).kubernetes!.bridges[0]!;
      expect([bridge.url, bridge.hostUrl, bridge.nodeNetworkOnly]).toEqual(["http://host.docker.internal:30080", "http://localhost:30080", false]);
      expect(edges(cluster(nodes))).toEqual(["host -> localhost:30080", "services.hurl -> host.docker.internal:30080"]);
    }
  });

  it("kind with extraPortMappings: containers dial the port the node container publishes", () => {
    const declaration = cluster({ container: "kind-control-plane", network: "kind", ports: ["0.0.0.0:8080:30080"] });
    expect(errors(declaration)).toEqual([]);
    const bridge = normalized(declaration).kubernetes!.bridges[0]!;
    expect({ url: bridge.url, hostUrl: bridge.hostUrl, exposedPort: bridge.exposedPort, dialPort: bridge.dialPort }).toEqual({ url: "http://host.docker.internal:8080", hostUrl: "http://localhost:8080", exposedPort: 30080, dialPort: 8080 });
    expect(normalized(declaration).services[0]!.env["API_URL"]).toBe("http://host.docker.internal:8080");
    expect(edges(declaration)).toEqual(["host -> localhost:8080", "services.hurl -> host.docker.internal:8080"]);
    const [edge] = computeReachability(normalized(declaration)).edges;
    expect(edge!.reason).toContain("in node container kind-control-plane, published on 0.0.0.0:8080");
  });

  it("a publish without an address binds 0.0.0.0, kind's default listenAddress; objects work too", () => {
    for (const ports of [["30080:30080"], [{ target: 30080, published: 30080 }], ["30080"]]) {
      const declaration = cluster({ container: "kind-control-plane", network: "kind", ports });
      expect(errors(declaration)).toEqual([]);
      expect(normalized(declaration).kubernetes!.bridges[0]!.url).toBe("http://host.docker.internal:30080");
    }
  });

  it("kind or minikube (docker driver) without a publish: the bridge cannot work, and the plan says how to fix it", () => {
    for (const [container, network] of [["kind-control-plane", "kind"], ["minikube", "minikube"]] as const) {
      const declaration = cluster({ container, network });
      expect(errors(declaration)).toEqual([["node-port-not-published", "kubernetes.bridges.api"]]);
      const parsed = parseDeclaration(declaration);
      const [issue] = validateTopology(normalizeTopology(parsed.raw), parsed.declared);
      expect(issue!.message).toBe(
        `port 30080/tcp is inside the node container "${container}": the host and containers outside network "${network}" cannot reach it, and services.hurl is not on network "${network}". ` +
          `Publish it from the node (kind: extraPortMappings {containerPort: 30080, hostPort: 30080, listenAddress: "0.0.0.0"}; minikube: start with --ports=30080:30080) and list it under kubernetes.nodes.ports as "0.0.0.0:30080:30080"; ` +
          `or join the consumers to it (networks: {${network}: {external: true}}), where it is http://${container}:30080`,
      );
      expect(normalized(declaration).kubernetes!.bridges[0]!.url).toBe(`http://${container}:30080`);
      expect(normalized(declaration).kubernetes!.bridges[0]!.hostUrl).toBeUndefined();
      expect(edges(declaration)).toEqual([]);
    }
  });

  it("a publish on loopback serves the host but not containers: refused where a bridge needs it", () => {
    const declaration = cluster({ container: "kind-control-plane", network: "kind", ports: ["127.0.0.1:30080:30080"] });
    expect(errors(declaration)).toEqual([["loopback-bind", "kubernetes.nodes.ports[0]"]]);
    expect(edges(declaration)).toEqual(["host -> 127.0.0.1:30080"]);
  });

  it("a publish of another protocol does not count", () => {
    const declaration = cluster({ container: "kind-control-plane", network: "kind", ports: ["30080:30080/udp"] });
    expect(errors(declaration)).toEqual([["node-port-not-published", "kubernetes.bridges.api"]]);
  });

  it("shape errors name the field", () => {
    expect(errors(cluster("kind"))).toContainEqual(["invalid-value", "kubernetes.nodes"]);
    expect(errors(cluster({ container: "kind-control-plane" }))).toContainEqual(["missing-field", "kubernetes.nodes.network"]);
    expect(errors(cluster({ container: "k", network: "kind", ports: ["1-3:1-3"] }))).toContainEqual(["invalid-value", "kubernetes.nodes.ports[0]"]);
  });
});

describe("kubernetes.nodes with the node's network joined as an external network", () => {
  const onKind = (consumerNetworks: unknown, ports?: string[]) => ({
    networks: { kind: { external: true } },
    services: {
      hurl: { image: "hurl", consumes: ["api"], networks: consumerNetworks },
      other: { image: "other", consumes: ["api"] },
    },
    kubernetes: {
      nodes: { container: "kind-control-plane", network: "kind", ...(ports ? { ports } : {}) },
      services: { api: { image: "api", type: "NodePort", ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }] } },
      bridges: { api: { service: "api" } },
    },
  });

  it("a consumer on the kind network dials the node by name; one elsewhere needs a publish", () => {
    const declaration = onKind({ kind: {} });
    expect(errors(declaration)).toEqual([["node-port-not-published", "kubernetes.bridges.api"]]);
    const parsed = parseDeclaration(declaration);
    const [issue] = validateTopology(normalizeTopology(parsed.raw), parsed.declared);
    expect(issue!.message).toContain('services.other is not on network "kind"');
    const services = normalized(declaration).services;
    expect(services.find((s) => s.key === "hurl")!.env["API_URL"]).toBe("http://kind-control-plane:30080");
    expect(services.find((s) => s.key === "other")!.env["API_URL"]).toBeUndefined();
  });

  it("every consumer on the kind network: no publish needed; the reachability goes over that network", () => {
    const declaration = { ...onKind({ kind: {} }), services: { hurl: { image: "hurl", consumes: ["api"], networks: { kind: {} } } } };
    expect(errors(declaration)).toEqual([]);
    const edge = computeReachability(normalized(declaration)).edges.find((e) => e.from === "services.hurl" && e.to === "kubernetes.services.api");
    expect(edge).toMatchObject({ host: "kind-control-plane", port: 30080, via: "network", network: "kind" });
  });

  it("with a publish, the consumer off the kind network dials the published port and the one on it the node", () => {
    const declaration = onKind({ kind: {} }, ["0.0.0.0:30080:30080"]);
    expect(errors(declaration)).toEqual([]);
    const env = Object.fromEntries(normalized(declaration).services.map((s) => [s.key, s.env["API_URL"]]));
    expect(env).toEqual({ hurl: "http://kind-control-plane:30080", other: "http://host.docker.internal:30080" });
  });
});

describe("external networks", () => {
  it("are joined by their own name (no prefix), take no settings, and hold no static address", () => {
    const declaration = {
      networks: { kind: { external: true }, lan: { external: true, name: "corp-lan", driver: "macvlan" }, bad: { external: true, subnet: "10.1.0.0/24", internal: true } },
      services: { registry: { image: "registry:2", networks: { kind: { aliases: ["kind-registry"], ipv4Address: "172.18.0.9" }, lan: {} } } },
    };
    expect(errors(declaration)).toEqual([
      ["invalid-value", "networks.bad.internal"],
      ["invalid-value", "networks.bad.subnet"],
      ["static-ip-without-subnet", "services.registry.networks.kind.ipv4Address"],
    ]);
    const topology = normalized(declaration);
    expect(topology.networks.map((n) => [n.key, n.dockerName, n.external, n.driver])).toEqual([
      ["bad", "bad", true, "bridge"],
      ["kind", "kind", true, "bridge"],
      ["lan", "corp-lan", true, "macvlan"],
    ]);
  });
});
