import * as docker from "@pulumi/docker";
import { joinPath } from "../../model/paths";
import * as pulumi from "@pulumi/pulumi";
import { parseDeclaration } from "../../model/parse";
import { normalizeTopology } from "../../model/normalize";
import { NetworkDeclaration, NetworkSpec } from "../../model/types";
import { validateTopology } from "../../model/validate";
import { sortIssues } from "../../model/errors";
import { networkInputs } from "./render-network";
import { reportObserved } from "../observe";
import { defaultDockerName, reportIssues } from "./validation";

/** A normalized, already validated network handed over by Topology (not part of the public args). */
export const VALIDATED_SPEC = Symbol("container-topology.validated-spec");

/** Internal: args carrying a validated spec. */
export interface ValidatedNetwork {
  readonly [VALIDATED_SPEC]: NetworkSpec;
}

/**
 * What every network component has in common: the Docker network it renders and
 * its normalized spec. Services take any of them in `networks`.
 */
export abstract class DockerNetworkResource extends pulumi.ComponentResource {
  /** The Docker network (replaced delete-first: its name is fixed); undefined for an external network, which is looked up, never created. */
  public readonly network?: docker.Network;
  /** An external network as the provider finds it (id, driver, IPAM); a missing network fails the preview. */
  public readonly lookup?: pulumi.Output<docker.GetNetworkResult>;
  /** The Docker name of the network. */
  public readonly networkName: pulumi.Output<string>;
  /** The normalized declaration, every default applied. */
  public readonly spec: NetworkSpec;

  protected constructor(type: string, name: string, declaration: NetworkDeclaration | ValidatedNetwork, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.spec = VALIDATED_SPEC in declaration ? declaration[VALIDATED_SPEC] : this.check(type, name, declaration);
    if (!(VALIDATED_SPEC in declaration)) reportObserved({ kind: "network", spec: this.spec });
    if (this.spec.external) {
      this.lookup = docker.getNetworkOutput({ name: this.spec.dockerName }, { parent: this });
      this.networkName = this.lookup.name;
    } else {
      this.network = new docker.Network(name, networkInputs(this.spec), { parent: this, deleteBeforeReplace: true, ...(typeof this.spec.adopt === "string" ? { import: this.spec.adopt } : {}) });
      this.networkName = this.network.name;
    }
    this.registerOutputs({ networkName: this.networkName });
  }

  private check(type: string, name: string, declaration: NetworkDeclaration): NetworkSpec {
    const withName = { ...declaration, name: declaration.name ?? (declaration.external ? name : defaultDockerName(name)) };
    const parsed = parseDeclaration({ networks: { [name]: withName } });
    const topology = normalizeTopology(parsed.raw);
    reportIssues(this, `${type.split(":").pop()} "${name}"`, `${joinPath("networks", name)}.`, sortIssues([...parsed.issues, ...validateTopology(topology, parsed.declared)]));
    return topology.networks[0]!;
  }
}
