/**
 * Reachability predicted (computeReachability) vs measured on the real engine.
 *
 * Each case declares a topology, renders it with the Topology component on
 * Pulumi's mock runtime, applies exactly the rendered @pulumi/docker inputs to
 * the engine (support/apply.ts), then dials every predicted edge and every
 * pair of ends the model says cannot connect (support/measure.ts), and asserts
 * that both agree. Counts go to tests/e2e/.results/reachability.json.
 * Everything is named ct-e2e-reach-<case>-* and removed even when a case fails.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type Docker from "dockerode";
import { runOnMocks } from "../../cli/mock-runtime";
import { Topology } from "../../components/topology";
import { computeReachability, HOST } from "../../model/reachability";
import { TopologyDeclaration, TopologySpec } from "../../model/types";
import { apply, teardown } from "./support/apply";
import { cleanup, connectEngine, describeE2E, E2E_PREFIX, PROBE_IMAGE, ensureSwarm, exec, hostInterfaceIp, hostListener, HostListener, leaveSwarm, vethPair } from "./support/engine";
import { Measurement, MeasureContext, measureEdge, measureNonEdge, mismatchTable, NonEdge, pairNonEdges, pool, withListeners } from "./support/measure";
import type { RenderedResource } from "../../cli/mock-runtime";

const PREFIX = `${E2E_PREFIX}reach-`;
const RESULTS = path.join(__dirname, ".results", "reachability.json");

jest.setTimeout(240_000);

/** What a case's declaration and checks may use: host listeners and free host ports made for it. */
interface CaseEnv {
  readonly listeners: Readonly<Record<string, HostListener>>;
  /** Free TCP ports on the host, for published ports and host-network listeners. */
  readonly ports: readonly number[];
  /** The veth parent, for macvlan. */
  readonly parent?: string;
  /** The host's non-loopback address (eth0), when it has one. */
  readonly hostIp?: string;
}

interface Applied {
  readonly docker: Docker;
  readonly topology: TopologySpec;
  readonly name: (key: string) => string;
}

interface Case {
  readonly id: string;
  readonly title: string;
  /** Host listeners to start first, key -> address. */
  readonly hostServices?: Readonly<Record<string, string>>;
  /** How many free host ports the declaration needs. */
  readonly freePorts?: number;
  readonly needs?: "veth" | "swarm";
  readonly declaration: (env: CaseEnv) => TopologyDeclaration;
  /** Non-edges beyond the generated pair non-edges (address-level ones). */
  readonly nonEdges?: (env: CaseEnv) => NonEdge[];
  /** Engine facts the case shows besides reachability (MTU, DNS answers, ...). */
  readonly check?: (applied: Applied, env: CaseEnv) => Promise<void>;
}

/** Every service runs the probe image; withListeners sets its command. */
const image = PROBE_IMAGE;
const sub = (n: number) => `10.231.${n}.0/24`;

