export * from "./bridge-network";
export * from "./macvlan-network";
export * from "./ipvlan-network";
export * from "./overlay-network";
export { DockerNetworkResource } from "./network-resource";
export * from "./published-service";
export * from "./host-gateway";
export { MANAGED_LABEL } from "./render-network";
export { EXPOSE_LABEL } from "./render-container";
