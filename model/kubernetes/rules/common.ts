import { joinPath, PathSegment } from "../../paths";
import { RuleContext } from "../../rules/rule";
import { ClusterBridgeSpec, ClusterPortSpec, ClusterServiceSpec } from "../types";

/** `kubernetes.services.<key>...` */
export function servicePath(service: ClusterServiceSpec, ...rest: readonly PathSegment[]): string {
  return joinPath("kubernetes", "services", service.key, ...rest);
}

/** `kubernetes.services.<key>.ports[i]...` */
export function portPath(service: ClusterServiceSpec, port: ClusterPortSpec, ...rest: readonly PathSegment[]): string {
  return servicePath(service, "ports", port.index, ...rest);
}

/** `kubernetes.bridges.<key>...` */
export function bridgePath(bridge: ClusterBridgeSpec, ...rest: readonly PathSegment[]): string {
  return joinPath("kubernetes", "bridges", bridge.key, ...rest);
}

/** The cluster services by key (empty without a `kubernetes` section). */
export function clusterServices(context: RuleContext): Map<string, ClusterServiceSpec> {
  return new Map((context.topology.kubernetes?.services ?? []).map((s) => [s.key, s]));
}

/** `address:port/protocol`, IPv6 in brackets. */
export function socketLabel(address: string, port: number, protocol: string): string {
  return `${address.includes(":") ? `[${address}]` : address}:${port}/${protocol}`;
}
