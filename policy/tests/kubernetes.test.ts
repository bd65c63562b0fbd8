import { kubernetesHostNetwork } from "../rules/kubernetes-host-network";
import { kubernetesHostPort } from "../rules/kubernetes-host-port";
import { kubernetesNodePortRange } from "../rules/kubernetes-node-port-range";
import { container, cronJob, daemonSet, deployment, pod, service } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

type Config = Record<string, unknown>;

describe("kubernetes-host-port", () => {
  const run = (r: TestResource, config: Config = {}) => checkResource(kubernetesHostPort, r, { config, stack: "prod" });
  const proxy = daemonSet("registry-proxy", {
    containers: [{ name: "proxy", image: "gcr.io/k8s-minikube/kube-registry-proxy:0.0.6", ports: [{ name: "registry", containerPort: 80, hostPort: 5000 }] }],
  });

  it("is mandatory by default", () => {
    expect(kubernetesHostPort.enforcementLevel).toBe("mandatory");
  });

  it("reports a hostPort with the exact message", async () => {
    expect((await run(proxy)).violations).toEqual([
      {
        message:
          "kube-system/registry-proxy spec.template.spec.containers[0].ports[0].hostPort: 5000 on every node address bypasses Services and NetworkPolicies. " +
          'Use a Service, or allow-list "kube-system/registry-proxy:5000"',
      },
    ]);
  });

  it("mentions hostIP when set and checks pods, cron jobs and init containers", async () => {
    const p = pod("p", { containers: [{ name: "c", image: "x:1", ports: [{ containerPort: 80, hostPort: 8080, hostIP: "127.0.0.1" }] }] });
    expect((await run(p)).violations[0]?.message).toContain("hostPort: 8080 on 127.0.0.1 bypasses");
    const c = cronJob("j", { initContainers: [{ name: "i", image: "x:1", ports: [{ containerPort: 1, hostPort: 9 }] }] });
    expect((await run(c)).violations[0]?.message).toMatch(/^apps\/j spec.jobTemplate.spec.template.spec.initContainers\[0\].ports\[0\].hostPort: 9/);
  });

  it("accepts container ports without hostPort", async () => {
    expect(await run(deployment("web", { containers: [{ name: "app", image: "x:1", ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] }] }))).toEqual({
      violations: [],
    });
  });

  it.each([["kube-system/registry-proxy"], ["registry-proxy"], ["kube-system/*"], ["registry-proxy:5000"]])("allow-lists with %j", async (entry) => {
    expect(await run(proxy, { allow: [entry] })).toEqual({ violations: [] });
  });

  it("does not allow other ports of an allow-listed workload", async () => {
    expect((await run(proxy, { allow: ["registry-proxy:5001"] })).violations).toHaveLength(1);
  });

  it("notes unknown ports and hostPorts as advisory only", async () => {
    const hp = deployment("web", { containers: [{ name: "app", image: "x:1", ports: [{ containerPort: 80, hostPort: unknown.number }] }] });
    expect(await run(hp)).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: spec.template.spec.containers\[0\].ports\[0\].hostPort is unknown until apply$/),
    });
    const ports = deployment("web", { containers: [{ name: "app", image: "x:1", ports: unknown.array }] });
    expect((await run(ports)).advisory).toMatch(/could not decide: spec.template.spec.containers\[0\].ports is unknown until apply$/);
    const template = { ...deployment("web", {}), props: { metadata: { name: "web" }, spec: { template: unknown.object } } };
    expect((await run(template)).advisory).toMatch(/could not decide: spec.template is unknown until apply$/);
  });

  it("does not look at Docker containers", async () => {
    expect((await run(container("web"))).notApplicable).toMatch(/^applies to kubernetes:core\/v1:Pod, /);
  });
});

describe("kubernetes-host-network", () => {
  const run = (r: TestResource, config: Config = {}) => checkResource(kubernetesHostNetwork, r, { config, stack: "prod" });

  it("is mandatory by default", () => {
    expect(kubernetesHostNetwork.enforcementLevel).toBe("mandatory");
  });

  it("reports hostNetwork: true with the exact message", async () => {
    expect((await run(daemonSet("agent", { hostNetwork: true }))).violations).toEqual([
      {
        message:
          "kube-system/agent spec.template.spec.hostNetwork: true puts the pod in the node's network namespace, past NetworkPolicies. " +
          'Use a Service, or allow-list "kube-system/agent"',
      },
    ]);
    expect((await run(pod("p", { hostNetwork: true }))).violations[0]?.message).toMatch(/^default\/p spec.hostNetwork: true/);
  });

  it.each([[false], [undefined]])("accepts hostNetwork %j", async (hostNetwork) => {
    expect(await run(deployment("web", hostNetwork === undefined ? {} : { hostNetwork }))).toEqual({ violations: [] });
  });

  it("honours the allow-list by namespace/name, name or Pulumi name", async () => {
    const agent = daemonSet("agent", { hostNetwork: true }, { name: "node-agent" });
    for (const allow of [["kube-system/node-agent"], ["node-agent"], ["agent"]]) {
      expect(await run(agent, { allow })).toEqual({ violations: [] });
    }
    expect((await run(agent, { allow: ["default/node-agent"] })).violations).toHaveLength(1);
  });

  it("notes an unknown hostNetwork as advisory only", async () => {
    expect(await run(deployment("web", { hostNetwork: unknown.boolean }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: spec.template.spec.hostNetwork is unknown until apply$/),
    });
  });
});

describe("kubernetes-node-port-range", () => {
  const run = (r: TestResource, config: Config = {}) => checkResource(kubernetesNodePortRange, r, { config, stack: "prod" });
  const svc = (...nodePorts: unknown[]) =>
    service("web", { type: "NodePort", ports: nodePorts.map((nodePort, i) => ({ port: 80 + i, targetPort: 8080, ...(nodePort === undefined ? {} : { nodePort }) })) });

  it("is mandatory by default with the API server's default range", () => {
    expect(kubernetesNodePortRange.enforcementLevel).toBe("mandatory");
    expect(kubernetesNodePortRange.configSchema?.properties["min"]?.default).toBe(30000);
    expect(kubernetesNodePortRange.configSchema?.properties["max"]?.default).toBe(32767);
  });

  it("reports a nodePort outside the range with the exact message", async () => {
    expect((await run(svc(30080, 8080))).violations).toEqual([
      {
        message:
          "apps/web spec.ports[1].nodePort: 8080 is outside the NodePort range 30000-32767. Leave it unset so the cluster allocates one, or pick a port in the range",
      },
    ]);
  });

  it.each([[30000], [32767], [undefined]])("accepts nodePort %j", async (nodePort) => {
    expect(await run(svc(nodePort))).toEqual({ violations: [] });
  });

  it("accepts a ClusterIP service", async () => {
    expect(await run(service("web", { ports: [{ port: 80 }] }))).toEqual({ violations: [] });
  });

  it("takes the range from config", async () => {
    expect((await run(svc(30500), { min: 31000, max: 31999 })).violations).toHaveLength(1);
    expect(await run(svc(31500), { min: 31000, max: 31999 })).toEqual({ violations: [] });
    await expect(run(svc(31500), { min: 32000, max: 31000 })).rejects.toThrow("kubernetes-node-port-range: config min 32000 is greater than max 31000");
  });

  it("notes unknown ports as advisory only", async () => {
    expect(await run(svc(unknown.number))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: spec.ports\[0\].nodePort is unknown until apply$/),
    });
    expect((await run(service("web", { type: "NodePort", ports: unknown.array }))).advisory).toMatch(/could not decide: spec.ports is unknown until apply$/);
  });
});
