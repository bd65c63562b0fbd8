import { checkTopology } from "../../../model/check";
import { EngineSnapshot, MANAGED_LABEL, preflight } from "../../../model/preflight";
import { parseProcNet } from "../../../components/docker/engine-snapshot";

const topology = (declaration: unknown) => checkTopology(declaration, { namePrefix: "dev" }).topology;
const empty: EngineSnapshot = { engine: "unix:///test.sock", networks: [], containers: [], images: [], host: { sockets: [], interfaces: ["eth0", "lo"] } };
const found = (declaration: unknown, snapshot: Partial<EngineSnapshot>) => preflight(topology(declaration), { ...empty, ...snapshot }).map((i) => [i.severity, i.code, i.path]);
const mine = { [MANAGED_LABEL]: "true" };

const app = {
  networks: { dev: { subnet: "172.30.0.0/24" } },
  services: { web: { image: "nginx:1.27", ports: ["127.0.0.1:8080:80"], networks: ["dev"] } },
};

describe("preflight against the engine", () => {
  it("a clean engine, and the topology's own objects from an earlier up, raise nothing", () => {
    expect(found(app, { images: ["nginx:1.27"] })).toEqual([]);
    const earlier = {
      images: ["nginx:1.27"],
      networks: [{ name: "dev-dev", driver: "bridge", subnets: ["172.30.0.0/24"], gateways: [], labels: mine }],
      containers: [{ name: "dev-web", running: true, labels: mine, bindings: [{ hostIp: "127.0.0.1", port: 8080, protocol: "tcp" }] }],
      host: { sockets: [{ address: "127.0.0.1", port: 8080, protocol: "tcp" as const }], interfaces: ["eth0"] },
    };
    expect(found(app, earlier)).toEqual([]);
  });

  it("a subnet of someone else's network, named, with the engine's refusal said in advance", () => {
    const [issue] = preflight(topology(app), { ...empty, images: ["nginx:1.27"], networks: [{ name: "kind", driver: "bridge", subnets: ["172.30.0.0/16", "fc00:f853:ccd:e793::/64"], gateways: [], labels: {} }] });
    expect(issue).toMatchObject({ code: "subnet-overlap", path: "networks.dev.subnet" });
    expect(issue!.message).toBe('172.30.0.0/24 overlaps 172.30.0.0/16 of network "kind", which exists on the engine and is not this topology\'s: Docker would refuse it ("Pool overlaps with other one on this address space"). Pick a block outside 172.30.0.0/16, or remove that network');
  });

  it("names taken by objects without our label", () => {
    const snapshot = { images: ["nginx:1.27"], networks: [{ name: "dev-dev", driver: "bridge", subnets: [], gateways: [], labels: {} }], containers: [{ name: "dev-web", running: false, labels: {}, bindings: [] }] };
    expect(found(app, snapshot)).toEqual([
      ["error", "duplicate-name", "networks.dev"],
      ["error", "duplicate-name", "services.web"],
    ]);
  });

  it("host ports held by another container or by a host process (a v6 wildcard listener holds v4 too)", () => {
    const byContainer = { images: ["nginx:1.27"], containers: [{ name: "other", running: true, labels: {}, bindings: [{ hostIp: "0.0.0.0", port: 8080, protocol: "tcp" }] }] };
    expect(found(app, byContainer)).toEqual([["error", "port-clash", "services.web.ports[0]"]]);
    for (const address of ["127.0.0.1", "0.0.0.0", "::"]) {
      expect(found(app, { images: ["nginx:1.27"], host: { sockets: [{ address, port: 8080, protocol: "tcp" }], interfaces: [] } })).toEqual([["error", "port-clash", "services.web.ports[0]"]]);
    }
    for (const socket of [{ address: "127.0.0.2", port: 8080, protocol: "tcp" as const }, { address: "127.0.0.1", port: 8080, protocol: "udp" as const }, { address: "::1", port: 8080, protocol: "tcp" as const }]) {
      expect(found(app, { images: ["nginx:1.27"], host: { sockets: [socket], interfaces: [] } })).toEqual([]);
    }
    // A stopped container publishes nothing.
    expect(found(app, { images: ["nginx:1.27"], containers: [{ name: "other", running: false, labels: {}, bindings: [] }] })).toEqual([]);
  });

  it("a macvlan parent that is not an interface; a VLAN of one is fine; a remote engine skips host facts", () => {
    const lan = (parent: string) => ({ networks: { lan: { driver: "macvlan", parent, subnet: "192.168.50.0/24" } }, services: {} });
    expect(found(lan("eth9"), {})).toEqual([["error", "invalid-value", "networks.lan.parent"]]);
    expect(found(lan("eth0.10"), {})).toEqual([]);
    const { host: _host, ...remote } = empty;
    expect(preflight(topology(lan("eth9")), remote)).toEqual([]);
  });

  it("an external network: missing, or of another driver", () => {
    const declaration = { networks: { kind: { external: true } }, services: { registry: { image: "registry:2", networks: ["kind"] } } };
    expect(found(declaration, { images: ["registry:2"] })).toEqual([["error", "unknown-network", "networks.kind"]]);
    expect(found(declaration, { images: ["registry:2"], networks: [{ name: "kind", driver: "bridge", subnets: ["172.18.0.0/16"], gateways: [], labels: {} }] })).toEqual([]);
    expect(found(declaration, { images: ["registry:2"], networks: [{ name: "kind", driver: "overlay", subnets: [], gateways: [], labels: {} }] })).toEqual([["error", "invalid-value", "networks.kind.driver"]]);
  });

  it("an image that is not present is a warning (latest implied)", () => {
    expect(found({ services: { a: { image: "busybox" }, b: { image: "busybox:latest" } } }, { images: [] })).toEqual([
      ["warning", "image-not-present", "services.a.image"],
      ["warning", "image-not-present", "services.b.image"],
    ]);
    expect(found({ services: { a: { image: "busybox" } } }, { images: ["busybox:latest"] })).toEqual([]);
  });
});

describe("the host's sockets from /proc/net", () => {
  it("reads tcp LISTEN and bound udp sockets, v4 and v6", () => {
    const tcp = "  sl  local_address rem_address   st\n   0: 0100007F:1F90 00000000:0000 0A 0\n   1: 0100007F:1F91 0100007F:9C40 01 0\n";
    expect(parseProcNet(tcp, "tcp")).toEqual([{ address: "127.0.0.1", port: 8080, protocol: "tcp" }]);
    const tcp6 = "  sl  local_address\n   0: 00000000000000000000000000000000:0FA0 00000000000000000000000000000000:0000 0A 0\n   1: 00000000000000000000000001000000:0FA1 00000000000000000000000000000000:0000 0A 0\n";
    expect(parseProcNet(tcp6, "tcp")).toEqual([
      { address: "::", port: 4000, protocol: "tcp" },
      { address: "::1", port: 4001, protocol: "tcp" },
    ]);
    const udp = "  sl  local_address\n   0: 00000000:0035 00000000:0000 07 0\n";
    expect(parseProcNet(udp, "udp")).toEqual([{ address: "0.0.0.0", port: 53, protocol: "udp" }]);
  });
});
