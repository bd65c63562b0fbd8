import * as pulumi from "@pulumi/pulumi";
import { IpvlanNetworkDeclaration } from "../../model/types";
import { DockerNetworkResource, ValidatedNetwork } from "./network-resource";

/** Arguments of {@link IpvlanNetwork}: the ipvlan fields of a network declaration. */
export interface IpvlanNetworkArgs extends Omit<IpvlanNetworkDeclaration, "driver"> {}

/**
 * An ipvlan network: containers share the parent interface's MAC address; l2 mode bridges them onto the parent's LAN, l3 routes.
 *
 * Arguments are validated through the topology model before anything is created;
 * every problem is reported at once. The Docker name defaults to `<stack>-<name>`.
 *
 * @example
 * ```ts
 * const net = new IpvlanNetwork("lan", { subnet: "172.30.0.0/24", parent: "eth0" });
 * ```
 */
export class IpvlanNetwork extends DockerNetworkResource {
  constructor(name: string, args: IpvlanNetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:docker:IpvlanNetwork", name, withDriver(args), opts);
  }
}

function withDriver(args: IpvlanNetworkArgs | ValidatedNetwork): IpvlanNetworkDeclaration | ValidatedNetwork {
  return { ...args, driver: "ipvlan" } as IpvlanNetworkDeclaration | ValidatedNetwork;
}
