import * as k8s from "@pulumi/kubernetes";
import { runOnMocks, valueOf } from "../../../cli/mock-runtime";
import { PublishedService } from "../../../components/docker/published-service";
import { TopologyResourceError } from "../../../components/docker/validation";
import { ClusterBridge, ClusterBridgeArgs } from "../../../components/kubernetes/cluster-bridge";
import { ClusterService, ClusterServiceArgs } from "../../../components/kubernetes/cluster-service";
import { Topology } from "../../../components/topology";
import { ofType, resource, T } from "../support";

const K = {
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  provider: "pulumi:providers:kubernetes",
  bridge: "container-topology:kubernetes:ClusterBridge",
  clusterService: "container-topology:kubernetes:ClusterService",
} as const;

type ServiceInputs = { metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: { type: string; selector: Record<string, string>; ports: Record<string, unknown>[] } };
type DaemonSetInputs = { metadata: { name: string; namespace: string }; spec: { template: { spec: { containers: { args: string[]; ports: Record<string, unknown>[]; image: string }[] } } } };

const image = "acme/api:1.4";
const api: ClusterServiceArgs = { image, ports: [{ name: "http", port: 80, targetPort: 8080 }] };

async function bridge(service: ClusterServiceArgs, args: Omit<ClusterBridgeArgs, "service">) {
  return runOnMocks(async () => {
    const target = new ClusterService("api", service);
    const b = new ClusterBridge("api", { service: target, ...args });
    return { url: await valueOf(b.url), hostUrl: await valueOf(b.hostUrl), port: b.port, env: b.env, extraHost: b.extraHost };
  });
}

describe("ClusterBridge on kind's nodes (containers)", () => {
  it("dials the port the node container publishes", async () => {
    const { value } = await bridge(api, { nodePort: 30080, nodes: { container: "kind-control-plane", network: "kind", ports: ["0.0.0.0:8080:30080"] } });
    expect({ url: value.url, hostUrl: value.hostUrl, port: value.port }).toEqual({ url: "http://host.docker.internal:8080", hostUrl: "http://localhost:8080", port: 30080 });
  });

  it("refuses a port the node does not publish, naming the fix", async () => {
    let thrown: unknown;
    await runOnMocks(() => {
      const target = new ClusterService("api", api);
      try {
        new ClusterBridge("api", { service: target, nodePort: 30080, nodes: { container: "kind-control-plane", network: "kind" } });
      } catch (err) {
        thrown = err;
      }
    });
    expect((thrown as TopologyResourceError).issues.map((i) => i.code)).toEqual(["node-port-not-published"]);
    expect((thrown as Error).message).toContain("extraPortMappings {containerPort: 30080, hostPort: 30080");
  });
});

