import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { RenderedResource, runOnMocks } from "../../../cli/mock-runtime";
import { TopologyResourceError } from "../../../components/docker/validation";
import { ClusterRegistry, ClusterRegistryArgs } from "../../../components/kubernetes/cluster-registry";
import { LocalRegistryHostingConfigMap } from "../../../components/kubernetes/local-registry-hosting";
import { BridgeNetwork } from "../../../components/docker/bridge-network";
import { LocalRegistry } from "../../../components/docker/local-registry";
import { ofType, resource } from "../support";

const K = {
  namespace: "kubernetes:core/v1:Namespace",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  configMap: "kubernetes:core/v1:ConfigMap",
} as const;

type Labels = Record<string, string>;
type Port = { name?: string; containerPort: number; hostPort?: number };
type Container = { name: string; image: string; args?: string[]; ports: Port[]; env?: { name: string; value: string }[]; volumeMounts?: { name: string; mountPath: string }[]; readinessProbe?: unknown; livenessProbe?: unknown; resources?: unknown };
type Workload = {
  metadata: { name: string; namespace: string; labels: Labels };
  spec: { replicas?: number; strategy?: unknown; selector: { matchLabels: Labels }; template: { metadata: { labels: Labels }; spec: { containers: Container[]; volumes?: { name: string; persistentVolumeClaim: { claimName: string } }[] } } };
};
type ServiceInputs = { metadata: { name: string; namespace: string }; spec: { type: string; selector: Labels; ports: { name: string; port: number; targetPort: string }[] } };

