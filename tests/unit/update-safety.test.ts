/**
 * Updates never surprise. The same declaration rendered twice gives identical
 * provider inputs and options (so a second `pulumi up` changes nothing; the only
 * random value, a registry password, comes from @pulumi/random with plain,
 * stable keepers). A change replaces exactly what it must, computed from the
 * recorded options with plannedReplacements (tests/unit/support-diff.ts): a new
 * subnet replaces that network and exactly the containers on it, because each
 * lists the network in replaceWith (their own inputs do not change: the network
 * keeps its name), and Docker cannot remove a network with active endpoints.
 */
import { RenderedResource, runOnMocks } from "../../cli/mock-runtime";
import { Topology } from "../../components/topology";
import { ofType, resource, T } from "./support";
import { changedInputs, plannedReplacements, shortUrn } from "./support-diff";

const image = "container-topology/probe:local";

type Declaration = Record<string, unknown> & { networks: Record<string, Record<string, unknown>>; services: Record<string, Record<string, unknown>> };

/** A topology with a bit of everything: pooled and static subnets, macvlan, overlay, container:X, host mode, the default bridge, a registry with a generated password. */
function declaration(): Declaration {
  return {
    addressPools: [{ base: "10.231.0.0/16" }],
    hostServices: { forward: { address: "0.0.0.0", port: 4000 } },
    networks: {
      front: { subnet: "172.30.0.0/24" },
      back: { subnet: "172.31.0.0/24" },
      pooled: {},
      lan: { driver: "macvlan", parent: "eth0", subnet: "192.168.77.0/24" },
      mesh: { driver: "overlay", attachable: true },
    },
    services: {
      web: { image, ports: ["8080:80"], networks: { front: { aliases: ["www"] } } },
      api: { image, networks: { front: {}, back: { ipv4Address: "172.31.0.10" } } },
      db: { image, networks: ["back"], restart: "always" },
      sidecar: { image, networkMode: "container:web" },
      agent: { image, networkMode: "host" },
      legacy: { image, ports: ["9090:90"] },
      worker: { image, networks: ["pooled", "mesh"] },
      edge: { image, networks: { lan: { ipv4Address: "192.168.77.5" } } },
    },
    registries: { images: { auth: true, networks: ["back"] } },
  };
}

async function render(d: unknown): Promise<readonly RenderedResource[]> {
  const { resources } = await runOnMocks(() => new Topology("app", { declaration: d }), { stack: "dev" });
  return resources;
}

/** Names of the Docker objects (custom resources) among URNs, sorted. */
function names(resources: readonly RenderedResource[], urns: Iterable<string>): string[] {
  const wanted = new Set(urns);
  return resources.filter((r) => wanted.has(r.urn) && r.custom).map((r) => shortUrn(r.urn)).sort();
}

/** The base declaration's rendering, made once (rendering is the slow part). */
let base: readonly RenderedResource[];
beforeAll(async () => {
  base = await render(declaration());
});

const net = (name: string) => `${T.network}::app-${name}`;
const ctr = (name: string) => `${T.container}::app-${name}`;

describe("rendering the same declaration twice", () => {
  it("gives identical resources, inputs and options", async () => {
    const first = base;
    const second = await render(declaration());
    expect(first.length).toBeGreaterThan(20);
    expect(second).toEqual(first);
    const plan = plannedReplacements(first, second);
    expect([plan.replaced.size, plan.updated.size, plan.created.length, plan.deleted.length]).toEqual([0, 0, 0, 0]);
  });

  it("draws random values only from @pulumi/random, with plain keepers", async () => {
    const random = base.filter((r) => r.type.startsWith("random:"));
    expect(random.map((r) => r.type)).toEqual(["random:index/randomPassword:RandomPassword"]);
    // Keepers are plain values: the password changes only with the registry's name or user.
    expect(random[0]!.inputs.keepers).toEqual({ registry: "dev-images", username: "registry" });
  });

  it("renders the subnets allocated from the pool (the same each time: see above)", () => {
    expect(resource(base, T.network, "app-pooled").inputs.ipamConfigs).toEqual([{ subnet: expect.stringMatching(/^10\.231\.\d+\.0\/24$/) }]);
    // An overlay also gets Docker's default gateway rendered (swarm assigns it only on first attach).
    expect(resource(base, T.network, "app-mesh").inputs.ipamConfigs).toEqual([{ subnet: expect.stringMatching(/^10\.231\.\d+\.0\/24$/), gateway: expect.stringMatching(/^10\.231\.\d+\.1$/) }]);
  });
});

