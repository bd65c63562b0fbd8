import * as docker from "@pulumi/docker";
import { defaultGateway, parseCidr } from "../../model/ip";
import { MANAGED_LABEL } from "../../model/preflight";
import { NetworkSpec } from "../../model/types";

/** Label every rendered object carries, so tools (and preflight) can tell what a topology owns. */
export { MANAGED_LABEL };

/**
 * The gateway to render for a pool: the declared one; for an overlay, Docker's default (the first
 * address) too, because swarm allocates it only when the first container attaches, and a refresh
 * after that would read back a gateway the state never had.
 */
function gatewayOf(spec: NetworkSpec, pool: NetworkSpec["pools"][number]): string | undefined {
  if (pool.gateway !== undefined || spec.driver !== "overlay" || pool.subnet === undefined) return pool.gateway;
  const cidr = parseCidr(pool.subnet);
  return cidr ? defaultGateway(cidr) : undefined;
}

/** The @pulumi/docker Network inputs for a normalized network. */
export function networkInputs(spec: NetworkSpec): docker.NetworkArgs {
  const ipamConfigs = spec.pools
    .filter((p) => p.subnet !== undefined)
    .map((p) => {
      const aux = p.family === "ipv4" ? Object.fromEntries(Object.entries(spec.auxAddresses).filter(([, ip]) => !ip.includes(":"))) : Object.fromEntries(Object.entries(spec.auxAddresses).filter(([, ip]) => ip.includes(":")));
      return {
        subnet: p.subnet!,
        ...(p.ipRange !== undefined ? { ipRange: p.ipRange } : {}),
        ...(gatewayOf(spec, p) !== undefined ? { gateway: gatewayOf(spec, p) } : {}),
        ...(Object.keys(aux).length > 0 ? { auxAddress: aux } : {}),
      };
    });
  // An adopted network keeps the labels it has: labels are fixed at creation, a new one would replace it.
  const labels = spec.adopt !== undefined ? { ...spec.labels } : { ...spec.labels, [MANAGED_LABEL]: "true" };
  return {
    name: spec.dockerName,
    driver: spec.driver,
    ...(ipamConfigs.length > 0 ? { ipamConfigs } : {}),
    ...(Object.keys(spec.driverOptions).length > 0 ? { options: { ...spec.driverOptions } } : {}),
    internal: spec.internal,
    attachable: spec.attachable,
    ipv6: spec.ipv6,
    labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
  };
}