describe("ClusterBridge", () => {
  it("nodePort (default): a NodePort Service of its own selecting the target's pods, bound for containers", async () => {
    const { resources, value } = await bridge(api, { nodePort: 30080 });
    const own = ofType(resources, K.service).find((r) => r.parent === resource(resources, K.clusterService, "api").urn)!;
    expect(ofType(resources, K.service)).toHaveLength(2);
    const created = ofType(resources, K.service).find((r) => r.parent === resource(resources, K.bridge, "api").urn)!;
    expect(created.inputs as unknown as ServiceInputs).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api-bridge", namespace: "default", labels: { "app.kubernetes.io/managed-by": "container-topology", "container-topology.io/bridge": "api" } },
      spec: { type: "NodePort", selector: { "app.kubernetes.io/name": "api" }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP", nodePort: 30080 }] },
    });
    expect((own.inputs as unknown as ServiceInputs).spec.selector).toEqual((created.inputs as unknown as ServiceInputs).spec.selector);
    expect(created.options.deleteBeforeReplace).toBe(true);
    // It waits for the target (a component: its children).
    expect(created.options.dependencies).toEqual(expect.arrayContaining([resource(resources, K.deployment, "api").urn, own.urn]));
    expect(value).toEqual({
      url: "http://host.docker.internal:30080",
      hostUrl: "http://localhost:30080",
      port: 30080,
      env: "API_URL",
      extraHost: { host: "host.docker.internal", ip: "host-gateway" },
    });
  });

  it("nodePort: reuses the node port a NodePort target already has, creating nothing", async () => {
    const { resources, value } = await bridge({ ...api, type: "NodePort", ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30090 }] }, { env: "CS_URL" });
    expect(ofType(resources, K.service)).toHaveLength(1);
    expect(value).toMatchObject({ url: "http://host.docker.internal:30090", port: 30090, env: "CS_URL" });
  });

  it("hostPort: a HostPortProxy DaemonSet forwarding to the Service's cluster DNS name, on the bridge gateway", async () => {
    const { resources, value } = await bridge(api, { via: "hostPort", hostPort: 4000, bindAddress: "172.17.0.1", proxyImage: "alpine/socat:1.8.0.1" });
    const ds = resource(resources, K.daemonSet, "api").inputs as unknown as DaemonSetInputs;
    expect(ds.metadata).toMatchObject({ name: "api-bridge", namespace: "default" });
    const container = ds.spec.template.spec.containers[0]!;
    expect(container.image).toBe("alpine/socat:1.8.0.1");
    expect(container.args).toEqual(["tcp-listen:4000,fork,reuseaddr", "tcp-connect:api.default.svc.cluster.local:80"]);
    expect(container.ports).toEqual([{ name: "proxy", containerPort: 4000, hostPort: 4000, protocol: "TCP", hostIP: "172.17.0.1" }]);
    expect(value).toMatchObject({ url: "http://host.docker.internal:4000", hostUrl: "http://172.17.0.1:4000", port: 4000 });
  });

  it("hostPort on 0.0.0.0 leaves hostIP out (every node address)", async () => {
    const { resources } = await bridge(api, { via: "hostPort", hostPort: 4000 });
    const ds = resource(resources, K.daemonSet, "api").inputs as unknown as DaemonSetInputs;
    expect(ds.spec.template.spec.containers[0]!.ports).toEqual([{ name: "proxy", containerPort: 4000, hostPort: 4000, protocol: "TCP" }]);
  });

  it.each<[string, ClusterServiceArgs, Omit<ClusterBridgeArgs, "service">, string[], string[]]>([
    [
      "a node port bound to 127.0.0.1 alone",
      api,
      { nodePort: 30080, bindAddress: "127.0.0.1" },
      [`  bindAddress: "127.0.0.1" is a loopback address: containers reach the node through host.docker.internal (the bridge gateway 172.17.0.1), never through its loopback. Use "0.0.0.0" or "172.17.0.1"`],
      ["loopback-bind"],
    ],
    [
      "no node port known in advance, a bad env name",
      api,
      { env: "api-url" },
      [
        `  env: "api-url" is not a valid environment variable name: use letters, digits and "_", not starting with a digit. Did you mean "API_URL"?`,
        "  nodePort: is required: kubernetes.services.api.ports[0] has no fixed nodePort, and containers need the port before the Service exists. Pick one in 30000-32767",
      ],
      ["invalid-name", "missing-field"],
    ],
    [
      "a port the target does not have, a typo in a key",
      api,
      { port: "htp", nodePort: 30080, bindAdress: "0.0.0.0" } as Omit<ClusterBridgeArgs, "service">,
      [`  bindAdress: unknown key. Did you mean "bindAddress"?`, `  port: "htp" is not a port name of kubernetes.services.api. Did you mean "http"?`],
      ["unknown-key", "invalid-value"],
    ],
  ])("refuses %s", async (_name, service, args, lines, codes) => {
    let thrown: unknown;
    const { resources } = await runOnMocks(() => {
      const target = new ClusterService("api", service);
      try {
        new ClusterBridge("api", { service: target, ...args });
      } catch (err) {
        thrown = err;
      }
    });
    expect((thrown as Error).message).toBe([`ClusterBridge "api" has invalid arguments (${lines.length} error${lines.length === 1 ? "" : "s"}):`, ...lines].join("\n"));
    expect((thrown as TopologyResourceError).issues.map((i) => i.code)).toEqual(codes);
    expect(ofType(resources, K.service)).toHaveLength(1);
  });
});

describe("PublishedService consumes a ClusterBridge", () => {
  it("gets the URL in the variable of its choice and the host-gateway entry, and waits for the bridge", async () => {
    const { resources } = await runOnMocks(() => {
      const target = new ClusterService("api", api);
      const b = new ClusterBridge("api", { service: target, nodePort: 30080 });
      const other = new ClusterBridge("api-admin", { service: target, nodePort: 30081 });
      new PublishedService("hurl", { image: "hurl", hostGateway: false, env: { MODE: "ci" }, consumes: [b, { bridge: other, env: "ADMIN" }] });
    }, { stack: "test" });
    const container = resource(resources, T.container, "hurl");
    expect(container.inputs).toMatchObject({
      envs: ["MODE=ci", "API_URL=http://host.docker.internal:30080", "ADMIN=http://host.docker.internal:30081"],
      hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
    });
    const created = ofType(resources, K.service).filter((r) => r.parent?.includes("ClusterBridge"));
    expect(created).toHaveLength(2);
    expect(container.options.dependencies).toEqual(expect.arrayContaining(created.map((r) => r.urn)));
  });

  it("refuses a consumer whose own env already sets the bridge's variable", async () => {
    let thrown: unknown;
    await runOnMocks(() => {
      const b = new ClusterBridge("api", { service: new ClusterService("api", api), nodePort: 30080 });
      try {
        new PublishedService("hurl", { image: "hurl", env: { API_URL: "http://localhost:4000" }, consumes: [b] });
      } catch (err) {
        thrown = err;
      }
    }, { stack: "test" });
    expect((thrown as Error).message).toBe(
      [
        'PublishedService "hurl" has invalid arguments (1 error):',
        '  consumes[0]: API_URL is also set under env. Remove it there, or name the variable: {bridge: "api", env: "API_BRIDGE_URL"}',
      ].join("\n"),
    );
  });
});

