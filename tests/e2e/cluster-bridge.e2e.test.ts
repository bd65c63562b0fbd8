/**
 * The Docker half of a ClusterBridge, on the real engine (there is no
 * Kubernetes cluster here): a host listener stands in for the node port. The
 * consumer is rendered on Pulumi's mock runtime (ClusterService +
 * ClusterBridge + PublishedService `consumes`, or the Topology `kubernetes`
 * section), exactly those Docker inputs are applied to the engine
 * (support/apply.ts), and the consumer dials the URL it was injected.
 *
 * - Node port on 0.0.0.0: predicted reachable (computeReachability) and
 *   measured reachable through `host.docker.internal`.
 * - The same consumer with the listener on 127.0.0.1 (a forward bound to
 *   loopback): a declaration saying so is refused and predicted unreachable,
 *   and it is measured unreachable.
 */
import type Docker from "dockerode";
import { RenderedResource, runOnMocks, valueOf } from "../../cli/mock-runtime";
import { PublishedService } from "../../components/docker/published-service";
import { ClusterBridge } from "../../components/kubernetes/cluster-bridge";
import { ClusterService } from "../../components/kubernetes/cluster-service";
import { normalizeTopology } from "../../model/normalize";
import { parseDeclaration } from "../../model/parse";
import { computeReachability } from "../../model/reachability";
import { validateTopology } from "../../model/validate";
import { Topology } from "../../components/topology";
import { apply, teardown } from "./support/apply";
import { canConnect, cleanup, connectEngine, describeE2E, E2E_PREFIX, exec, hostListener, HostListener, PROBE_IMAGE } from "./support/engine";

const P = `${E2E_PREFIX}bridge-`;
const CONSUMER = `${P}consumer`;
const BANNER = "container-topology host listener";

jest.setTimeout(180_000);

/** A host listener on `ip` at a free port of the node port range, standing in for kube-proxy (or a port-forward). */
async function nodePortListener(ip: string): Promise<HostListener> {
  let last: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 30000 + Math.floor(Math.random() * (32767 - 30000 + 1));
    try {
      return await hostListener(ip, port);
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`no free node port on ${ip}: ${String(last)}`);
}

/** The declaration of the Topology path: one cluster service, its bridge, and the consumer. */
function declaration(nodePort: number, bindAddress: string) {
  return {
    services: { consumer: { image: PROBE_IMAGE, name: CONSUMER, command: ["sleep", "3600"], consumes: [{ bridge: "api", env: "API_URL" }] } },
    kubernetes: {
      services: { api: { image: "acme/api:1.4", ports: [{ name: "http", port: 80, targetPort: 8080 }] } },
      bridges: { api: { service: "api", nodePort, bindAddress } },
    },
  };
}

/** What computeReachability and validation say about a declaration, without rendering it. */
function predict(nodePort: number, bindAddress: string) {
  const parsed = parseDeclaration(declaration(nodePort, bindAddress));
  const topology = normalizeTopology(parsed.raw, { namePrefix: "e2e" });
  const edges = computeReachability(topology).edges.filter((e) => e.from === "services.consumer" && e.to === "kubernetes.services.api" && e.port === nodePort);
  return { edges, codes: validateTopology(topology, parsed.declared).map((i) => i.code) };
}

/** The components on mocks: ClusterService, ClusterBridge (node port), and a PublishedService consuming it. */
async function renderComponents(nodePort: number): Promise<{ resources: readonly RenderedResource[]; url: string }> {
  const { resources, value } = await runOnMocks(async () => {
    const api = new ClusterService("api", { image: "acme/api:1.4", ports: [{ name: "http", port: 80, targetPort: 8080 }] });
    const bridge = new ClusterBridge("api", { service: api, nodePort });
    new PublishedService("consumer", { image: PROBE_IMAGE, name: CONSUMER, command: ["sleep", "3600"], consumes: [{ bridge, env: "API_URL" }] });
    return valueOf(bridge.url);
  }, { stack: "e2e" });
  return { resources, url: value };
}

