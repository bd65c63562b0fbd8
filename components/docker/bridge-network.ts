import * as pulumi from "@pulumi/pulumi";
import { BridgeNetworkDeclaration } from "../../model/types";
import { DockerNetworkResource, ValidatedNetwork } from "./network-resource";

/** Arguments of {@link BridgeNetwork}: the bridge fields of a network declaration. */
export interface BridgeNetworkArgs extends Omit<BridgeNetworkDeclaration, "driver"> {}

/**
 * A user-defined bridge network: containers on it find each other by name and alias through Docker's embedded DNS, and reach the outside through NAT unless `internal`.
 *
 * Arguments are validated through the topology model before anything is created;
 * every problem is reported at once. The Docker name defaults to `<stack>-<name>`.
 *
 * @example
 * ```ts
 * const net = new BridgeNetwork("lan", { subnet: "172.30.0.0/24" });
 * ```
 */
export class BridgeNetwork extends DockerNetworkResource {
  constructor(name: string, args: BridgeNetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:docker:BridgeNetwork", name, withDriver(args), opts);
  }
}

function withDriver(args: BridgeNetworkArgs | ValidatedNetwork): BridgeNetworkDeclaration | ValidatedNetwork {
  return { ...args, driver: "bridge" } as BridgeNetworkDeclaration | ValidatedNetwork;
}
