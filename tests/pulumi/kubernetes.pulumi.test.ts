/**
 * The k8s stack (Pulumi.k8s.yaml: minikube's registry addon, a NodePort API, a bridge consumed by a
 * Docker container) under the real Pulumi engine and kubernetes provider, against a real
 * kube-apiserver with kwok nodes (scripts/kube-start.sh): every object is accepted and read back with
 * the API server's defaults, Deployments and the DaemonSet become Ready, preview and refresh find
 * nothing to change (server-side defaults cause no diff), an update touches only what changed, and
 * destroy removes everything but the documented registry claim.
 */
import * as path from "node:path";
import type Docker from "dockerode";
import { parse } from "yaml";
import { MANAGED_BY, MANAGED_BY_LABEL } from "../../model/kubernetes/normalize";
import { connectEngine } from "../e2e/support/engine";
import { cleanupStack } from "./support/cleanup";
import { ensureKube, KubeCluster } from "./support/kube";
import { describeRun, PulumiProject, urnName } from "./support/project";
import { describePulumi, REPO_ROOT } from "./support/toolchain";

jest.setTimeout(900_000);

const STACK = "k8s";
const MANAGED = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;

/** The committed stack file, pointed at the tests' control plane; `edit` changes its text further. */
function stackFile(kubeconfig: string, edit: (yaml: string) => string = (y) => y): string {
  const yaml = PulumiProject.repoStack(STACK);
  const pointed = yaml.replace(/^(\s+kubeconfig:) .*$/m, `$1 ${kubeconfig}`);
  if (pointed === yaml) throw new Error("Pulumi.k8s.yaml has no kubernetes.kubeconfig line to point at the test cluster");
  return edit(pointed);
}

interface Workload {
  spec: { replicas?: number; strategy?: { type: string }; revisionHistoryLimit?: number; progressDeadlineSeconds?: number; updateStrategy?: { type: string }; template: { spec: PodSpec } };
  status: { readyReplicas?: number; replicas?: number; numberReady?: number; desiredNumberScheduled?: number };
}
interface PodSpec {
  restartPolicy: string;
  dnsPolicy: string;
  terminationGracePeriodSeconds: number;
  schedulerName: string;
  hostAliases?: { ip: string; hostnames: string[] }[];
  containers: { name: string; image: string; imagePullPolicy: string; terminationMessagePath: string; ports?: { containerPort: number; hostPort?: number; protocol: string; name?: string }[]; readinessProbe?: Record<string, unknown>; env?: { name: string; value: string }[] }[];
}