/** Dials the URL the consumer was given, from inside it: the banner when it connects. */
async function dialInjectedUrl(docker: Docker): Promise<{ url: string; exitCode: number; output: string }> {
  const url = (await exec(docker, CONSUMER, ["sh", "-c", 'printf %s "$API_URL"'])).stdout;
  const r = await exec(docker, CONSUMER, ["sh", "-c", 'u=${API_URL#*://}; h=${u%%:*}; p=${u##*:}; p=${p%%/*}; nc -w 5 "$h" "$p" </dev/null']);
  return { url, exitCode: r.exitCode, output: r.stdout };
}

describeE2E("ClusterBridge, the Docker half (real engine)", () => {
  let docker: Docker;
  let applied: readonly RenderedResource[] = [];

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanup(P, docker);
  });

  afterEach(async () => {
    if (!docker) return;
    await teardown(docker, applied).catch(() => undefined);
    applied = [];
    await cleanup(P, docker);
  });

  it("a consumer reaches a node port on 0.0.0.0 through the injected URL, as predicted", async () => {
    const listener = await nodePortListener("0.0.0.0");
    try {
      const predicted = predict(listener.port, "0.0.0.0");
      expect(predicted.codes).toEqual([]);
      expect(predicted.edges.map((e) => `${e.via} ${e.host}:${e.port}`)).toEqual([`host-gateway host.docker.internal:${listener.port}`]);

      const { resources, url } = await renderComponents(listener.port);
      expect(url).toBe(`http://host.docker.internal:${listener.port}`);
      applied = resources;
      const result = await apply(docker, resources);
      expect(result.applied.map((r) => r.type)).toEqual(["docker:index/container:Container"]);
      // Nothing Kubernetes reaches the engine: those objects are the cluster's.
      expect(result.skipped.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.type).sort()).toEqual(["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service", "kubernetes:core/v1:Service"]);

      const inspected = await docker.getContainer(CONSUMER).inspect();
      expect(inspected.HostConfig.ExtraHosts).toEqual(["host.docker.internal:host-gateway"]);
      const dialled = await dialInjectedUrl(docker);
      expect(dialled).toEqual({ url, exitCode: 0, output: `${BANNER}\n` });
      expect(await canConnect(docker, CONSUMER, "host.docker.internal", listener.port, 5)).toBe(true);
      expect(listener.connections()).toBeGreaterThanOrEqual(2);
    } finally {
      await listener.close();
    }
  });

  it("the same consumer with the listener on 127.0.0.1: refused and predicted unreachable, and measured unreachable", async () => {
    const listener = await nodePortListener("127.0.0.1");
    try {
      const predicted = predict(listener.port, "127.0.0.1");
      expect(predicted.codes).toEqual(["loopback-bind"]);
      expect(predicted.edges).toEqual([]);
      // The host itself does reach it: the listener is up, only containers cannot.
      expect(computeReachability(normalizeTopology(parseDeclaration(declaration(listener.port, "127.0.0.1")).raw)).edges.filter((e) => e.from === "host" && e.port === listener.port).map((e) => e.host)).toEqual(["127.0.0.1"]);

      const { resources, url } = await renderComponents(listener.port);
      applied = resources;
      await apply(docker, resources);
      const dialled = await dialInjectedUrl(docker);
      expect(dialled.url).toBe(url);
      expect(dialled.exitCode).not.toBe(0);
      expect(dialled.output).toBe("");
      expect(await canConnect(docker, CONSUMER, "host.docker.internal", listener.port)).toBe(false);
      expect(listener.connections()).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it("the Topology's kubernetes section: the consumer's edge to the cluster service is measured as predicted", async () => {
    const listener = await nodePortListener("0.0.0.0");
    try {
      const { resources, value } = await runOnMocks(() => new Topology("e2e", { declaration: declaration(listener.port, "0.0.0.0") }), { stack: "e2e" });
      const edge = value.reachability.edges.find((e) => e.from === "services.consumer" && e.to === "kubernetes.services.api");
      expect(edge).toMatchObject({ host: "host.docker.internal", port: listener.port, via: "host-gateway" });
      applied = resources;
      await apply(docker, resources);
      expect((await dialInjectedUrl(docker)).output).toBe(`${BANNER}\n`);
      expect(await canConnect(docker, CONSUMER, edge!.host!, edge!.port!, 5)).toBe(true);
    } finally {
      await listener.close();
    }
  });
});