describe("Topology with a kubernetes section", () => {
  const declaration = {
    services: { hurl: { image: "hurl", consumes: [{ bridge: "api", env: "CS_URL" }] } },
    kubernetes: {
      context: "kind-dev",
      namespace: "dev",
      services: { api: { image, ports: [{ name: "http", port: 80, targetPort: 8080 }], hostAliases: ["db.local:10.0.0.5"] } },
      bridges: { api: { service: "api", nodePort: 30080 } },
    },
  };

  it("creates a provider for the context, the cluster objects under it, and a consumer with the URL", async () => {
    const { resources, value } = await runOnMocks(() => new Topology("dev", { declaration }), { stack: "dev" });
    const provider = resource(resources, K.provider, "dev-kubernetes");
    expect(provider.inputs).toMatchObject({ context: "kind-dev" });
    const deployment = resource(resources, K.deployment, "dev-api");
    expect(deployment.inputs).toMatchObject({ metadata: { name: "api", namespace: "dev" } });
    expect(deployment.options.provider).toBe(`${provider.urn}::dev-kubernetes-id`);
    const services = ofType(resources, K.service);
    expect(services.map((s) => (s.inputs as unknown as ServiceInputs).metadata.name).sort()).toEqual(["api", "api-bridge"]);
    for (const s of services) expect(s.options.provider).toBe(`${provider.urn}::dev-kubernetes-id`);
    const container = resource(resources, T.container, "dev-hurl");
    expect(container.inputs).toMatchObject({ envs: ["CS_URL=http://host.docker.internal:30080"], hosts: [{ host: "host.docker.internal", ip: "host-gateway" }] });
    expect(container.options.dependencies).toEqual(expect.arrayContaining(services.filter((s) => s.parent?.includes("ClusterBridge")).map((s) => s.urn)));
    expect(Object.keys(value.kubernetes!.services)).toEqual(["api"]);
    expect(await valueOf(value.kubernetes!.bridges.api!.url)).toBe("http://host.docker.internal:30080");
    expect(value.reachability.edges.filter((e) => e.to === "kubernetes.services.api").map((e) => `${e.from} ${e.port} ${e.via} ${e.host}`)).toEqual([
      "host 30080 published-port localhost",
      "services.hurl 30080 host-gateway host.docker.internal",
    ]);
  });

  it("uses a provider passed in the options instead of the context, with a warning", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const { resources } = await runOnMocks(() => {
      const kind = new k8s.Provider("kind", {});
      return new Topology("dev", { declaration }, { providers: [kind] });
    }, { stack: "dev" });
    expect(ofType(resources, K.provider).map((p) => p.name)).toEqual(["kind"]);
    expect(resource(resources, K.deployment, "dev-api").options.provider).toMatch(/::kind::kind-id$/);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('kubernetes.context "kind-dev" is ignored: a kubernetes provider was passed in the resource options')]);
    warn.mockRestore();
  });

  it("creates nothing Kubernetes without the section", async () => {
    const { resources, value } = await runOnMocks(() => new Topology("dev", { declaration: { services: { web: { image } } } }), { stack: "dev" });
    expect(resources.filter((r) => r.type.startsWith("kubernetes:") || r.type === K.provider)).toEqual([]);
    expect(value.kubernetes).toBeUndefined();
  });

  it("reports section issues with the config path", async () => {
    let thrown: unknown;
    await runOnMocks(() => {
      try {
        new Topology("dev", { declaration: { ...declaration, kubernetes: { ...declaration.kubernetes, bridges: { api: { service: "api", bindAddress: "127.0.0.1" } } } }, source: "container-topology:topology" });
      } catch (err) {
        thrown = err;
      }
    }, { stack: "dev" });
    expect((thrown as TopologyResourceError).issues.map((i) => [i.code, i.path])).toEqual([
      ["loopback-bind", "kubernetes.bridges.api.bindAddress"],
      ["missing-field", "kubernetes.bridges.api.nodePort"],
    ]);
    expect((thrown as Error).message).toContain('container-topology:topology.kubernetes.bridges.api.bindAddress: "127.0.0.1" is a loopback address');
  });
});
