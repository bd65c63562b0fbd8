import { error, Issue, IssueCode } from "../../errors";
import { joinPath } from "../../paths";
import { checkKubernetesName, isKubernetesName } from "../../registry/args";
import { Rule } from "../../rules/rule";
import { quote } from "../../suggest";
import { BridgeVia, ClusterServiceSpec } from "../types";
import { bridgePath, portPath, servicePath } from "./common";
import { registryPath } from "./registry";

/** RFC 1123 subdomain (a label key's prefix). */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A label name, and a non-empty label value. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** True for a valid label key: `[prefix/]name`. */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !(prefix.length <= 253 && SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** True for a valid label value (empty allowed). */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}

/**
 * Why a port name is not valid for both a Service port (DNS-1123 label) and a
 * container port (IANA service name: at most 15 characters, a letter, no "--");
 * undefined when it is.
 */
export function portNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return `use lowercase letters, digits and "-", starting and ending with a letter or digit`;
  if (name.length > 15) return `it has ${name.length} characters; a container port name has at most 15`;
  if (!/[a-z]/.test(name)) return "it needs at least one letter";
  if (name.includes("--")) return `"--" is not allowed in a container port name`;
  return undefined;
}

function checkLabels(service: ClusterServiceSpec, field: "labels" | "selector", labels: Readonly<Record<string, string>>, issues: Issue[]) {
  for (const [key, value] of Object.entries(labels)) {
    const path = servicePath(service, field, key);
    if (!isLabelKey(key)) {
      issues.push(error(IssueCode.InvalidName, path, `${quote(key)} is not a valid label key: use an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`));
    } else if (!isLabelValue(value)) {
      issues.push(error(IssueCode.InvalidValue, path, `${quote(value)} is not a valid label value: use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`));
    }
  }
}

function checkPortNames(service: ClusterServiceSpec, issues: Issue[]) {
  const seen = new Map<string, number>();
  for (const port of service.ports) {
    if (port.name === undefined) {
      if (service.ports.length > 1) issues.push(error(IssueCode.MissingField, portPath(service, port, "name"), "is required: a Service with several ports needs a name on each"));
      continue;
    }
    const problem = portNameProblem(port.name);
    if (problem) {
      const lower = port.name.toLowerCase();
      const hint = lower !== port.name && portNameProblem(lower) === undefined ? `. Did you mean ${quote(lower)}?` : "";
      issues.push(error(IssueCode.InvalidName, portPath(service, port, "name"), `${quote(port.name)} is not a valid port name: ${problem}${hint}`));
      continue;
    }
    const first = seen.get(port.name);
    if (first !== undefined) issues.push(error(IssueCode.DuplicateName, portPath(service, port, "name"), `${quote(port.name)} is also the name of ports[${first}]. Port names are unique within a service`));
    else seen.set(port.name, port.index);
  }
}

/** Kubernetes names are valid and unique per namespace; labels and port names follow Kubernetes' rules. */
export const clusterNames: Rule = {
  id: "cluster-names",
  summary: "Kubernetes names, namespaces, labels and port names are valid; object names are unique in a namespace",
  check({ topology }) {
    const kubernetes = topology.kubernetes;
    if (!kubernetes) return [];
    const issues: Issue[] = [];
    checkKubernetesName(joinPath("kubernetes", "namespace"), kubernetes.namespace, "label", issues);
    // Objects by namespace/name, in declaration order: the first owner keeps the name.
    const owners = new Map<string, string>();
    const claim = (namespace: string, name: string, owner: string, path: string) => {
      const id = `${namespace}/${name}`;
      const earlier = owners.get(id);
      if (earlier) issues.push(error(IssueCode.DuplicateName, path, `the Kubernetes name ${quote(name)} is also the name of ${earlier} in namespace ${quote(namespace)}: names are unique in a namespace. Set a different name`));
      else owners.set(id, owner);
    };
    for (const service of kubernetes.services) {
      const namePath = service.name !== service.key ? servicePath(service, "name") : servicePath(service);
      const before = issues.length;
      checkKubernetesName(namePath, service.name, "service", issues);
      if (service.namespace !== kubernetes.namespace) checkKubernetesName(servicePath(service, "namespace"), service.namespace, "label", issues);
      if (issues.length === before) claim(service.namespace, service.name, `kubernetes.services.${service.key}`, namePath);
      checkLabels(service, "selector", service.selector, issues);
      checkLabels(service, "labels", service.declaredLabels, issues);
      checkPortNames(service, issues);
    }
    for (const bridge of kubernetes.bridges) {
      if (!bridge.createsService && bridge.via !== BridgeVia.HostPort) continue;
      const namePath = bridge.name !== `${bridge.key}-bridge` ? bridgePath(bridge, "name") : bridgePath(bridge);
      const before = issues.length;
      checkKubernetesName(namePath, bridge.name, "service", issues);
      if (issues.length === before) claim(bridge.namespace, bridge.name, `kubernetes.bridges.${bridge.key}`, namePath);
    }
    // The registry's Deployment/Service/claim and its proxy DaemonSet (names checked by cluster-registry).
    const registry = kubernetes.registry;
    if (registry && isKubernetesName(registry.name, "service") && isKubernetesName(registry.namespace, "label")) {
      claim(registry.namespace, registry.name, "kubernetes.registry", registry.declared.name !== undefined ? registryPath("name") : registryPath());
      if (registry.proxy && isKubernetesName(registry.proxy.name, "label")) {
        claim(registry.namespace, registry.proxy.name, "kubernetes.registry.proxy", registryPath("proxy", ...(typeof registry.declared.proxy === "object" && registry.declared.proxy.name !== undefined ? ["name"] : [])));
      }
    }
    return issues;
  },
};