const CASES: readonly Case[] = [
  {
    id: "bridge",
    title: "default bridge: containers reach each other by IP only, not by name, and not across to a user network",
    declaration: () => ({
      networks: { user: { subnet: sub(1) } },
      services: { a: { image, expose: [8080] }, b: { image, expose: [8080] }, c: { image, expose: [8080], networks: ["user"] } },
    }),
    nonEdges: () => [{ from: "services.a", to: "services.b", port: 8080, addresses: ["b", `${PREFIX}bridge-b`], scope: "address", why: "no DNS on the default bridge" }],
  },
  {
    id: "lan",
    title: "user bridge with subnet, ip-range, gateway and mtu 9000: by name and alias, MTU and addressing as declared",
    declaration: () => ({
      networks: { lan: { subnet: sub(2), ipRange: "10.231.2.128/25", gateway: "10.231.2.254", mtu: 9000 } },
      services: { web: { image, expose: [8080], networks: { lan: { aliases: ["www"] } } }, api: { image, expose: [9000], networks: ["lan"] }, other: { image, expose: [8080] } },
    }),
    check: async ({ docker, name }) => {
      const link = await exec(docker, name("web"), "ip link show eth0; ip -4 -o addr show eth0; ip route");
      expect(link.stdout).toMatch(/mtu 9000/);
      const ip = /inet (10\.231\.2\.(\d+))\//.exec(link.stdout);
      expect(Number(ip?.[2])).toBeGreaterThanOrEqual(128); // inside the ip-range 10.231.2.128/25
      expect(link.stdout).toMatch(/default via 10\.231\.2\.254/);
    },
  },
  {
    id: "alias",
    title: "alias resolution: two containers sharing the alias `search` (the Docker docs' --network-alias example)",
    declaration: () => ({
      networks: { net: { subnet: sub(3) } },
      services: {
        es1: { image, expose: [9200], networks: { net: { sharedAliases: ["search"] } } },
        es2: { image, expose: [9200], networks: { net: { sharedAliases: ["search"] } } },
        client: { image, networks: ["net"] },
      },
    }),
    check: async ({ docker, name }) => {
      const ips = await Promise.all(["es1", "es2"].map(async (k) => (await docker.getContainer(name(k)).inspect()).NetworkSettings.Networks[name("net")]!.IPAddress));
      const lookup = await exec(docker, name("client"), ["nslookup", "search"]);
      for (const ip of ips) expect(lookup.stdout).toContain(ip);
    },
  },
  {
    id: "pub",
    title: "published ports: 127.0.0.1 reaches the host only on loopback; 0.0.0.0 also through the host gateway",
    freePorts: 2,
    declaration: ({ ports }) => ({
      networks: { n: { subnet: sub(4) } },
      services: {
        web: { image, ports: [{ target: 8080, published: ports[0]!, hostIp: "127.0.0.1" }], networks: ["n"] },
        pub: { image, ports: [{ target: 8080, published: ports[1]!, hostIp: "0.0.0.0" }], networks: ["n"] },
        peer: { image, networks: ["n"] },
      },
    }),
    nonEdges: ({ ports, hostIp }) => (hostIp ? [{ from: HOST, to: "services.web", port: ports[0]!, addresses: [hostIp], scope: "address", why: "bound to 127.0.0.1, dialled on eth0" }] : []),
  },
  {
    id: "hostnet",
    title: "host networking shares the host's stack: loopback listeners both ways, published ports",
    hostServices: { loop: "127.0.0.1", wild: "0.0.0.0" },
    freePorts: 3,
    declaration: ({ listeners, ports }) => ({
      hostServices: hostServices(listeners),
      networks: { priv: { internal: true, subnet: sub(5) } },
      services: {
        agent: { image, networkMode: "host", expose: [ports[0]!] },
        agent2: { image, networkMode: "host", expose: [ports[2]!] },
        web: { image, ports: [{ target: 8080, published: ports[1]!, hostIp: "127.0.0.1" }] },
        inner: { image, networks: ["priv"] },
      },
    }),
  },
  {
    id: "none",
    title: "none: no interface but loopback; reaches nothing, nothing reaches it",
    hostServices: { wild: "0.0.0.0" },
    freePorts: 1,
    declaration: ({ listeners, ports }) => ({
      hostServices: hostServices(listeners),
      services: { iso: { image, networkMode: "none" }, web: { image, expose: [8080], ports: [{ target: 8080, published: ports[0]!, hostIp: "0.0.0.0" }] } },
    }),
    check: async ({ docker, name }) => {
      const links = await exec(docker, name("iso"), "ip -o link | cut -d: -f2");
      expect(links.stdout.split("\n").map((l) => l.trim()).filter(Boolean)).toEqual(["lo"]);
    },
  },
  {
    id: "ns",
    title: "container:X shares X's localhost, hostname and address",
    declaration: () => ({
      networks: { n: { subnet: sub(7) } },
      services: { app: { image, expose: [8080], networks: ["n"] }, side: { image, networkMode: "container:app" }, peer: { image, networks: ["n"] } },
    }),
    check: async ({ docker, name }) => {
      const a = await exec(docker, name("app"), "hostname; ip -4 -o addr show eth0");
      const s = await exec(docker, name("side"), "hostname; ip -4 -o addr show eth0");
      expect(s.stdout).toBe(a.stdout);
    },
  },
  {
    id: "two",
    title: "a container on two networks reaches both sides; the sides stay apart",
    declaration: () => ({
      networks: { front: { subnet: sub(8) }, back: { subnet: sub(9) } },
      services: { web: { image, expose: [8080], networks: ["front"] }, api: { image, expose: [9000], networks: ["front", "back"] }, db: { image, expose: [5432], networks: ["back"] } },
    }),
    check: async ({ docker, name }) => {
      const addrs = await exec(docker, name("api"), "ip -4 -o addr | grep -c 'inet 10.231.'");
      expect(addrs.stdout.trim()).toBe("2");
    },
  },
  {
    id: "internal",
    title: "internal network: members reach each other and host listeners on 0.0.0.0; nothing published, nothing forwarded",
    hostServices: { wild: "0.0.0.0", loop: "127.0.0.1" },
    freePorts: 2,
    declaration: ({ listeners, ports }) => ({
      hostServices: hostServices(listeners),
      networks: { priv: { internal: true, subnet: sub(10) } },
      services: {
        a: { image, ports: [{ target: 8080, published: ports[0]!, hostIp: "0.0.0.0" }], networks: ["priv"] },
        b: { image, networks: ["priv"] },
        outside: { image, ports: [{ target: 8080, published: ports[1]!, hostIp: "0.0.0.0" }] },
      },
    }),
  },
  {
    id: "macvlan",
    title: "macvlan with a static address on a veth parent",
    needs: "veth",
    hostServices: { wild: "0.0.0.0" },
    freePorts: 2,
    declaration: ({ listeners, parent, ports }) => ({
      hostServices: hostServices(listeners),
      networks: { mv: { driver: "macvlan", parent: parent!, subnet: sub(11) } },
      services: {
        m1: { image, expose: [8080], ports: [{ target: 8080, published: ports[0]!, hostIp: "127.0.0.1" }], networks: { mv: { ipv4Address: "10.231.11.10" } } },
        m2: { image, networks: ["mv"] },
        web: { image, ports: [{ target: 8080, published: ports[1]!, hostIp: "0.0.0.0" }] },
      },
    }),
    check: async ({ docker, name }) => {
      const addr = await exec(docker, name("m1"), "ip -4 -o addr show eth0");
      expect(addr.stdout).toContain("inet 10.231.11.10/24");
    },
  },
  {
    id: "overlay",
    title: "attachable overlay on a single-node swarm: by name and alias",
    needs: "swarm",
    hostServices: { wild: "0.0.0.0" },
    freePorts: 1,
    declaration: ({ listeners, ports }) => ({
      hostServices: hostServices(listeners),
      networks: { ov: { driver: "overlay", attachable: true, subnet: sub(12) } },
      services: {
        o1: { image, expose: [8080], ports: [{ target: 8080, published: ports[0]!, hostIp: "127.0.0.1" }], networks: { ov: { aliases: ["peer"] } } },
        o2: { image, networks: ["ov"] },
      },
    }),
  },
  {
    id: "gw",
    title: "host.docker.internal:host-gateway reaches host listeners on 0.0.0.0 and the gateway, never 127.0.0.1",
    hostServices: { wild: "0.0.0.0", loop: "127.0.0.1", gw: "172.17.0.1" },
    declaration: ({ listeners }) => ({
      hostServices: hostServices(listeners),
      networks: { n: { subnet: sub(13) } },
      services: { client: { image, networks: ["n"] }, legacy: { image }, off: { image, networks: ["n"], hostGateway: false } },
    }),
  },
  {
    id: "icc",
    title: "a bridge with icc false keeps its containers apart",
    declaration: () => ({
      networks: { iso: { subnet: sub(14), icc: false } },
      services: { x: { image, expose: [8080], networks: ["iso"] }, y: { image, expose: [8080], networks: ["iso"] } },
    }),
  },
];