const inputs = <T>(r: RenderedResource) => r.inputs as unknown as T;
const matches = (selector: Labels, labels: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

async function render(args: ClusterRegistryArgs = {}, options: (p: k8s.Provider) => pulumi.ComponentResourceOptions = () => ({})) {
  return runOnMocks(() => {
    const provider = new k8s.Provider("kind", {});
    return new ClusterRegistry("registry", args, options(provider));
  });
}

describe("ClusterRegistry", () => {
  it("renders a namespace, a retained claim, a registry Deployment, a ClusterIP Service, a node proxy and the KEP-1755 ConfigMap", async () => {
    const { resources, value } = await render();
    expect(resource(resources, K.namespace, "registry-namespace").inputs).toMatchObject({ metadata: { name: "registry" } });

    const pvc = resource(resources, K.pvc, "registry-storage");
    expect(pvc.inputs).toMatchObject({ metadata: { name: "registry", namespace: "registry" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } });
    expect(pvc.options.retainOnDelete).toBe(true);

    const deployment = inputs<Workload>(resource(resources, K.deployment, "registry-registry"));
    expect(deployment.metadata).toMatchObject({ name: "registry", namespace: "registry" });
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    const registry = deployment.spec.template.spec.containers[0]!;
    expect(registry).toMatchObject({ name: "registry", image: "registry:2", ports: [{ name: "registry", containerPort: 5000, protocol: "TCP" }] });
    expect(registry.env).toEqual([
      { name: "REGISTRY_HTTP_ADDR", value: ":5000" },
      { name: "REGISTRY_STORAGE_DELETE_ENABLED", value: "true" },
    ]);
    expect(registry.readinessProbe).toMatchObject({ httpGet: { path: "/v2/", port: "registry" } });
    expect(registry.livenessProbe).toMatchObject({ httpGet: { path: "/v2/", port: "registry" } });
    expect(registry.resources).toEqual({ requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
    expect(registry.volumeMounts).toEqual([{ name: "storage", mountPath: "/var/lib/registry" }]);
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: "storage", persistentVolumeClaim: { claimName: "registry" } }]);

    const service = inputs<ServiceInputs>(resource(resources, K.service, "registry-service"));
    expect(service.spec.type).toBe("ClusterIP");
    expect(matches(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
    expect(service.spec.ports).toEqual([{ name: "registry", port: 5000, targetPort: "registry", protocol: "TCP" }]);
    expect(registry.ports.map((p) => p.name)).toContain(service.spec.ports[0]!.targetPort);

    const proxy = inputs<Workload>(resource(resources, K.daemonSet, "registry-proxy"));
    expect(proxy.metadata).toMatchObject({ name: "registry-proxy", namespace: "registry" });
    expect(proxy.spec.selector.matchLabels).toEqual(proxy.spec.template.metadata.labels);
    expect(matches(service.spec.selector, proxy.spec.template.metadata.labels)).toBe(false); // the Service never selects its own proxy
    const socat = proxy.spec.template.spec.containers[0]!;
    expect(socat.ports).toEqual([{ name: "proxy", containerPort: 5001, hostPort: 5001, protocol: "TCP" }]);
    expect(socat.args).toEqual(["tcp-listen:5001,fork,reuseaddr", `tcp-connect:registry.registry.svc.cluster.local:${service.spec.ports[0]!.port}`]);

    const configMap = resource(resources, K.configMap, "registry-hosting");
    expect(configMap.inputs).toMatchObject({ metadata: { name: "local-registry-hosting", namespace: "kube-public" } });
    const data = configMap.inputs.data as Record<string, string>;
    expect(Object.keys(data)).toEqual(["localRegistryHosting.v1"]);
    expect(parse(data["localRegistryHosting.v1"]!)).toEqual({
      host: "localhost:5001",
      hostFromContainerRuntime: "localhost:5001",
      hostFromClusterNetwork: "registry.registry.svc.cluster.local:5000",
      help: "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry",
    });
    expect(data["localRegistryHosting.v1"]!.startsWith(`host: "localhost:5001"\n`)).toBe(true);

    expect(value.hostAddress).toBe("localhost:5001");
    expect(value.clusterAddress).toBe("registry.registry.svc.cluster.local:5000");
    expect(value.containerdHostsTomlPath).toBe("/etc/containerd/certs.d/localhost:5001/hosts.toml");
    expect(value.containerdHostsToml).toBe(`server = "http://localhost:5001"\n\n[host."http://localhost:5001"]\n  capabilities = ["pull", "resolve"]\n`);
  });

  it.each<[string, (p: k8s.Provider) => pulumi.ComponentResourceOptions]>([
    ["providers", (p) => ({ providers: [p] })],
    ["provider", (p) => ({ provider: p })],
  ])("passes `%s` to every Kubernetes object", async (_option, options) => {
    const { resources } = await render({}, options);
    const provider = resource(resources, "pulumi:providers:kubernetes", "kind");
    const objects = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    expect(objects.map((r) => r.type).sort()).toEqual(Object.values(K).sort());
    for (const object of objects) expect([object.type, object.options.provider]).toEqual([object.type, `${provider.urn}::kind-id`]);
  });

  it("takes a namespace, name, storage, resources, proxy port and host IP, and leaves out what is turned off", async () => {
    const { resources, value } = await render({
      name: "hub",
      namespace: "tools",
      createNamespace: false,
      storageSize: "2Gi",
      storageClassName: "standard",
      retainStorage: false,
      image: "container-topology/registry:local",
      resources: { requests: { cpu: "10m" }, limits: { memory: "128Mi" } },
      proxy: { hostPort: 5555, hostIp: "127.0.0.1" },
      localRegistryHosting: false,
      labels: { team: "platform" },
    });
    expect(ofType(resources, K.namespace)).toEqual([]);
    expect(ofType(resources, K.configMap)).toEqual([]);
    const pvc = resource(resources, K.pvc, "registry-storage");
    expect(pvc.inputs).toMatchObject({ metadata: { name: "hub", namespace: "tools" }, spec: { storageClassName: "standard", resources: { requests: { storage: "2Gi" } } } });
    expect(pvc.options.retainOnDelete).toBe(false);
    const deployment = inputs<Workload>(resource(resources, K.deployment, "registry-registry"));
    expect(deployment.spec.template.metadata.labels).toMatchObject({ team: "platform", "app.kubernetes.io/name": "hub" });
    expect(deployment.spec.selector.matchLabels).not.toHaveProperty("team");
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image: "container-topology/registry:local", resources: { requests: { cpu: "10m" }, limits: { memory: "128Mi" } } });
    const socat = inputs<Workload>(resource(resources, K.daemonSet, "registry-proxy")).spec.template.spec.containers[0]!;
    expect(socat.ports).toEqual([{ name: "proxy", containerPort: 5555, hostPort: 5555, hostIP: "127.0.0.1", protocol: "TCP" }]);
    expect(socat.args![1]).toBe("tcp-connect:hub.tools.svc.cluster.local:5000");
    expect(value.hostAddress).toBe("localhost:5555");
    expect(value.localRegistryHosting).toMatchObject({ host: "localhost:5555", hostFromContainerRuntime: "127.0.0.1:5555" });
    expect(value.containerdHostsToml).toContain(`[host."http://127.0.0.1:5555"]`);
  });

  it("without a proxy, points every address at the Service", async () => {
    const { resources, value } = await render({ proxy: false });
    expect(ofType(resources, K.daemonSet)).toEqual([]);
    expect(value.hostAddress).toBe("registry.registry.svc.cluster.local:5000");
    expect(value.localRegistryHosting).not.toHaveProperty("hostFromContainerRuntime");
  });

  it.each<[string, ClusterRegistryArgs, string[]]>([
    ["a bad name and storage size", { name: "Hub", storageSize: "ten" }, [`name: "Hub" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters. Did you mean "hub"?`, `storageSize: "ten" is not a Kubernetes quantity, e.g. "10Gi", "512Mi" or "250m"`]],
    ["a proxy port out of range", { proxy: { hostPort: 70000 } }, ["proxy.hostPort: 70000 is not a port: use 1-65535"]],
  ])("rejects %s", async (_title, args, lines) => {
    const error = (await render(args).catch((e: unknown) => e)) as TopologyResourceError;
    expect(error.message).toBe(`ClusterRegistry "registry" has invalid arguments (${lines.length} error${lines.length === 1 ? "" : "s"}):\n${lines.map((l) => `  ${l}`).join("\n")}`);
    expect(error.issues.every((i) => i.severity === "error")).toBe(true);
  });
});

describe("LocalRegistryHostingConfigMap", () => {
  it("publishes a docker LocalRegistry to a kind cluster as KEP-1755 asks", async () => {
    const { resources } = await runOnMocks(() => {
      const provider = new k8s.Provider("kind", {});
      const kind = new BridgeNetwork("kind", { name: "kind" });
      const registry = new LocalRegistry("registry", { name: "kind-registry", networks: [{ network: kind, aliases: ["kind-registry"] }] });
      return new LocalRegistryHostingConfigMap("hosting", { hosting: registry.localRegistryHosting }, { provider });
    });
    const configMap = resource(resources, K.configMap, "hosting");
    expect(configMap.inputs).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "local-registry-hosting", namespace: "kube-public", labels: { "app.kubernetes.io/managed-by": "container-topology" } },
      data: {
        "localRegistryHosting.v1": [
          `host: "127.0.0.1:5001"`,
          `hostFromContainerRuntime: "kind-registry:5000"`,
          `hostFromClusterNetwork: "kind-registry:5000"`,
          `help: "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry"`,
          "",
        ].join("\n"),
      },
    });
    expect(configMap.options).toMatchObject({ deleteBeforeReplace: true, provider: `${resource(resources, "pulumi:providers:kubernetes", "kind").urn}::kind-id` });
  });
});
