import { checkTopology } from "../../../model/check";
import { computeReachability } from "../../../model/reachability";

const image = "x";

function edges(declaration: unknown): string[] {
  const { topology } = checkTopology(declaration, { namePrefix: "t" });
  return computeReachability(topology).edges.map((e) => `${e.from} -> ${e.to}${e.port !== undefined ? `:${e.port}` : ""} ${e.via} ${e.host ?? "(ip)"}`);
}

describe("computeReachability", () => {
  it("containers reach each other by name only over a shared user network, on declared ports", () => {
    expect(edges({
      networks: { a: {}, b: {} },
      services: { web: { image, expose: [80], networks: { a: { aliases: ["www"] } } }, api: { image, expose: [9000], networks: ["a", "b"] }, db: { image, expose: [5432], networks: ["b"] } },
    })).toEqual([
      "services.api -> services.db:5432 network db",
      "services.api -> services.web:80 network web",
      "services.db -> services.api:9000 network api",
      "services.web -> services.api:9000 network api",
    ]);
  });

  it("icc false isolates containers on a network", () => {
    expect(edges({ networks: { a: { icc: false } }, services: { x: { image, expose: [1], networks: ["a"] }, y: { image, expose: [2], networks: ["a"] } } })).toEqual([]);
  });

  it("published ports reach the host on their bind; containers through the gateway only on wildcard binds", () => {
    expect(edges({ services: { web: { image, ports: ["127.0.0.1:8080:80"] }, pub: { image, ports: ["0.0.0.0:9090:90"] } } })).toEqual([
      "host -> services.pub:9090 published-port localhost",
      "host -> services.web:8080 published-port 127.0.0.1",
      "services.pub -> services.web:80 default-bridge (ip)",
      "services.web -> services.pub:90 default-bridge (ip)",
      "services.web -> services.pub:9090 host-gateway host.docker.internal",
    ]);
  });

  it("host listeners: reachable through host.docker.internal on 0.0.0.0 or the gateway, never on 127.0.0.1; host networking reaches all", () => {
    expect(edges({
      hostServices: { wild: { address: "0.0.0.0", port: 4000 }, loop: { address: "127.0.0.1", port: 4001 }, gw: { address: "172.17.0.1", port: 4002 } },
      services: { client: { image, networks: ["n"] }, agent: { image, networkMode: "host" }, off: { image, hostGateway: false }, iso: { image, networkMode: "none" } },
      networks: { n: { internal: true } },
    })).toEqual([
      "host -> services.agent host-network localhost",
      "services.agent -> hostServices.gw:4002 host-network 172.17.0.1",
      "services.agent -> hostServices.loop:4001 host-network localhost",
      "services.agent -> hostServices.wild:4000 host-network localhost",
      "services.client -> hostServices.gw:4002 host-gateway host.docker.internal",
      "services.client -> hostServices.wild:4000 host-gateway host.docker.internal",
      "services.client -> services.agent host-gateway host.docker.internal",
    ]);
  });

  // Measured in tests/e2e/reachability.e2e.test.ts (hostnet): a host-network listener is a host listener on every address.
  it("host-network services are reached from other host-network services on localhost and from containers through the host gateway", () => {
    expect(edges({
      networks: { i: { internal: true } },
      services: { agent: { image, networkMode: "host", expose: [9100] }, agent2: { image, networkMode: "host", expose: [9200] }, web: { image }, inner: { image, networks: ["i"] }, off: { image, hostGateway: false } },
    })).toEqual([
      "host -> services.agent:9100 host-network localhost",
      "host -> services.agent2:9200 host-network localhost",
      "services.agent -> services.agent2:9200 host-network localhost",
      "services.agent2 -> services.agent:9100 host-network localhost",
      "services.inner -> services.agent:9100 host-gateway host.docker.internal",
      "services.inner -> services.agent2:9200 host-gateway host.docker.internal",
      "services.off -> services.web default-bridge (ip)",
      "services.web -> services.agent:9100 host-gateway host.docker.internal",
      "services.web -> services.agent2:9200 host-gateway host.docker.internal",
      "services.web -> services.off default-bridge (ip)",
    ]);
  });

  // Measured in tests/e2e/reachability.e2e.test.ts (macvlan): children of a macvlan parent cannot reach the host, and Docker maps no port for them.
  it("containers only on macvlan/ipvlan networks publish nothing and reach no host listener", () => {
    expect(edges({
      hostServices: { wild: { address: "0.0.0.0", port: 4000 } },
      networks: { mv: { driver: "macvlan", parent: "eth9", subnet: "10.9.0.0/24" } },
      services: { m1: { image, expose: [80], ports: ["127.0.0.1:8080:80"], networks: ["mv"] }, m2: { image, networks: ["mv"] }, web: { image, ports: ["0.0.0.0:9090:90"] } },
    })).toEqual([
      "host -> services.web:9090 published-port localhost",
      "services.m1 -> services.m2 network m2",
      "services.m2 -> services.m1:80 network m1",
      "services.web -> hostServices.wild:4000 host-gateway host.docker.internal",
    ]);
  });

  it("container:X shares X's localhost and X's reachability", () => {
    expect(edges({ networks: { a: {} }, services: { app: { image, expose: [80], networks: ["a"] }, side: { image, networkMode: "container:app" }, peer: { image, networks: ["a"] } } })).toEqual([
      "services.app -> services.peer network peer",
      "services.peer -> services.app:80 network app",
      "services.side -> services.app:80 shared-namespace localhost",
      "services.side -> services.peer network peer",
    ]);
  });

  it("containers only on internal networks publish nothing", () => {
    expect(edges({ networks: { i: { internal: true } }, services: { db: { image, ports: ["5432:5432"], networks: ["i"] } } })).toEqual([]);
  });
});

describe("computeReachability: local registries", () => {
  it("host pushes to the published port; containers on its network pull by alias; others only through a wildcard bind", () => {
    expect(edges({
      networks: { dev: {}, other: {} },
      registries: { registry: { networks: { dev: { aliases: ["registry"] } } } },
      services: { builder: { image, networks: ["dev"] }, outsider: { image, networks: ["other"] }, agent: { image, networkMode: "host" } },
    }).filter((e) => e.includes("registries."))).toEqual([
      "host -> registries.registry:5001 published-port 127.0.0.1",
      "services.agent -> registries.registry:5001 published-port 127.0.0.1",
      "services.builder -> registries.registry:5000 network registry",
    ]);
  });
});
