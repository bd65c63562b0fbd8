import { loadStack } from "../../../cli/load-stack";
import { RenderedResource } from "../../../cli/mock-runtime";
import { connectionTable, displayType, reachabilityMatrix, resourceTable } from "../../../cli/plan";
import { runStack, StackRun } from "../../../cli/run-stack";
import { isWildcard } from "../../../model/ip";
import { ReachabilityEdge } from "../../../model/reachability";
import { ROOT, sourceProgram } from "./cli-support";

describe("displayType", () => {
  it.each([
    ["docker:index/network:Network", "docker:index:Network"],
    ["docker:index/container:Container", "docker:index:Container"],
    ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:Deployment"],
    ["container-topology:index:Topology", "container-topology:index:Topology"],
  ])("%s -> %s", (type, shown) => {
    expect(displayType(type)).toBe(shown);
  });
});

const options = { deleteBeforeReplace: false, replaceWith: [], dependencies: [], retainOnDelete: false, replaceOnChanges: [], ignoreChanges: [], protect: false, additionalSecretOutputs: [] };
const rendered = (type: string, name: string, inputs: Record<string, unknown>, parent?: string): RenderedResource => ({
  type,
  name,
  urn: `urn:pulumi:t::p::${type}::${name}`,
  ...(parent ? { parent: `urn:pulumi:t::p::${parent}` } : {}),
  custom: !type.startsWith("container-topology:"),
  inputs,
  options,
});

describe("resourceTable", () => {
  it("lists components above their children with the key inputs of networks and containers", () => {
    const resources = [
      rendered("container-topology:index:Topology", "t", {}),
      rendered("docker:index/network:Network", "t-lan", { name: "t-lan", driver: "bridge", ipamConfigs: [{ subnet: "10.1.0.0/24", gateway: "10.1.0.254" }], internal: true, attachable: false, options: { "com.docker.network.driver.mtu": "9000" } }, "container-topology:index:Topology::t"),
      rendered("docker:index/container:Container", "t-web", { name: "t-web", image: "nginx:1.27", ports: [{ internal: 80, external: 8080, ip: "::1", protocol: "tcp" }, { internal: 53, ip: "127.0.0.1", protocol: "udp" }], networksAdvanced: [{ name: "t-lan", aliases: ["web", "www"], ipv4Address: "10.1.0.10" }] }, "container-topology:index:Topology::t"),
      rendered("docker:index/container:Container", "t-agent", { name: "t-agent", image: "agent:1", ports: [], networksAdvanced: [], networkMode: "host" }),
      rendered("docker:index/volume:Volume", "t-data", { name: "t-data" }),
    ];
    expect(resourceTable(resources)).toEqual([
      "TYPE                               NAME     DOCKER NAME  DRIVER / IMAGE  SUBNET / PORTS             NETWORKS (ALIASES)             MODE / OPTIONS",
      "---------------------------------  -------  -----------  --------------  -------------------------  -----------------------------  ----------------------------------",
      "container-topology:index:Topology  t",
      "  docker:index:Network             t-lan    t-lan        bridge          10.1.0.0/24 gw 10.1.0.254                                 internal",
      "                                                                                                                                   com.docker.network.driver.mtu=9000",
      "  docker:index:Container           t-web    t-web        nginx:1.27      [::1]:8080->80/tcp         t-lan (web, www) ip 10.1.0.10",
      "                                                                         127.0.0.1:random->53/udp",
      "docker:index:Container             t-agent  t-agent      agent:1                                                                   host",
      "docker:index:Volume                t-data   t-data",
    ]);
  });
});

const edge = (from: string, to: string, port: number | undefined, via: ReachabilityEdge["via"], extra: Partial<ReachabilityEdge> = {}): ReachabilityEdge => ({
  from,
  to,
  names: [],
  ...(port !== undefined ? { port } : {}),
  protocol: "tcp",
  via,
  reason: "because",
  ...extra,
});

