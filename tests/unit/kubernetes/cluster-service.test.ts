import * as k8s from "@pulumi/kubernetes";
import { runOnMocks } from "../../../cli/mock-runtime";
import { TopologyResourceError } from "../../../components/docker/validation";
import { ClusterService, ClusterServiceArgs } from "../../../components/kubernetes/cluster-service";
import { ofType, resource } from "../support";

const K = {
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  provider: "pulumi:providers:kubernetes",
  component: "container-topology:kubernetes:ClusterService",
} as const;

type PodSpec = {
  containers: { name: string; image: string; command?: string[]; args?: string[]; env: unknown[]; ports: Record<string, unknown>[]; readinessProbe?: unknown }[];
  hostAliases?: unknown[];
  hostNetwork?: boolean;
  dnsPolicy?: string;
};
type DeploymentInputs = {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};
type ServiceInputs = { metadata: { name: string; namespace: string }; spec: { type: string; selector: Record<string, string>; ports: Record<string, unknown>[] } };

const image = "acme/api:1.4";

async function render(args: ClusterServiceArgs, name = "api") {
  const { resources } = await runOnMocks(() => new ClusterService(name, args));
  return {
    resources,
    deployment: resource(resources, K.deployment, name).inputs as unknown as DeploymentInputs,
    service: resources.find((r) => r.type === K.service)?.inputs as unknown as ServiceInputs | undefined,
  };
}

/** Every key=value of `subset` is in `labels`. */
function within(subset: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(subset).every(([k, v]) => labels[k] === v);
}

