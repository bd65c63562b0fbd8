import * as pulumi from "@pulumi/pulumi";
import { MacvlanNetworkDeclaration } from "../../model/types";
import { DockerNetworkResource, ValidatedNetwork } from "./network-resource";

/** Arguments of {@link MacvlanNetwork}: the macvlan fields of a network declaration. */
export interface MacvlanNetworkArgs extends Omit<MacvlanNetworkDeclaration, "driver"> {}

/**
 * A macvlan network: each container gets its own MAC address on the parent interface and appears as a physical host on that LAN (the host itself cannot reach its macvlan containers).
 *
 * Arguments are validated through the topology model before anything is created;
 * every problem is reported at once. The Docker name defaults to `<stack>-<name>`.
 *
 * @example
 * ```ts
 * const net = new MacvlanNetwork("lan", { subnet: "172.30.0.0/24", parent: "eth0" });
 * ```
 */
export class MacvlanNetwork extends DockerNetworkResource {
  constructor(name: string, args: MacvlanNetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:docker:MacvlanNetwork", name, withDriver(args), opts);
  }
}

function withDriver(args: MacvlanNetworkArgs | ValidatedNetwork): MacvlanNetworkDeclaration | ValidatedNetwork {
  return { ...args, driver: "macvlan" } as MacvlanNetworkDeclaration | ValidatedNetwork;
}
