// Kubernetes components of container-topology: re-exports only.
export * from "./host-port-proxy";
export * from "./cluster-registry";
export * from "./local-registry-hosting";
export * from "./cluster-service";
export * from "./cluster-bridge";
export type { BridgeConsumption } from "./consumes";
export type { KubernetesComponents } from "./cluster-section";
export { BRIDGE_LABEL } from "./render-cluster";
