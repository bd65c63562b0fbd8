/** Reading Pulumi Kubernetes provider resources: where each workload keeps its pod spec. */
import type { Findings, ResourceView } from "./rule";
import { isUnknown, Unknown, Value } from "./unknown";
import { at, list, str } from "./values";

export const KubernetesType = {
  Pod: "kubernetes:core/v1:Pod",
  ReplicationController: "kubernetes:core/v1:ReplicationController",
  Deployment: "kubernetes:apps/v1:Deployment",
  DaemonSet: "kubernetes:apps/v1:DaemonSet",
  StatefulSet: "kubernetes:apps/v1:StatefulSet",
  ReplicaSet: "kubernetes:apps/v1:ReplicaSet",
  Job: "kubernetes:batch/v1:Job",
  CronJob: "kubernetes:batch/v1:CronJob",
  Service: "kubernetes:core/v1:Service",
} as const;

/** Path of the pod spec inside each workload kind. */
const podSpecPath: Readonly<Record<string, readonly string[]>> = {
  [KubernetesType.Pod]: ["spec"],
  [KubernetesType.ReplicationController]: ["spec", "template", "spec"],
  [KubernetesType.Deployment]: ["spec", "template", "spec"],
  [KubernetesType.DaemonSet]: ["spec", "template", "spec"],
  [KubernetesType.StatefulSet]: ["spec", "template", "spec"],
  [KubernetesType.ReplicaSet]: ["spec", "template", "spec"],
  [KubernetesType.Job]: ["spec", "template", "spec"],
  [KubernetesType.CronJob]: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Every workload type that carries a pod spec. */
export const WORKLOAD_TYPES: readonly string[] = Object.keys(podSpecPath);

/** The pod spec (or the marker where the path turns unknown), and its dotted path for messages. */
export function podSpecOf(resource: ResourceView): { readonly spec: Value | undefined; readonly path: string } {
  const path = podSpecPath[resource.type] ?? ["spec"];
  return { spec: at(resource.props, ...path), path: path.join(".") };
}

/** `namespace/name` for messages; the namespace defaults to `default`, the name to the Pulumi name. */
export function workloadName(resource: ResourceView): string {
  const ns = str(at(resource.props, "metadata", "namespace"));
  const name = str(at(resource.props, "metadata", "name"));
  const n = typeof name === "string" ? name : resource.name;
  const namespace = typeof ns === "string" ? ns : isUnknown(ns) ? "<unknown>" : "default";
  return `${namespace}/${n}`;
}

/** Names an allow-list entry may match: `namespace/name`, `name`, and the Pulumi resource name. */
export function workloadAllowNames(resource: ResourceView): string[] {
  const ns = str(at(resource.props, "metadata", "namespace"));
  const name = str(at(resource.props, "metadata", "name"));
  const names = [resource.name];
  if (typeof name === "string") {
    names.push(name);
    if (!isUnknown(ns)) names.push(`${typeof ns === "string" ? ns : "default"}/${name}`);
  }
  return names;
}

/** The containers of a pod spec with their dotted paths (`containers`, `initContainers`, `ephemeralContainers`). */
export function containersOf(spec: Value | undefined, specPath: string): {
  readonly containers: { readonly value: Value; readonly path: string }[];
  readonly unknown: Unknown[];
} {
  const containers: { value: Value; path: string }[] = [];
  const unknown: Unknown[] = [];
  for (const key of ["containers", "initContainers", "ephemeralContainers"]) {
    const raw = at(spec, key);
    if (isUnknown(raw)) {
      unknown.push(raw);
      continue;
    }
    (list(raw) ?? []).forEach((value, i) => containers.push({ value, path: `${specPath}.${key}[${i}]` }));
  }
  return { containers, unknown };
}

/**
 * The pod-template containers of a workload whose value is known; every unknown
 * on the way (the spec, the list, a container) is recorded as undecided.
 */
export function knownContainers(resource: ResourceView, findings: Findings): { readonly value: Value; readonly path: string }[] {
  const { spec, path } = podSpecOf(resource);
  if (isUnknown(spec)) {
    findings.unknown(spec);
    return [];
  }
  const { containers, unknown } = containersOf(spec, path);
  unknown.forEach((u) => findings.unknown(u));
  return containers.filter((c) => {
    if (!isUnknown(c.value)) return true;
    findings.unknown(c.value);
    return false;
  });
}
