/** The published endpoints agree with computeReachability: a publish Docker drops is shown as such. */
import { checkTopology } from "../../../model/check";
import { serviceEndpoints } from "../../../model/docker/endpoints";
import { computeReachability, HOST } from "../../../model/reachability";
import { buildGraph } from "../../../cli/graph";

describe("serviceEndpoints", () => {
  it.each([
    ["internal", { data: { subnet: "172.30.1.0/24", internal: true } }, "Docker publishes nothing from internal networks"],
    ["macvlan", { data: { driver: "macvlan", parent: "eth9", subnet: "192.168.9.0/24" } }, "Docker publishes nothing from macvlan networks"],
    ["bridge", { data: { subnet: "172.30.1.0/24" } }, undefined],
  ])("a container only on a %s network", (_kind, networks, unreachable) => {
    const { topology } = checkTopology({ networks, services: { db: { image: "x", ports: ["0.0.0.0:5432:5432"], networks: ["data"] } } }, { namePrefix: "t" });
    const [endpoint] = serviceEndpoints(topology.services[0]!, topology.defaultBridge.gateway, [], topology.networks);
    const fromHost = computeReachability(topology).edges.filter((e) => e.from === HOST && e.to === "services.db");
    expect({ unreachable: endpoint!.unreachable, hostAddress: endpoint!.hostAddress !== undefined, containerAddress: endpoint!.containerAddress !== undefined }).toEqual(
      unreachable ? { unreachable, hostAddress: false, containerAddress: false } : { unreachable: undefined, hostAddress: true, containerAddress: true },
    );
    // One truth: an endpoint from the host exactly when the reachability has the edge, and the graph draws it so.
    expect(fromHost.length > 0).toBe(endpoint!.hostAddress !== undefined);
    const graph = buildGraph(topology, computeReachability(topology), "t");
    expect(graph.edges.find((e) => e.from === "port:db:0")?.style).toBe(unreachable ? "dotted" : "solid");
  });

  it("offers host.docker.internal only to a container with a path to the host (not one only on macvlan/ipvlan)", () => {
    const { topology } = checkTopology({
      networks: { lan: { driver: "macvlan", parent: "eth9", subnet: "192.168.9.0/24" }, br: { subnet: "172.30.2.0/24" } },
      services: { only: { image: "x", networks: ["lan"] }, both: { image: "x", networks: ["lan", "br"] }, forced: { image: "x", networks: ["lan"], hostGateway: true } },
    }, { namePrefix: "t" });
    const gateway = (key: string) => topology.services.find((s) => s.key === key)!.extraHosts.some((h) => h.host === "host.docker.internal");
    expect({ only: gateway("only"), both: gateway("both"), forced: gateway("forced") }).toEqual({ only: false, both: true, forced: true });
  });
});
