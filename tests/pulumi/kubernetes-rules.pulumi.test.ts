/**
 * Our Kubernetes rules against a real kube-apiserver (and its scheduler on a kwok node). Each case
 * is a `kubernetes` section: the model checks it (parse -> normalize -> validate), and the objects the
 * components render for it (Deployment and Service of each cluster service, as normalized, without
 * validation) are created for real in a throwaway namespace. Dry-run would not do: it skips the node
 * port allocator, so neither the range nor uniqueness would be checked. Host-port clashes are decided
 * by the scheduler, so those cases wait for it to place or refuse the pods.
 *
 * Both must reject the bad case and accept its valid twin. Where we are stricter than the API server,
 * the case says why (`stricter`), and the test checks that the API server does accept it.
 * docs/kubernetes.md ("Ours and the API server") is this table in prose.
 */
import { checkTopology } from "../../model/check";
import { Issue, TopologyError } from "../../model/errors";
import { normalizeClusterService } from "../../model/kubernetes/normalize";
import { RawClusterService } from "../../model/kubernetes/types";
import { parseDeclaration } from "../../model/parse";
import { deploymentArgs, serviceArgs } from "../../components/kubernetes/render-cluster";
import { ensureKube, KubeCluster } from "./support/kube";
import { describePulumi } from "./support/toolchain";

jest.setTimeout(600_000);

type Services = Readonly<Record<string, Record<string, unknown>>>;

interface Case {
  /** What the case shows. */
  readonly name: string;
  /** Our rule that decides it. */
  readonly rule: string;
  readonly services: Services;
  /** The section's namespace when the case is about it. @default a fresh `ct-rules-<n>` */
  readonly namespace?: string;
  /** Our issue code when we refuse it; undefined for a valid twin. */
  readonly code?: string;
  /** How the API server answers: creation refused, a pod left Pending by the scheduler, or accepted. */
  readonly api: "rejects" | "unschedulable" | "accepts";
  /** Why we refuse what the API server accepts. */
  readonly stricter?: string;
  /** Our answer is a warning, not an error (the API server still shows the problem). */
  readonly warns?: boolean;
  /** Objects to create instead of the rendered ones (namespace-level cases). */
  readonly manifests?: readonly Record<string, unknown>[];
  /** A declaration to check instead of `{ kubernetes: { namespace, services } }`. */
  readonly declaration?: Record<string, unknown>;
}

const svc = (ports: unknown[], extra: Record<string, unknown> = {}) => ({ image: "ghcr.io/acme/app:1", ports, ...extra });
const http = (extra: Record<string, unknown> = {}) => ({ name: "http", port: 80, targetPort: 8080, ...extra });