describe("ClusterService", () => {
  it("renders a Deployment and a ClusterIP Service whose selectors equal the pod template labels", async () => {
    const { deployment, service, resources } = await render({ image, ports: [{ name: "http", port: 80, targetPort: 8080, appProtocol: "http" }], env: { MODE: "dev" }, command: ["/api"], args: ["--port", "8080"] });
    expect(deployment).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api", namespace: "default", labels: { "app.kubernetes.io/managed-by": "container-topology", "app.kubernetes.io/name": "api" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": "api" } },
        template: {
          metadata: { labels: { "app.kubernetes.io/managed-by": "container-topology", "app.kubernetes.io/name": "api" } },
          spec: {
            containers: [
              { name: "api", image, command: ["/api"], args: ["--port", "8080"], env: [{ name: "MODE", value: "dev" }], ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] },
            ],
          },
        },
      },
    });
    expect(service).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api", namespace: "default", labels: { "app.kubernetes.io/managed-by": "container-topology", "app.kubernetes.io/name": "api" } },
      spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": "api" }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP", appProtocol: "http" }] },
    });
    expect(deployment.spec.selector.matchLabels).toEqual(service!.spec.selector);
    expect(within(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    const component = resource(resources, K.component, "api");
    for (const child of [resource(resources, K.deployment, "api"), resource(resources, K.service, "api")]) {
      expect(child.parent).toBe(component.urn);
      expect(child.options.deleteBeforeReplace).toBe(true);
    }
  });

  it("NodePort: node ports on the Service, protocols in Kubernetes' spelling, one container port per target", async () => {
    const { deployment, service } = await render({
      image,
      type: "NodePort",
      namespace: "dns",
      replicas: 2,
      ports: [
        { name: "dns", port: 53, protocol: "udp", nodePort: 30053 },
        { name: "dns-tcp", port: 53, protocol: "TCP", nodePort: 30053 },
        { name: "alt", port: 5353, targetPort: 53, protocol: "udp" },
      ],
    });
    expect(service!.metadata).toMatchObject({ name: "api", namespace: "dns" });
    expect(service!.spec.type).toBe("NodePort");
    expect(service!.spec.ports).toEqual([
      { name: "dns", port: 53, targetPort: 53, protocol: "UDP", nodePort: 30053 },
      { name: "dns-tcp", port: 53, targetPort: 53, protocol: "TCP", nodePort: 30053 },
      { name: "alt", port: 5353, targetPort: 53, protocol: "UDP" },
    ]);
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0]!.ports).toEqual([
      { name: "dns", containerPort: 53, protocol: "UDP" },
      { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
    ]);
  });

  it("hostPort with hostIP, host aliases grouped by address, a declared selector and labels, a readiness probe", async () => {
    const { deployment, service } = await render({
      image,
      selector: { app: "web" },
      labels: { tier: "frontend" },
      ports: [{ name: "http", port: 80, hostPort: 8080, hostIP: "127.0.0.1" }],
      hostAliases: ["db.local:10.0.0.5", { host: "cache.local", ip: "10.0.0.6" }, "db:10.0.0.5"],
      readinessProbe: { path: "/healthz", periodSeconds: 5 },
    });
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0]!.ports).toEqual([{ name: "http", containerPort: 80, protocol: "TCP", hostPort: 8080, hostIP: "127.0.0.1" }]);
    expect(pod.hostAliases).toEqual([
      { ip: "10.0.0.5", hostnames: ["db.local", "db"] },
      { ip: "10.0.0.6", hostnames: ["cache.local"] },
    ]);
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.containers[0]!.readinessProbe).toEqual({ httpGet: { path: "/healthz", port: 80 }, initialDelaySeconds: 0, periodSeconds: 5, failureThreshold: 3 });
    expect(deployment.spec.selector.matchLabels).toEqual({ app: "web" });
    expect(deployment.spec.template.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "container-topology", app: "web", tier: "frontend" });
    expect(service!.spec.selector).toEqual({ app: "web" });
  });

  it("hostNetwork only when asked: the node's DNS policy, hostPort equal to the container port, a TCP probe", async () => {
    const { deployment } = await render({ image, hostNetwork: true, ports: [{ name: "metrics", port: 9100 }], readinessProbe: { port: "metrics" } });
    const pod = deployment.spec.template.spec;
    expect(pod).toMatchObject({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" });
    expect(pod.containers[0]!.ports).toEqual([{ name: "metrics", containerPort: 9100, protocol: "TCP", hostPort: 9100 }]);
    expect(pod.containers[0]!.readinessProbe).toEqual({ tcpSocket: { port: "metrics" }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 });
  });

  it("creates no Service for a workload without ports", async () => {
    const { resources, service } = await render({ image, command: ["worker"] });
    expect(service).toBeUndefined();
    expect(ofType(resources, K.deployment)).toHaveLength(1);
  });

  it("a provider passed in the options reaches both children", async () => {
    const { resources } = await runOnMocks(() => {
      const provider = new k8s.Provider("kind", { context: "kind-dev" });
      return new ClusterService("api", { image, ports: [{ port: 80 }] }, { provider });
    });
    const provider = resource(resources, K.provider, "kind");
    expect(provider.inputs).toMatchObject({ context: "kind-dev" });
    expect(resource(resources, K.deployment, "api").options.provider).toBe(`${provider.urn}::kind-id`);
    expect(resource(resources, K.service, "api").options.provider).toBe(`${provider.urn}::kind-id`);
  });

  it.each<[string, string, ClusterServiceArgs, string[], string[]]>([
    [
      "a node port out of range and a port name too long",
      "api",
      { image, type: "NodePort", ports: [{ name: "metrics-exporter-http", port: 80, nodePort: 80 }] },
      [
        '  ports[0].name: "metrics-exporter-http" is not a valid port name: it has 21 characters; a container port name has at most 15',
        "  ports[0].nodePort: 80 is outside the node port range 30000-32767. Leave nodePort out to let Kubernetes pick one",
      ],
      ["invalid-name", "node-port-out-of-range"],
    ],
    [
      "an invalid resource name used as the Kubernetes name",
      "my_api",
      { image, ports: [{ port: 80 }] },
      ['  args: "my_api" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters. Did you mean "my-api"?'],
      ["invalid-name"],
    ],
    [
      "a selector the labels contradict, a Docker keyword as a host alias",
      "api",
      { image, selector: { app: "api" }, labels: { app: "web" }, hostAliases: ["host.docker.internal:host-gateway"] },
      [
        `  hostAliases[0]: "host-gateway" is a Docker keyword Kubernetes does not resolve: a host alias needs an IP address, e.g. the node's address as pods see it`,
        '  labels.app: app="web" contradicts the selector app="api": the selector must match the pod template labels. Remove the label, or change the selector',
      ],
      ["invalid-ip", "selector-mismatch"],
    ],
    [
      "two ports clashing on one hostPort",
      "api",
      { image, ports: [{ name: "a", port: 80, hostPort: 8080 }, { name: "b", port: 81, hostPort: 8080, hostIP: "10.0.0.9" }] },
      ["  ports[1].hostPort: 10.0.0.9:8080/tcp clashes with 0.0.0.0:8080/tcp of kubernetes.services.api.ports[0]: pods on one node cannot both bind it. Use another hostPort or hostIP"],
      ["port-clash"],
    ],
  ])("refuses %s, with every issue relative to its args", async (_name, name, args, lines, codes) => {
    let thrown: unknown;
    const { resources } = await runOnMocks(() => {
      try {
        new ClusterService(name, args);
      } catch (err) {
        thrown = err;
      }
    });
    expect((thrown as Error).message).toBe([`ClusterService "${name}" has invalid arguments (${lines.length} error${lines.length === 1 ? "" : "s"}):`, ...lines].join("\n"));
    expect((thrown as TopologyResourceError).issues.map((i) => i.code)).toEqual(codes);
    expect(ofType(resources, K.deployment)).toHaveLength(0);
  });
});
