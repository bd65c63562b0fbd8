import { runOnMocks } from "../../cli/mock-runtime";
import { Topology, TopologyResourceError } from "../../components";
import { ofType, resource, T } from "./support";

const image = "container-topology/probe:local";

describe("Topology", () => {
  it("renders every network and service through the components, owners of container:X first", async () => {
    const { resources, value } = await runOnMocks(
      () =>
        new Topology("app", {
          declaration: {
            networks: { dev: { subnet: "172.30.0.0/24" }, lan: { driver: "macvlan", parent: "eth0", subnet: "192.168.5.0/24" } },
            services: { sidecar: { image, networkMode: "container:web" }, web: { image, ports: ["8080:80"], networks: { dev: { aliases: ["www"] }, lan: { ipv4Address: "192.168.5.10" } } } },
          },
        }),
      { stack: "staging" },
    );
    expect(ofType(resources, "container-topology:docker:BridgeNetwork").map((r) => r.name)).toEqual(["app-dev"]);
    expect(ofType(resources, "container-topology:docker:MacvlanNetwork").map((r) => r.name)).toEqual(["app-lan"]);
    expect(ofType(resources, T.container).map((r) => r.name)).toEqual(["app-web", "app-sidecar"]);
    const web = resource(resources, T.container, "app-web");
    expect(web.inputs).toMatchObject({ name: "staging-web", networksAdvanced: [{ name: "staging-dev", aliases: ["web", "www"] }, { name: "staging-lan", aliases: ["web"], ipv4Address: "192.168.5.10" }] });
    expect(resource(resources, T.container, "app-sidecar").inputs).toMatchObject({ networkMode: "container:staging-web" });
    const topologyUrn = resource(resources, "container-topology:index:Topology", "app").urn;
    expect(resource(resources, "container-topology:docker:PublishedService", "app-web").parent).toBe(topologyUrn);
    expect(value.reachability.edges.some((e) => e.from === "host" && e.to === "services.web" && e.port === 8080)).toBe(true);
  });

  it("reports every issue with the config path it came from, and creates nothing", async () => {
    let thrown: unknown;
    const { resources } = await runOnMocks(() => {
      try {
        new Topology("app", { source: "container-topology:topology", declaration: { services: { web: { image, ports: [{ target: 80, published: "8080" }], networks: ["dev"] } } } });
      } catch (err) {
        thrown = err;
      }
    });
    expect((thrown as Error).message).toBe(
      [
        "invalid topology in container-topology:topology: 2 errors",
        "  container-topology:topology.services.web.networks.dev: \"dev\" is not a declared network. Declare it under networks.dev",
        "  container-topology:topology.services.web.ports[0].published: must be a number, got the string \"8080\". Write 8080 without quotes",
      ].join("\n"),
    );
    expect((thrown as TopologyResourceError).issues.map((i) => i.code)).toEqual(["unknown-network", "invalid-type"]);
    expect(ofType(resources, T.container)).toHaveLength(0);
  });
});
