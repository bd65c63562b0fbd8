/**
 * kubernetes-host-port: pod containers do not claim host ports unless the workload is allow-listed.
 *
 * A hostPort binds the port on every node the pod lands on (on all addresses unless hostIP is set),
 * bypassing Services and NetworkPolicies, and limits scheduling to one such pod per node. It has
 * legitimate uses (the minikube registry addon's registry-proxy DaemonSet publishes the in-cluster
 * registry on each node's :5000 this way), hence the allow-list.
 */
import { knownContainers, WORKLOAD_TYPES, workloadAllowNames, workloadName } from "../lib/kubernetes";
import { matchesAny, splitEntry } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";
import { at, list, num, str } from "../lib/values";

export interface KubernetesHostPortConfig {
  readonly allow: readonly string[];
}

export const kubernetesHostPort = resourceRule<KubernetesHostPortConfig>({
  name: "kubernetes-host-port",
  description: "Pod templates set no containers[].ports[].hostPort unless the workload (and port) is allow-listed.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Expose the pod through a Service (ClusterIP, or NodePort for node access) instead of a hostPort.",
  types: WORKLOAD_TYPES,
  config: {
    allow: allowList(
      'Entries "<namespace>/<name>", "<name>" (every host port) or either with ":<hostPort>"; names are globs, also matched against the Pulumi name.',
    ),
  },
  check: (resource, config, findings) => {
    const names = workloadAllowNames(resource);
    const entries = config.allow.map(splitEntry).filter((e) => matchesAny([e.subject], names));
    if (entries.some((e) => e.detail === undefined)) return;
    const allowedPorts = new Set(entries.map((e) => e.detail));
    for (const c of knownContainers(resource, findings)) {
      const ports = at(c.value, "ports");
      if (isUnknown(ports)) {
        findings.unknown(ports);
        continue;
      }
      (list(ports) ?? []).forEach((port, i) => {
        if (isUnknown(port)) {
          findings.unknown(port);
          return;
        }
        const hostPort = num(at(port, "hostPort"));
        if (isUnknown(hostPort)) {
          findings.unknown(hostPort);
          return;
        }
        if (hostPort === undefined || hostPort === 0 || allowedPorts.has(String(hostPort))) return;
        const hostIp = str(at(port, "hostIP"));
        const on = typeof hostIp === "string" && hostIp !== "" ? ` on ${hostIp}` : " on every node address";
        findings.violation(
          `${workloadName(resource)} ${c.path}.ports[${i}].hostPort: ${hostPort}${on} bypasses Services and NetworkPolicies. ` +
            `Use a Service, or allow-list ${JSON.stringify(`${workloadName(resource)}:${hostPort}`)}`,
        );
      });
    }
  },
});
