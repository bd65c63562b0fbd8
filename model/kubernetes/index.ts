// The `kubernetes` section of the topology model: pure, no Pulumi imports.
export * from "./types";
export {
  applyConsumes,
  bridgeEnvName,
  bridgeOffers,
  bridgedPort,
  CLUSTER_DOMAIN,
  DEFAULT_BIND_ADDRESS,
  DEFAULT_NAMESPACE,
  exposesNodePort,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  NAME_LABEL,
  normalizeBridge,
  normalizeClusterService,
  normalizeKubernetes,
} from "./normalize";
export type { BridgeOffer } from "./normalize";
export { clusterEdges } from "./reachability";
export { KUBERNETES_RULES, isLabelKey, isLabelValue, isNodePort, portNameProblem } from "./rules";
export * from "./registry";
export * from "./nodes";