describe("reachabilityMatrix", () => {
  it("puts clients in rows (the host first) and listeners in columns; '-' where nothing gets through", () => {
    const edges = [
      edge("host", "services.web", 8080, "published-port"),
      edge("services.api", "services.web", 80, "network"),
      edge("services.api", "services.web", 8080, "host-gateway"),
      edge("services.api", "hostServices.tunnel", 4000, "host-gateway"),
      edge("services.web", "services.api", undefined, "network"),
      edge("host", "kubernetes.services.app", 30080, "published-port"),
    ];
    expect(reachabilityMatrix(edges, ["api", "web"], ["tunnel"])).toEqual([
      "FROM \\ TO  api                 web                  hostServices.tunnel  kubernetes.services.app",
      "---------  ------------------  -------------------  -------------------  -----------------------",
      "host       -                   8080 published-port  -                    30080 published-port",
      "api        -                   80 network           4000 host-gateway    -",
      "                               8080 host-gateway",
      "web        (any port) network  -                    -                    -",
    ]);
  });

  it("lists each connection with what to dial", () => {
    expect(connectionTable([edge("services.api", "services.web", 80, "network", { host: "web", network: "dev", reason: "both on networks.dev" }), edge("services.a", "services.b", undefined, "default-bridge")])).toEqual([
      "FROM  TO   DIAL                           VIA             WHY",
      "----  ---  -----------------------------  --------------  --------------------",
      "api   web  web:80/tcp                     network (dev)   both on networks.dev",
      "a     b    <container IP>:<any port>/tcp  default-bridge  because",
    ]);
  });
});

describe("the dev and ci stacks", () => {
  const runs: Record<string, StackRun> = {};
  beforeAll(async () => {
    for (const name of ["dev", "ci"]) runs[name] = await runStack(loadStack({ stack: name, cwd: ROOT }), { program: sourceProgram });
  });

  it.each(["dev", "ci"])("%s plans without diagnostics", (name) => {
    expect(runs[name]!.diagnostics).toEqual([]);
    expect(runs[name]!.failed).toBe(false);
  });

  const containers = (name: string) => runs[name]!.resources.filter((r) => r.type === "docker:index/container:Container");

  // What dev allows and ci forbids (docs/environments.md).
  it.each<[string, boolean, boolean, (name: string) => boolean]>([
    ["host networking", true, false, (name) => containers(name).some((c) => c.inputs.networkMode === "host")],
    ["host services reachable from containers", true, false, (name) => runs[name]!.reachability!.edges.some((e) => e.to.startsWith("hostServices."))],
    ["host.docker.internal in containers", true, false, (name) => containers(name).some((c) => JSON.stringify(c.inputs.hosts ?? []).includes("host.docker.internal"))],
    ["a port published on every address", false, false, (name) => runs[name]!.model!.services.some((s) => s.ports.some((p) => isWildcard(p.hostIp)))],
    ["an internal network", false, true, (name) => runs[name]!.model!.networks.some((n) => n.internal)],
  ])("%s: dev %s, ci %s", (_what, dev, ci, holds) => {
    expect([holds("dev"), holds("ci")]).toEqual([dev, ci]);
  });

  it("keeps ci's database on the internal network only, reached from api alone", () => {
    const ci = runs.ci!;
    const db = ci.model!.services.find((s) => s.key === "db")!;
    expect(db.attachments.map((a) => a.network)).toEqual(["data"]);
    expect(ci.model!.networks.find((n) => n.key === "data")!.internal).toBe(true);
    expect(ci.reachability!.edges.filter((e) => e.to === "services.db").map((e) => e.from)).toEqual(["services.api"]);
  });

  it("lets both stacks share one engine: no common names, subnets or host ports", () => {
    const names = (name: string) => runs[name]!.resources.filter((r) => r.custom).map((r) => String(r.inputs.name));
    const subnets = (name: string) => runs[name]!.model!.networks.flatMap((n) => n.pools.map((p) => String(p.subnet)));
    const hostPorts = (name: string) => [...runs[name]!.model!.services.flatMap((s) => s.ports.map((p) => String(p.published))), ...(runs[name]!.model!.registries ?? []).map((r) => String(r.port))];
    for (const list of [names, subnets, hostPorts]) expect(list("dev").filter((x) => list("ci").includes(x))).toEqual([]);
  });
});
