import * as k8s from "@pulumi/kubernetes";
import { runOnMocks } from "../../../cli/mock-runtime";
import { HostPortProxy, HostPortProxyArgs } from "../../../components/kubernetes/host-port-proxy";
import { TopologyResourceError } from "../../../components/docker/validation";
import { resource } from "../support";

const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";

type Container = { name: string; image: string; args: string[]; ports: Record<string, unknown>[]; readinessProbe: unknown; resources: unknown };
type DaemonSetInputs = {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; tolerations: unknown[] } } };
};

async function render(args: HostPortProxyArgs, opts: { provider?: boolean } = {}) {
  return runOnMocks(() => {
    const provider = opts.provider ? new k8s.Provider("kind", {}) : undefined;
    return new HostPortProxy("proxy", args, provider ? { providers: [provider] } : {});
  });
}

describe("HostPortProxy", () => {
  it("binds hostPort 5001 on every node and forwards to the Service's cluster DNS name", async () => {
    const { resources, value } = await render({ serviceName: "registry", serviceNamespace: "registry", servicePort: 5000 });
    const ds = resource(resources, DAEMON_SET, "proxy").inputs as unknown as DaemonSetInputs;
    expect(ds.metadata).toMatchObject({ name: "registry-proxy", namespace: "registry" });
    const container = ds.spec.template.spec.containers[0]!;
    expect(container.image).toBe("alpine/socat:1.8.0.0");
    expect(container.args).toEqual(["tcp-listen:5001,fork,reuseaddr", "tcp-connect:registry.registry.svc.cluster.local:5000"]);
    expect(container.ports).toEqual([{ name: "proxy", containerPort: 5001, hostPort: 5001, protocol: "TCP" }]);
    expect(container.readinessProbe).toMatchObject({ tcpSocket: { port: 5001 } });
    expect(container.resources).toEqual({ requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
    expect(ds.spec.template.spec.tolerations).toEqual([{ operator: "Exists" }]);
    expect(value.hostPort).toBe(5001);
    expect(value.target).toBe("registry.registry.svc.cluster.local:5000");
  });

  it("selects exactly the pods its template labels", async () => {
    const { resources } = await render({ serviceName: "web", servicePort: 80, labels: { team: "a" } });
    const ds = resource(resources, DAEMON_SET, "proxy").inputs as unknown as DaemonSetInputs;
    const selector = ds.spec.selector.matchLabels;
    expect(selector).toEqual({ "app.kubernetes.io/name": "web-proxy", "app.kubernetes.io/component": "host-port-proxy", "app.kubernetes.io/managed-by": "container-topology" });
    expect(ds.spec.template.metadata.labels).toEqual({ ...selector, team: "a" });
    expect(ds.metadata.labels).toEqual(ds.spec.template.metadata.labels);
    expect(ds.metadata.namespace).toBe("default");
  });

  it("takes hostIp, containerPort, image, namespace and cluster domain", async () => {
    const { resources } = await render({
      serviceName: "api",
      serviceNamespace: "apps",
      servicePort: 8080,
      namespace: "proxies",
      name: "api-node-port",
      hostPort: 80,
      hostIp: "127.0.0.1",
      containerPort: 8081,
      image: "example/socat:2",
      clusterDomain: "corp.local",
    });
    const ds = resource(resources, DAEMON_SET, "proxy").inputs as unknown as DaemonSetInputs;
    expect(ds.metadata).toMatchObject({ name: "api-node-port", namespace: "proxies" });
    const container = ds.spec.template.spec.containers[0]!;
    expect(container.image).toBe("example/socat:2");
    expect(container.args).toEqual(["tcp-listen:8081,fork,reuseaddr", "tcp-connect:api.apps.svc.corp.local:8080"]);
    expect(container.ports).toEqual([{ name: "proxy", containerPort: 8081, hostPort: 80, hostIP: "127.0.0.1", protocol: "TCP" }]);
  });

  it("passes the component's provider to the DaemonSet", async () => {
    const { resources } = await render({ serviceName: "registry", servicePort: 5000 }, { provider: true });
    const providerUrn = resource(resources, "pulumi:providers:kubernetes", "kind").urn;
    expect(resource(resources, DAEMON_SET, "proxy").options.provider).toBe(`${providerUrn}::kind-id`);
  });

  it.each<[string, Partial<HostPortProxyArgs>, string, string]>([
    ["a service name with capitals", { serviceName: "Registry" }, "serviceName", `"Registry" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters. Did you mean "registry"?`],
    ["a host port out of range", { hostPort: 70000 }, "hostPort", "70000 is not a port: use 1-65535"],
    ["a zero service port", { servicePort: 0 }, "servicePort", "0 is not a port: use 1-65535"],
    ["a bad host IP", { hostIp: "localhost" }, "hostIp", `"localhost" is not a valid IP address, e.g. "172.30.0.10"`],
    ["a namespace with an underscore", { namespace: "my_ns" }, "namespace", `"my_ns" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters. Did you mean "my-ns"?`],
  ])("rejects %s", async (_title, override, path, message) => {
    const error = (await render({ serviceName: "registry", servicePort: 5000, ...override }).catch((e: unknown) => e)) as TopologyResourceError;
    expect(error.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([{ path, message }]);
    expect(error.message).toContain(`HostPortProxy "proxy" has invalid arguments (1 error):\n  ${path}: ${message}`);
  });
});
