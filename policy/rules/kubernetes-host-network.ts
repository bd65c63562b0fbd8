/**
 * kubernetes-host-network: pods do not use the node's network namespace unless allow-listed.
 *
 * With hostNetwork a pod binds node ports directly, sees every node interface and escapes
 * NetworkPolicies; CNI and node agents need it, application workloads do not.
 */
import { podSpecOf, WORKLOAD_TYPES, workloadAllowNames, workloadName } from "../lib/kubernetes";
import { matchesAny } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";
import { at, bool } from "../lib/values";

export interface KubernetesHostNetworkConfig {
  readonly allow: readonly string[];
}

export const kubernetesHostNetwork = resourceRule<KubernetesHostNetworkConfig>({
  name: "kubernetes-host-network",
  description: "Pod templates do not set hostNetwork: true unless the workload is allow-listed.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Remove hostNetwork and expose the pod through a Service.",
  types: WORKLOAD_TYPES,
  config: {
    allow: allowList('Workloads "<namespace>/<name>" or "<name>" (globs, also matched against the Pulumi name) that may use hostNetwork.'),
  },
  check: (resource, config, findings) => {
    if (matchesAny(config.allow, workloadAllowNames(resource))) return;
    const { spec, path } = podSpecOf(resource);
    const hostNetwork = bool(at(spec, "hostNetwork"));
    if (isUnknown(hostNetwork)) {
      findings.unknown(hostNetwork);
      return;
    }
    if (hostNetwork !== true) return;
    findings.violation(
      `${workloadName(resource)} ${path}.hostNetwork: true puts the pod in the node's network namespace, past NetworkPolicies. ` +
        `Use a Service, or allow-list ${JSON.stringify(workloadName(resource))}`,
    );
  },
});