describePulumi("the k8s stack under the real Pulumi engine and a real kube-apiserver", () => {
  let project: PulumiProject;
  let docker: Docker;
  let kube: KubeCluster;

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanupStack(docker, STACK);
    kube = ensureKube();
    // Each test run starts from an empty cluster: what an earlier failed run left is removed here.
    kube.kubectl(["delete", "deploy,svc,ds,pvc", "-A", "-l", MANAGED, "--wait=true"]);
    kube.kubectl(["delete", "configmap", "-n", "kube-public", "local-registry-hosting", "--ignore-not-found"]);
    project = PulumiProject.fromRepo("k8s", { [STACK]: stackFile(kube.kubeconfig) });
    await project.initStack(STACK);
  });

  afterAll(async () => {
    await project?.dispose([STACK]);
    if (docker) await cleanupStack(docker, STACK);
    kube?.kubectl(["delete", "pvc", "-A", "-l", MANAGED, "--wait=false"]);
  });

  it("pulumi up creates every object; Deployments and the DaemonSet become Ready", async () => {
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    const api = kube.getJson<Workload>(["get", "deployment", "api", "-n", "default"]);
    expect(api.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    const registry = kube.getJson<Workload>(["get", "deployment", "registry", "-n", "kube-system"]);
    expect(registry.status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    const proxy = kube.getJson<Workload>(["get", "daemonset", "registry-proxy", "-n", "kube-system"]);
    expect(proxy.status.desiredNumberScheduled).toBe(1);
    expect(proxy.status.numberReady).toBe(1);
  });

  it("the API server's defaults are there, and what we declared is read back as written", () => {
    const api = kube.getJson<Workload>(["get", "deployment", "api", "-n", "default"]);
    expect(api.spec).toMatchObject({ strategy: { type: "RollingUpdate" }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    const pod = api.spec.template.spec;
    expect(pod).toMatchObject({ restartPolicy: "Always", dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30, schedulerName: "default-scheduler" });
    expect(pod.hostAliases).toEqual([{ ip: "10.0.0.5", hostnames: ["db.local"] }]);
    const [container] = pod.containers;
    expect(container).toMatchObject({ name: "api", image: "ghcr.io/acme/api:1.4", imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log" });
    expect(container!.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    // initialDelaySeconds 0 is sent and stored, but a zero int is omitted from the JSON read back (no diff: previews below).
    expect(container!.readinessProbe).toEqual({ httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1, successThreshold: 1 });
    expect(container!.env).toEqual([{ name: "DATABASE_HOST", value: "db.local" }]);

    const service = kube.getJson<{ spec: Record<string, unknown> & { ports: Record<string, unknown>[]; clusterIP: string } }>(["get", "service", "api", "-n", "default"]);
    expect(service.spec).toMatchObject({ type: "NodePort", sessionAffinity: "None", externalTrafficPolicy: "Cluster", ipFamilies: ["IPv4"], selector: { "app.kubernetes.io/name": "api" } });
    expect(service.spec.clusterIP).toMatch(/^10\.0\.0\.\d+$/); // allocated from kube-start's service CIDR
    expect(service.spec.ports).toEqual([{ name: "http", port: 80, targetPort: 8080, nodePort: 30080, protocol: "TCP" }]);

    const pods = kube.getJson<{ items: { spec: PodSpec & { nodeName: string }; status: { phase: string } }[] }>(["get", "pods", "-n", "default", "-l", "app.kubernetes.io/name=api"]);
    expect(pods.items.map((p) => [p.spec.nodeName, p.status.phase, p.spec.hostAliases])).toEqual([
      ["kwok-node-0", "Running", [{ ip: "10.0.0.5", hostnames: ["db.local"] }]],
      ["kwok-node-0", "Running", [{ ip: "10.0.0.5", hostnames: ["db.local"] }]],
    ]);

    // minikube's registry addon: registry:2 on a claim, a proxy on hostPort 5000 on every node.
    const registry = kube.getJson<Workload>(["get", "deployment", "registry", "-n", "kube-system"]);
    expect(registry.spec.strategy).toEqual({ type: "Recreate" });
    const claim = kube.getJson<{ spec: { storageClassName: string; volumeName: string }; status: { phase: string } }>(["get", "pvc", "registry", "-n", "kube-system"]);
    // The DefaultStorageClass admission plugin filled in the class; the PV controller bound a volume.
    expect({ phase: claim.status.phase, storageClassName: claim.spec.storageClassName }).toEqual({ phase: "Bound", storageClassName: "standard" });
    expect(claim.spec.volumeName).toMatch(/^standard-pv-\d+$/);
    const proxy = kube.getJson<Workload>(["get", "daemonset", "registry-proxy", "-n", "kube-system"]);
    expect(proxy.spec.updateStrategy?.type).toBe("RollingUpdate");
    expect(proxy.spec.template.spec.containers[0]!.ports).toEqual([expect.objectContaining({ hostPort: 5000, protocol: "TCP" })]);

    const hosting = kube.getJson<{ data: Record<string, string> }>(["get", "configmap", "local-registry-hosting", "-n", "kube-public"]);
    expect(parse(hosting.data["localRegistryHosting.v1"]!)).toEqual({
      host: "localhost:5000",
      hostFromContainerRuntime: "localhost:5000",
      hostFromClusterNetwork: "registry.kube-system.svc.cluster.local:5000",
      help: "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry",
    });
  });

  it("the Docker container that consumes the bridge gets its URL and host.docker.internal", async () => {
    const info = await docker.getContainer(`${STACK}-hurl`).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.Config.Env).toContain("API_URL=http://host.docker.internal:30080");
    expect(info.HostConfig.ExtraHosts).toContain("host.docker.internal:host-gateway");
  });

  it("a second preview and a refresh find nothing to change", async () => {
    const preview = await project.previewNoChanges(STACK);
    expect(preview.code === 0 ? "" : describeRun(preview)).toBe("");
    const refresh = await project.refreshNoChanges(STACK);
    expect(refresh.code === 0 ? "" : describeRun(refresh)).toBe("");
  });

  it("the policy pack refuses the registry proxy's hostPort until the stack's policy config allow-lists it", async () => {
    const pack = ["--policy-pack", path.join(REPO_ROOT, "policy")];
    const preview = ["preview", "--stack", STACK, ...pack, "--non-interactive", "--color", "never"];
    const refused = await project.run(preview, { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/\[mandatory\].*kubernetes-host-port/);
    expect(refused.stdout + refused.stderr).toContain('allow-list "kube-system/registry-proxy:5000"');
    const allowed = await project.run([...preview, "--policy-pack-config", path.join(REPO_ROOT, "policy", "config", "k8s.json")], { allowFailure: true });
    expect(allowed.code === 0 ? "" : describeRun(allowed)).toBe("");
    expect(allowed.stdout).not.toMatch(/mandatory/);
  });

  it("a change of replicas updates only the api Deployment, in place", async () => {
    project.writeStack(STACK, stackFile(kube.kubeconfig, (y) => y.replace("replicas: 2", "replicas: 1")));
    const steps = await project.previewSteps(STACK);
    const changed = steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${urnName(s.urn)}`);
    expect(changed).toEqual(["update k8s-api"]);
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    expect(kube.getJson<Workload>(["get", "deployment", "api", "-n", "default"]).status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    const preview = await project.previewNoChanges(STACK);
    expect(preview.code === 0 ? "" : describeRun(preview)).toBe("");
  });

  it("pulumi destroy removes every object; only the registry's claim is kept, as documented", async () => {
    await project.destroy(STACK);
    const left = kube.kubectl(["get", "deploy,svc,ds,rs,cm,pvc", "-A", "-l", MANAGED, "-o", "name"]);
    expect(left.code).toBe(0);
    expect(left.stdout.trim().split("\n").filter(Boolean)).toEqual(["persistentvolumeclaim/registry"]);
    expect(kube.kubectl(["get", "configmap", "local-registry-hosting", "-n", "kube-public"]).code).not.toBe(0);
    // The garbage collector removes the pods after their ReplicaSets and DaemonSet.
    let pods = "";
    for (let i = 0; i < 60; i++) {
      pods = kube.kubectl(["get", "pods", "-A", "-o", "name"]).stdout.trim();
      if (pods === "") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(pods).toBe("");
    const containers = await docker.listContainers({ all: true });
    expect(containers.flatMap((c) => c.Names).filter((n) => n.startsWith(`/${STACK}-`))).toEqual([]);
    const networks = await docker.listNetworks();
    expect(networks.map((n) => n.Name).filter((n) => n.startsWith(`${STACK}-`))).toEqual([]);
  });
});
