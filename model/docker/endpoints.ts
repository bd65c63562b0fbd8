import { isWildcard } from "../ip";
import { networkAliases } from "../names";
import { HOST_DOCKER_INTERNAL, NetworkSpec, Protocol, ServiceSpec } from "../types";

/** Where to reach one published port of a service. */
export interface ServiceEndpoint {
  readonly service: string;
  readonly target: number;
  readonly protocol: Protocol;
  /** Host port; undefined until Docker picks a random one. */
  readonly published?: number;
  readonly hostIp: string;
  /** What the host dials, e.g. `127.0.0.1:8080` (`localhost:8080` for a wildcard bind). */
  readonly hostAddress?: string;
  /** What a container dials through the host gateway, when the bind lets it (`0.0.0.0`, `::` or the gateway address). */
  readonly containerAddress?: string;
  /** What a container on a shared network dials instead: `<alias>:<target>`, per network. */
  readonly networkAddresses: readonly { readonly network: string; readonly address: string }[];
  /** Why the port is published in vain (the container sits only on networks Docker publishes nothing from). */
  readonly unreachable?: string;
}

/** Why Docker publishes nothing for a service on these networks, or undefined when it publishes. */
function publishesNothing(service: ServiceSpec, networks: readonly NetworkSpec[]): string | undefined {
  if (service.mode.kind !== "networks" || service.attachments.length === 0) return undefined;
  const kinds = service.attachments.map((a) => networks.find((n) => n.key === a.network)).map((n) => (n?.internal ? "internal" : n?.driver === "macvlan" || n?.driver === "ipvlan" ? n.driver : undefined));
  return kinds.every((k) => k !== undefined) ? `Docker publishes nothing from ${[...new Set(kinds)].join(" or ")} networks` : undefined;
}

function bracket(ip: string): string {
  return ip.includes(":") ? `[${ip}]` : ip;
}

/**
 * The endpoints of a service's published ports. `published` overrides ports
 * Docker assigned at random (by index); `gatewayIp` is the host-gateway address;
 * `networks` (the service's networks at least) tell a publish Docker makes from
 * one it silently drops, so the table agrees with computeReachability.
 */
export function serviceEndpoints(service: ServiceSpec, gatewayIp: string, published: readonly (number | undefined)[] = [], networks: readonly NetworkSpec[] = []): ServiceEndpoint[] {
  const nothing = publishesNothing(service, networks);
  return service.ports.map((port) => {
    const hostPort = port.published ?? published[port.index];
    const wildcard = isWildcard(port.hostIp);
    const reachableFromContainers = (wildcard || port.hostIp === gatewayIp) && nothing === undefined;
    const networkAddresses = service.mode.kind === "networks" ? service.attachments.map((a) => ({ network: a.network, address: `${networkAliases(service, a)[0] ?? service.dockerName}:${port.target}` })) : [];
    return {
      service: service.key,
      target: port.target,
      protocol: port.protocol,
      ...(hostPort !== undefined ? { published: hostPort } : {}),
      hostIp: port.hostIp,
      ...(hostPort !== undefined && nothing === undefined ? { hostAddress: `${wildcard ? "localhost" : bracket(port.hostIp)}:${hostPort}` } : {}),
      ...(hostPort !== undefined && reachableFromContainers ? { containerAddress: `${HOST_DOCKER_INTERNAL}:${hostPort}` } : {}),
      networkAddresses,
      ...(nothing !== undefined ? { unreachable: nothing } : {}),
    };
  });
}