function hostServices(listeners: Readonly<Record<string, HostListener>>) {
  return Object.fromEntries(Object.entries(listeners).map(([key, l]) => [key, { address: l.address, port: l.port }]));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface CaseResult {
  readonly case: string;
  readonly edges_predicted: number;
  readonly edges_measured: number;
  readonly non_edges_measured: number;
  readonly dials: number;
  readonly mismatches: number;
  readonly seconds: number;
}
const results: CaseResult[] = [];

describeE2E("reachability: computeReachability vs the real engine", () => {
  let docker: Docker;

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanup(PREFIX, docker);
  });

  afterAll(async () => {
    if (docker) await cleanup(PREFIX, docker);
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(RESULTS), ".gitignore"), "*\n");
    const total = results.reduce((t, r) => ({ edges: t.edges + r.edges_measured, nonEdges: t.nonEdges + r.non_edges_measured, dials: t.dials + r.dials, mismatches: t.mismatches + r.mismatches }), { edges: 0, nonEdges: 0, dials: 0, mismatches: 0 });
    fs.writeFileSync(RESULTS, `${JSON.stringify({ cases: results, total: { cases: results.length, edges_measured: total.edges, non_edges_measured: total.nonEdges, dials: total.dials, mismatches: total.mismatches } }, null, 2)}\n`);
    console.log(`reachability total: cases=${results.length} edges_measured=${total.edges} non_edges_measured=${total.nonEdges} dials=${total.dials} mismatches=${total.mismatches}`);
  });

  it.each(CASES.map((c) => [c.id, c] as const))("%s", async (id, c) => {
    const started = Date.now();
    const prefix = `${PREFIX}${id}`;
    const listeners: Record<string, HostListener> = {};
    let resources: readonly RenderedResource[] = [];
    let veth: ReturnType<typeof vethPair> | undefined;
    let swarmHere = false;
    try {
      for (const [key, address] of Object.entries(c.hostServices ?? {})) listeners[key] = await hostListener(address, 0);
      const ports: number[] = [];
      for (let i = 0; i < (c.freePorts ?? 0); i++) ports.push(await freePort());
      if (c.needs === "veth") veth = vethPair(`ct-e2e-mv${process.pid % 1000}`);
      if (c.needs === "swarm") swarmHere = await ensureSwarm(docker);
      const hostIp = hostInterfaceIp();
      const env: CaseEnv = { listeners, ports, ...(veth ? { parent: veth.parent } : {}), ...(hostIp ? { hostIp } : {}) };

      const declaration = withListeners(c.declaration(env));
      const run = await runOnMocks(() => new Topology(`reach-${id}`, { declaration, namePrefix: prefix }), { stack: "e2e" });
      resources = run.resources;
      const topology = run.value.model;
      const reachability = computeReachability(topology);
      expect(reachability.edges.filter((e) => e.protocol !== "tcp")).toEqual([]);
      await apply(docker, resources);

      const ctx: MeasureContext = { docker, topology, reachability };
      const nonEdges = [...(await pairNonEdges(ctx)), ...(c.nonEdges?.(env) ?? [])];
      const jobs = [...reachability.edges.map((e) => () => measureEdge(ctx, e)), ...nonEdges.map((n) => () => measureNonEdge(ctx, n))];
      const measurements: Measurement[] = await pool(6, jobs);
      const edges = measurements.filter((m) => m.kind === "edge");
      const non = measurements.filter((m) => m.kind === "non-edge");
      const mismatches = measurements.filter((m) => m.predicted !== m.measured);
      const result: CaseResult = {
        case: id,
        edges_predicted: reachability.edges.length,
        edges_measured: edges.length,
        non_edges_measured: non.length,
        dials: measurements.reduce((n, m) => n + m.dials.length, 0),
        mismatches: mismatches.length,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      };
      results.push(result);
      console.log(`[${id}] edges_measured=${result.edges_measured} non_edges_measured=${result.non_edges_measured} dials=${result.dials} mismatches=${result.mismatches} (${result.seconds}s)`);
      expect(mismatchTable(measurements)).toBe("");
      expect(edges.length + non.length).toBeGreaterThan(0);
      await c.check?.({ docker, topology, name: (key) => `${prefix}-${key}` }, env);
    } finally {
      const failures: string[] = [];
      await teardown(docker, resources).catch((err: Error) => failures.push(err.message));
      // a swarm network may still be listed for a moment after its removal ("network ... not found")
      await cleanup(`${prefix}-`, docker).catch((err: Error) => (/not found/i.test(err.message) ? undefined : failures.push(err.message)));
      for (const l of Object.values(listeners)) await l.close();
      veth?.remove();
      if (swarmHere) await leaveSwarm(docker);
      if (failures.length > 0) throw new Error(`cleanup of ${id}: ${failures.join("\n")}`);
    }
  });
});
