import * as pulumi from "@pulumi/pulumi";
import { NetworkDeclaration, NetworkDriver } from "../../model/types";
import { DockerNetworkResource, ValidatedNetwork } from "./network-resource";

/** Arguments of {@link ExternalNetwork}: how to find the network, and what kind it is. */
export interface ExternalNetworkArgs {
  /** Docker name of the network. @default - the component's name */
  readonly name?: string;
  /** Its driver, for reachability (a macvlan/ipvlan member has no path to the host). @default "bridge" */
  readonly driver?: NetworkDriver;
}

/**
 * A network that exists already and is not ours (kind's `kind`, another compose project's): looked
 * up through the provider (`docker.getNetwork`) at preview, so a missing one fails before anything
 * is created; never created, changed or deleted. Services join it like any other network.
 *
 * @example
 * ```ts
 * const kind = new ExternalNetwork("kind");   // kind's network: the registry joins it, as kind's local-registry recipe does
 * ```
 */
export class ExternalNetwork extends DockerNetworkResource {
  constructor(name: string, args: ExternalNetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    // Topology hands a validated spec over (VALIDATED_SPEC, a symbol key the spread keeps).
    super("container-topology:docker:ExternalNetwork", name, { ...args, external: true } as NetworkDeclaration | ValidatedNetwork, opts);
  }
}