describe("changing one network's subnet", () => {
  let after: readonly RenderedResource[];
  beforeAll(async () => {
    const changed = declaration();
    changed.networks.front = { subnet: "172.29.0.0/24" };
    after = await render(changed);
  });

  it("replaces that network and exactly the containers on it (and the one sharing a namespace with them)", () => {
    const before = base;
    const plan = plannedReplacements(before, after);

    expect(names(after, plan.replaced.keys())).toEqual([ctr("api"), ctr("sidecar"), ctr("web"), net("front")].sort());
    const why = Object.fromEntries([...plan.replaced].map(([urn, reason]) => [shortUrn(urn), reason.replace(/urn:\S+::/, "")]));
    expect(why).toEqual({
      [net("front")]: "inputs ipamConfigs",
      [ctr("web")]: "replaceWith app-front",
      [ctr("api")]: "replaceWith app-front",
      // container:web joins web's namespace: a new web means a new sidecar.
      [ctr("sidecar")]: "replaceWith app-web",
    });
    expect([plan.updated.size, plan.created.length, plan.deleted.length]).toEqual([0, 0, 0]);
    // Each is replaced delete-first: names are fixed, and the network must be empty before Docker removes it.
    for (const urn of plan.replaced.keys()) expect(after.find((r) => r.urn === urn)!.options.deleteBeforeReplace).toBe(true);
  });

  it("needs replaceWith: the containers' own inputs do not change, so without it only the network would be replaced", () => {
    const before = base;
    expect(changedInputs(resource(before, T.container, "app-web"), resource(after, T.container, "app-web"))).toEqual([]);
    expect(changedInputs(resource(before, T.network, "app-front"), resource(after, T.network, "app-front"))).toEqual(["ipamConfigs"]);
    const withoutReplaceWith = after.map((r) => ({ ...r, options: { ...r.options, replaceWith: [] } }));
    expect(names(after, plannedReplacements(before, withoutReplaceWith).replaced.keys())).toEqual([net("front")]);
  });
});

describe("other changes replace exactly what they must", () => {
  type Change = readonly [what: string, change: (d: Declaration) => void, replaced: readonly string[], updated: readonly string[], created: readonly string[], deleted: readonly string[]];
  const changes: readonly Change[] = [
    ["a published port of web", (d) => void (d.services.web!.ports = ["8081:80"]), [ctr("web"), ctr("sidecar")], [], [], []],
    ["the restart policy of db (docker update)", (d) => void (d.services.db!.restart = "on-failure"), [], [ctr("db")], [], []],
    ["api's static address on back", (d) => void (d.services.api!.networks = { front: {}, back: { ipv4Address: "172.31.0.11" } }), [ctr("api")], [], [], []],
    ["an alias of web", (d) => void (d.services.web!.networks = { front: { aliases: ["www", "home"] } }), [ctr("web"), ctr("sidecar")], [], [], []],
    [
      "the macvlan subnet (and edge's static address in it)",
      (d) => {
        d.networks.lan = { driver: "macvlan", parent: "eth0", subnet: "192.168.78.0/24" };
        d.services.edge!.networks = { lan: { ipv4Address: "192.168.78.5" } };
      },
      [net("lan"), ctr("edge")],
      [],
      [],
      [],
    ],
    [
      "an added service",
      (d) => void (d.services.cache = { image, networks: ["back"] }),
      [],
      [],
      [ctr("cache"), "container-topology:docker:PublishedService::app-cache"],
      [],
    ],
    ["a removed service", (d) => void delete d.services.legacy, [], [], [], [ctr("legacy"), "container-topology:docker:PublishedService::app-legacy"]],
    // Pooled blocks are chosen by a hash of the key: a new network does not move the others.
    ["an added network with a pooled subnet", (d) => void (d.networks.aaa = {}), [], [], [net("aaa"), "container-topology:docker:BridgeNetwork::app-aaa"], []],
    ["a removed network with a pooled subnet", (d) => {
      delete d.networks.pooled;
      d.services.worker!.networks = ["mesh"];
    }, [ctr("worker")], [], [], [net("pooled"), "container-topology:docker:BridgeNetwork::app-pooled"]],
  ];

  it.each(changes.map((c) => [c[0], c] as const))("%s", async (_what, [, change, replaced, updated, created, deleted]) => {
    const before = base;
    const d = declaration();
    change(d);
    const after = await render(d);
    const plan = plannedReplacements(before, after);
    const all = [...before, ...after];
    const short = (urns: Iterable<string>) => [...new Set([...urns].map(shortUrn))].filter((u) => all.some((r) => shortUrn(r.urn) === u)).sort();
    expect({
      replaced: names(after, plan.replaced.keys()),
      updated: names(after, plan.updated.keys()),
      created: short(plan.created),
      deleted: short(plan.deleted),
    }).toEqual({ replaced: [...replaced].sort(), updated: [...updated].sort(), created: [...created].sort(), deleted: [...deleted].sort() });
  });
});

describe("plannedReplacements", () => {
  it("follows replaceWith to a fixpoint and leaves components alone", () => {
    const resources = base;
    const network = resource(resources, T.network, "app-front");
    const after = resources.map((r) => (r.urn === network.urn ? { ...r, inputs: { ...r.inputs, ipamConfigs: [{ subnet: "172.28.0.0/24" }] } } : r));
    const plan = plannedReplacements(resources, after);
    expect(ofType(resources, "container-topology:index:Topology").every((r) => !plan.replaced.has(r.urn))).toBe(true);
    expect(plan.replaced.get(resource(resources, T.container, "app-sidecar").urn)).toBe(`replaceWith ${resource(resources, T.container, "app-web").urn}`);
  });
});