const CASES: readonly Case[] = [
  { name: "nodePort below the range", rule: "node-ports", code: "node-port-out-of-range", api: "rejects", services: { api: svc([http({ nodePort: 29999 })], { type: "NodePort" }) } },
  { name: "nodePort above the range", rule: "node-ports", code: "node-port-out-of-range", api: "rejects", services: { api: svc([http({ nodePort: 32768 })], { type: "NodePort" }) } },
  { name: "nodePort in the range (twin)", rule: "node-ports", api: "accepts", services: { api: svc([http({ nodePort: 30999 })], { type: "NodePort" }) } },
  { name: "one nodePort on two Services", rule: "node-ports", code: "node-port-duplicate", api: "rejects", services: { api: svc([http({ nodePort: 31001 })], { type: "NodePort" }), web: svc([http({ nodePort: 31001 })], { type: "NodePort" }) } },
  { name: "two nodePorts on two Services (twin)", rule: "node-ports", api: "accepts", services: { api: svc([http({ nodePort: 31002 })], { type: "NodePort" }), web: svc([http({ nodePort: 31003 })], { type: "NodePort" }) } },
  {
    name: "one nodePort for port 53 over tcp and udp in one Service",
    rule: "node-ports",
    api: "accepts",
    services: { dns: svc([{ name: "dns-tcp", port: 53, nodePort: 31053, protocol: "tcp" }, { name: "dns-udp", port: 53, nodePort: 31053, protocol: "udp" }], { type: "NodePort" }) },
  },
  { name: "nodePort on a ClusterIP Service", rule: "cluster-ports", code: "invalid-value", api: "rejects", services: { api: svc([http({ nodePort: 31004 })]) } },
  {
    name: "Service name not a DNS-1035 label (starts with a digit)",
    rule: "cluster-names",
    code: "invalid-name",
    api: "accepts",
    stricter: "API servers from v1.36 accept a Service name that starts with a digit (KEP-5311, relaxed Service names: beta in v1.36, GA in v1.37); earlier ones, still common on kind and minikube clusters, refuse it (DNS-1035): we keep the rule every supported cluster enforces",
    services: { api: svc([http()], { name: "9api" }) } },
  { name: "Service name a DNS-1035 label (twin)", rule: "cluster-names", api: "accepts", services: { api: svc([http()], { name: "api9" }) } },
  { name: "Service name of 64 characters", rule: "cluster-names", code: "invalid-name", api: "rejects", services: { api: svc([http()], { name: `a${"b".repeat(63)}` }) } },
  { name: "Service name of 63 characters (twin)", rule: "cluster-names", api: "accepts", services: { api: svc([http()], { name: `a${"b".repeat(62)}` }) } },
  { name: "port name of 16 characters", rule: "cluster-names", code: "invalid-name", api: "rejects", services: { api: svc([http({ name: "abcdefghijklmnop" })]) } },
  { name: "port name in capitals", rule: "cluster-names", code: "invalid-name", api: "rejects", services: { api: svc([http({ name: "HTTP" })]) } },
  { name: "port name without a letter", rule: "cluster-names", code: "invalid-name", api: "rejects", services: { api: svc([http({ name: "8080" })]) } },
  { name: "two ports with one name", rule: "cluster-names", code: "duplicate-name", api: "rejects", services: { api: svc([http(), { name: "http", port: 81, targetPort: 8081 }]) } },
  { name: "two ports, one without a name", rule: "cluster-names", code: "missing-field", api: "rejects", services: { api: svc([http(), { port: 81, targetPort: 8081 }]) } },
  { name: "two named ports (twin)", rule: "cluster-names", api: "accepts", services: { api: svc([http(), { name: "admin", port: 81, targetPort: 8081 }]) } },
  { name: "label value with a space", rule: "cluster-names", code: "invalid-value", api: "rejects", services: { api: svc([http()], { labels: { team: "a b" } }) } },
  { name: "label key with two slashes", rule: "cluster-names", code: "invalid-name", api: "rejects", services: { api: svc([http()], { labels: { "a/b/c": "x" } }) } },
  { name: "namespace not a DNS-1123 label", rule: "cluster-names", code: "invalid-name", api: "rejects", namespace: "Dev", services: { api: svc([http()]) } },
  {
    name: "registry creating the built-in namespace kube-system",
    rule: "cluster-registry",
    code: "invalid-value",
    api: "rejects",
    services: {},
    declaration: { kubernetes: { registry: { namespace: "kube-system", createNamespace: true } } },
    manifests: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } }],
  },
  { name: "port 70000", rule: "cluster-ports", code: "port-out-of-range", api: "rejects", services: { api: svc([http({ port: 70000 })]) } },
  { name: "one port and protocol twice in a Service", rule: "cluster-ports", code: "port-clash", api: "rejects", services: { api: svc([http(), { name: "again", port: 80, targetPort: 8081 }]) } },
  { name: "port 80 over tcp and udp (twin)", rule: "cluster-ports", api: "accepts", services: { api: svc([http(), { name: "quic", port: 80, targetPort: 8080, protocol: "udp" }]) } },
  { name: "replicas -1", rule: "cluster-ports", code: "invalid-value", api: "rejects", services: { api: svc([http()], { replicas: -1 }) } },
  {
    name: "hostIP that is not an address",
    rule: "cluster-ports",
    code: "invalid-ip",
    api: "accepts",
    stricter: "the API server stores containerPort.hostIP unchecked and schedules the pod; only the node's CNI portmap plugin reads the address, when the pod starts, and fails there",
    services: { api: svc([http({ hostPort: 8080, hostIP: "300.0.0.1" })]) } },
  { name: "host alias to host-gateway (a Docker keyword)", rule: "cluster-ports", code: "invalid-ip", api: "rejects", services: { api: svc([http()], { hostAliases: ["db.local:host-gateway"] }) } },
  { name: "host alias to an address (twin)", rule: "cluster-ports", api: "accepts", services: { api: svc([http()], { hostAliases: ["db.local:10.0.0.5"] }) } },
  {
    name: "readiness probe path without a leading /",
    rule: "cluster-ports",
    code: "invalid-value",
    api: "accepts",
    stricter: "the API server stores any path, and the kubelet then requests http://<pod>:<port>healthz: the probe never passes and the pod never becomes Ready",
    services: { api: svc([http()], { readinessProbe: { path: "healthz" } }) },
  },
  {
    name: "hostNetwork with a hostPort other than targetPort",
    rule: "cluster-ports",
    code: "invalid-value",
    api: "accepts",
    stricter: "with hostNetwork the pod binds targetPort on the node itself, so the components render hostPort = targetPort (what the API server requires); a different declared hostPort would be ignored silently, so we refuse it",
    services: { api: svc([http({ hostPort: 9090 })], { hostNetwork: true }) },
  },
  { name: "selector contradicted by a label", rule: "selectors", code: "selector-mismatch", api: "rejects", services: { api: svc([http()], { selector: { app: "api" }, labels: { app: "web" } }) } },
  {
    name: "two services selecting the same pods",
    rule: "selectors",
    code: "selector-mismatch",
    api: "accepts",
    stricter: "Kubernetes allows overlapping selectors, but each Service then balances over both Deployments' pods and the two ReplicaSets compete for them; the docs say to avoid it",
    services: { api: svc([http()], { selector: { app: "shared" } }), web: svc([{ name: "http", port: 81, targetPort: 8081 }], { selector: { app: "shared" } }) },
  },
  { name: "two pods binding hostPort 8080 on one node", rule: "host-ports", code: "port-clash", api: "unschedulable", services: { api: svc([http({ hostPort: 8080 })]), web: svc([http({ hostPort: 8080 })]) } },
  { name: "hostPort 8080 on 0.0.0.0 and on 127.0.0.1", rule: "host-ports", code: "port-clash", api: "unschedulable", services: { api: svc([http({ hostPort: 8080 })]), web: svc([http({ hostPort: 8080, hostIP: "127.0.0.1" })]) } },
  { name: "hostPort 8080 on two different node addresses (twin)", rule: "host-ports", api: "accepts", services: { api: svc([http({ hostPort: 8080, hostIP: "127.0.0.1" })]), web: svc([http({ hostPort: 8080, hostIP: "127.0.0.2" })]) } },
  { name: "hostPort 8080 over tcp and udp (twin)", rule: "host-ports", api: "accepts", services: { api: svc([http({ hostPort: 8080 })]), web: svc([http({ hostPort: 8080, protocol: "udp" })]) } },
  { name: "hostPorts 8080 and 8081 (twin)", rule: "host-ports", api: "accepts", services: { api: svc([http({ hostPort: 8080 })]), web: svc([http({ hostPort: 8081 })]) } },
  { name: "two replicas binding one hostPort on a one-node cluster", rule: "host-ports", code: "port-clash", warns: true, api: "unschedulable", services: { api: svc([http({ hostPort: 8080 })], { replicas: 2 }) } },
];

