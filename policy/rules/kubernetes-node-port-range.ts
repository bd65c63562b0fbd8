/**
 * kubernetes-node-port-range: explicit Service nodePorts fall inside the cluster's NodePort range.
 *
 * The API server rejects a nodePort outside --service-node-port-range (30000-32767 by default) at
 * apply time; clusters that narrow the range per team say so in config, and preview catches it.
 */
import { KubernetesType, workloadName } from "../lib/kubernetes";
import { resourceRule } from "../lib/rule";
import { isUnknown } from "../lib/unknown";
import { at, list, num } from "../lib/values";

export interface KubernetesNodePortRangeConfig {
  readonly min: number;
  readonly max: number;
}

export const kubernetesNodePortRange = resourceRule<KubernetesNodePortRangeConfig>({
  name: "kubernetes-node-port-range",
  description: "Service spec.ports[].nodePort values lie within [min, max] (default 30000-32767, the API server's default range).",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Leave nodePort unset so the cluster allocates one, or pick one inside the range.",
  types: [KubernetesType.Service],
  config: {
    min: { type: "integer", minimum: 1, maximum: 65535, default: 30000, description: "Lowest allowed nodePort." },
    max: { type: "integer", minimum: 1, maximum: 65535, default: 32767, description: "Highest allowed nodePort." },
  },
  check: (resource, config, findings) => {
    if (config.min > config.max) {
      throw new Error(`kubernetes-node-port-range: config min ${config.min} is greater than max ${config.max}`);
    }
    const ports = at(resource.props, "spec", "ports");
    if (isUnknown(ports)) {
      findings.unknown(ports);
      return;
    }
    (list(ports) ?? []).forEach((port, i) => {
      if (isUnknown(port)) {
        findings.unknown(port);
        return;
      }
      const nodePort = num(at(port, "nodePort"));
      if (isUnknown(nodePort)) {
        findings.unknown(nodePort);
        return;
      }
      if (nodePort === undefined || nodePort === 0) return;
      if (nodePort >= config.min && nodePort <= config.max) return;
      findings.violation(
        `${workloadName(resource)} spec.ports[${i}].nodePort: ${nodePort} is outside the NodePort range ${config.min}-${config.max}. ` +
          `Leave it unset so the cluster allocates one, or pick a port in the range`,
      );
    });
  },
});
