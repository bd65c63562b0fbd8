// Kubernetes components of container-topology: re-exports only.
export * from "./host-port-proxy";