/** Our answer: the error codes (or, for `warns`, the warning codes) of the declaration. */
function modelCodes(declaration: unknown, warns: boolean): string[] {
  try {
    const { warnings } = checkTopology(declaration);
    return warns ? warnings.map((w: Issue) => w.code) : [];
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    return err.issues.filter((i) => i.severity === "error").map((i) => i.code);
  }
}

/** The Deployment and Service the components render for each service, as normalized (not validated). */
function rendered(services: Services, namespace: string): Record<string, unknown>[] {
  const parsed = parseDeclaration({ kubernetes: { namespace, services } });
  const raw = (parsed.raw.kubernetes?.services ?? {}) as Record<string, RawClusterService>;
  // A port the shape check dropped would hide the case: every case must parse.
  if (Object.keys(raw).length !== Object.keys(services).length) throw new Error(`case does not parse: ${JSON.stringify(parsed.issues)}`);
  return Object.entries(raw).flatMap(([key, service]) => {
    const spec = normalizeClusterService(key, service, namespace);
    return [
      { apiVersion: "apps/v1", kind: "Deployment", ...deploymentArgs(spec) },
      { apiVersion: "v1", kind: "Service", ...serviceArgs(spec) },
    ];
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the scheduler has placed or refused every pod of the namespace. */
async function scheduling(kube: KubeCluster, namespace: string, expectedPods: number): Promise<"scheduled" | "unschedulable"> {
  type Pods = { items: { status: { conditions?: { type: string; status: string; reason?: string }[] } }[] };
  for (let i = 0; i < 60; i++) {
    const pods = kube.getJson<Pods>(["get", "pods", "-n", namespace]).items;
    const scheduled = pods.map((p) => p.status.conditions?.find((c) => c.type === "PodScheduled"));
    if (scheduled.some((c) => c?.status === "False" && c.reason === "Unschedulable")) return "unschedulable";
    if (pods.length >= expectedPods && scheduled.every((c) => c?.status === "True")) return "scheduled";
    await sleep(250);
  }
  throw new Error(`pods of ${namespace} were neither all scheduled nor refused in 15 s`);
}

describePulumi("Kubernetes rules: ours and a real kube-apiserver agree", () => {
  let kube: KubeCluster;
  const rows: string[] = [];

  beforeAll(() => {
    kube = ensureKube();
  });

  afterAll(() => {
    const agree = rows.filter((r) => r.includes("| agree |")).length;
    console.log(`[kube rules] cases=${rows.length} agree=${agree} stricter=${rows.length - agree} mismatches=0\n${rows.join("\n")}`);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))("%s", async (_name, c, index) => {
    const namespace = c.namespace ?? `ct-rules-${index}`;
    const declaration = c.declaration ?? { kubernetes: { namespace, services: c.services } };
    const codes = modelCodes(declaration, c.warns ?? false);
    if (c.code) expect(codes).toContain(c.code);
    else expect(codes).toEqual([]);

    const manifests = c.manifests ?? rendered(c.services, namespace);
    let answer: "rejects" | "unschedulable" | "accepts";
    let message = "";
    const created = c.manifests ? { code: 0, stderr: "" } : kube.kubectl(["create", "namespace", namespace]);
    try {
      if (created.code !== 0) {
        answer = "rejects";
        message = created.stderr;
      } else {
        const r = kube.kubectl(["create", "-f", "-"], manifests.map((m) => JSON.stringify(m)).join("\n"));
        message = r.stderr;
        const pods = manifests.filter((m) => m["kind"] === "Deployment").reduce((n, m) => n + Number((m["spec"] as { replicas?: number }).replicas ?? 1), 0);
        answer = r.code !== 0 ? "rejects" : c.api !== "rejects" && pods > 0 && !c.manifests ? ((await scheduling(kube, namespace, pods)) === "unschedulable" ? "unschedulable" : "accepts") : "accepts";
      }
    } finally {
      if (!c.manifests && created.code === 0) {
        // Pods of one case must not hold host ports, nor Services node ports, in the next: the objects
        // go first, waiting for their pods (foreground cascade); the namespace controller is slow (~5-10 s).
        kube.kubectl(["delete", "deployments,services", "--all", "-n", namespace, "--cascade=foreground", "--wait=true", "--timeout=60s"]);
        kube.kubectl(["delete", "namespace", namespace, "--wait=false"]);
      }
    }
    expect({ api: answer, message: answer === c.api ? "" : message }).toEqual({ api: c.api, message: "" });
    const ours = c.code ? `${c.warns ? "warns" : "refuses"} (${c.code})` : "accepts";
    const theirs = c.api === "rejects" ? `refuses: ${message.split("\n").find((l) => l.trim())?.replace(/^Error from server \(\w+\): (error when creating "STDIN": )?/, "") ?? ""}` : c.api === "unschedulable" ? "scheduler leaves a pod Pending (node(s) didn't have free ports)" : "accepts";
    rows.push(`| ${c.rule} | ${c.name} | ${ours} | ${theirs} | ${c.stricter ? `stricter: ${c.stricter}` : "agree"} |`);
  });
});
