import { isWildcard } from "../ip";
import { networkAliases } from "../names";
import { HOST_DOCKER_INTERNAL, Protocol, ServiceSpec } from "../types";

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
}

function bracket(ip: string): string {
  return ip.includes(":") ? `[${ip}]` : ip;
}

/**
 * The endpoints of a service's published ports. `published` overrides ports
 * Docker assigned at random (by index); `gatewayIp` is the host-gateway address.
 */
export function serviceEndpoints(service: ServiceSpec, gatewayIp: string, published: readonly (number | undefined)[] = []): ServiceEndpoint[] {
  return service.ports.map((port) => {
    const hostPort = port.published ?? published[port.index];
    const wildcard = isWildcard(port.hostIp);
    const reachableFromContainers = wildcard || port.hostIp === gatewayIp;
    const networkAddresses = service.mode.kind === "networks" ? service.attachments.map((a) => ({ network: a.network, address: `${networkAliases(service, a)[0]}:${port.target}` })) : [];
    return {
      service: service.key,
      target: port.target,
      protocol: port.protocol,
      ...(hostPort !== undefined ? { published: hostPort } : {}),
      hostIp: port.hostIp,
      ...(hostPort !== undefined ? { hostAddress: `${wildcard ? "localhost" : bracket(port.hostIp)}:${hostPort}` } : {}),
      ...(hostPort !== undefined && reachableFromContainers ? { containerAddress: `${HOST_DOCKER_INTERNAL}:${hostPort}` } : {}),
      networkAddresses,
    };
  });
}
