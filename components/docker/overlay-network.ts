import * as pulumi from "@pulumi/pulumi";
import { OverlayNetworkDeclaration } from "../../model/types";
import { DockerNetworkResource, ValidatedNetwork } from "./network-resource";

/** Arguments of {@link OverlayNetwork}: the overlay fields of a network declaration. */
export interface OverlayNetworkArgs extends Omit<OverlayNetworkDeclaration, "driver"> {}

/**
 * An overlay network spanning swarm nodes over VXLAN. Standalone containers can join it only when it is `attachable`; `encrypted` turns on IPsec between nodes.
 *
 * Arguments are validated through the topology model before anything is created;
 * every problem is reported at once. The Docker name defaults to `<stack>-<name>`.
 *
 * @example
 * ```ts
 * const net = new OverlayNetwork("lan", { subnet: "172.30.0.0/24", attachable: true });
 * ```
 */
export class OverlayNetwork extends DockerNetworkResource {
  constructor(name: string, args: OverlayNetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:docker:OverlayNetwork", name, withDriver(args), opts);
  }
}

function withDriver(args: OverlayNetworkArgs | ValidatedNetwork): OverlayNetworkDeclaration | ValidatedNetwork {
  return { ...args, driver: "overlay" } as OverlayNetworkDeclaration | ValidatedNetwork;
}
