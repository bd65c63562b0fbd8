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
});
