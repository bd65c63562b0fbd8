import * as pulumi from "@pulumi/pulumi";
import { creationOrder } from "../model/docker/namespaces";
import { BridgeNetwork } from "./docker/bridge-network";
import { ExternalNetwork } from "./docker/external-network";
import { preflightAgainstEngine } from "./docker/engine-snapshot";
import { IpvlanNetwork } from "./docker/ipvlan-network";
import { MacvlanNetwork } from "./docker/macvlan-network";
import { DockerNetworkResource, VALIDATED_SPEC } from "./docker/network-resource";
import { OverlayNetwork } from "./docker/overlay-network";
import { PublishedService, PublishedServiceArgs } from "./docker/published-service";
import { LocalRegistry, LocalRegistryArgs } from "./docker/local-registry";
import { checkTopology } from "../model/check";
import { consumedComponents, KubernetesComponents, renderKubernetes } from "./kubernetes/cluster-section";
import { ServiceEndpoint } from "../model/docker/endpoints";
import { formatIssue, Issue, TopologyError } from "../model/errors";
import { withIssues } from "./docker/validation";
import { computeReachability, Reachability } from "../model/reachability";
import { NetworkSpec, TopologySpec, TopologyDeclaration } from "../model/types";
import { reportObserved } from "./observe";
import { hostProviders, managerOf } from "./docker/host-providers";

/** Arguments of {@link Topology}. */
export interface TopologyArgs {
  /**
   * The declaration: a TypeScript object or the stack config value (YAML decoded),
   * checked as a whole before anything is created.
   */
  readonly declaration: TopologyDeclaration | unknown;
  /**
   * Prefix of every Docker name (`<prefix>-<key>`).
   * @default - the stack name
   */
  readonly namePrefix?: string;
  /**
   * Where the declaration came from, prefixed to every issue path, e.g.
   * `container-topology:topology` for the stack config key.
   * @default "" (paths relative to the declaration)
   */
  readonly source?: string;
  /**
   * Preflight at `pulumi preview` (and the preview of `pulumi up`): the declaration against the
   * live engine the program sees (DOCKER_HOST, else the default socket) and this host, as
   * `container-topology plan --engine` does: subnets, Docker names and host ports already taken
   * by others, missing macvlan parents, external networks and images. Each problem is logged on
   * this component, errors as errors, so the preview fails before anything is created. An engine
   * that cannot be reached is a warning. Read-only. @default false
   */
  readonly preflight?: boolean;
}

/** Builds the network component of a driver from a validated spec. */
function networkComponent(name: string, spec: NetworkSpec, opts: pulumi.ComponentResourceOptions): DockerNetworkResource {
  const args = { [VALIDATED_SPEC]: spec } as never;
  if (spec.external) return new ExternalNetwork(name, args, opts);
  switch (spec.driver) {
    case "bridge":
      return new BridgeNetwork(name, args, opts);
    case "macvlan":
      return new MacvlanNetwork(name, args, opts);
    case "ipvlan":
      return new IpvlanNetwork(name, args, opts);
    case "overlay":
      return new OverlayNetwork(name, args, opts);
    default: {
      const unreachable: never = spec.driver;
      throw new Error(`unhandled driver ${String(unreachable)}`);
    }
  }
}

/**
 * A whole container network topology: runs parse -> normalize -> validate on the
 * declaration (every issue reported at once, with its path), then renders each
 * network and service through the Docker components. Exposes the endpoints of
 * every published port and the predicted reachability.
 *
 * @example
 * ```ts
 * const topology = new Topology("dev", {
 *   declaration: {
 *     networks: { dev: { subnet: "172.30.0.0/24" } },
 *     services: { web: { image: "nginx:1.27", ports: ["8080:80"], networks: ["dev"] } },
 *   },
 * });
 * export const endpoints = topology.endpoints;
 * ```
 */
export class Topology extends pulumi.ComponentResource {
  /** The normalized model (every default applied). */
  public readonly model: TopologySpec;
  /** Warnings found while checking the declaration. */
  public readonly warnings: readonly Issue[];
  /** Network components, by key. */
  public readonly networks: Readonly<Record<string, DockerNetworkResource>>;
  /** Service components, by key. */
  public readonly services: Readonly<Record<string, PublishedService>>;
  /** The `kubernetes` section's components (cluster services, bridges, the context's provider); undefined when not declared. */
  public readonly kubernetes?: KubernetesComponents;
  /** Local registry components, by key. */
  public readonly registries: Readonly<Record<string, LocalRegistry>>;
  /** Every published port: the address from the host, from containers through the gateway, and over shared networks. */
  public readonly endpoints: pulumi.Output<ServiceEndpoint[]>;
  /** Who reaches whom, and why (see computeReachability). */
  public readonly reachability: Reachability;
  /** The Docker provider of each declared host (`hosts.<key>`); empty without a hosts section. */
  public readonly hostProviders: Readonly<Record<string, pulumi.ProviderResource>>;
  /** Resolves once preflight has logged its issues: true when it ran, false when the engine was out of reach (only with `preflight: true`, at preview). */
  public preflightDone?: pulumi.Output<boolean>;

  constructor(name: string, args: TopologyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:index:Topology", name, {}, opts);
    const checked = this.check(args);
    this.model = checked.topology;
    reportObserved({ kind: "topology", model: this.model });
    this.warnings = checked.warnings;
    const source = args.source ?? "";
    for (const warning of this.warnings) pulumi.log.warn(formatIssue(warning, source), this);

    const hosts = this.model.hosts ?? [];
    this.hostProviders = hostProviders(name, hosts, this);
    // Each object through its host's engine; an overlay through the swarm manager's.
    const on = (host: string | undefined): pulumi.ComponentResourceOptions => {
      const provider = host === undefined ? undefined : this.hostProviders[host];
      return provider ? { parent: this, providers: [provider] } : { parent: this };
    };
    const manager = managerOf(hosts)?.key ?? (hosts.length === 1 ? hosts[0]!.key : undefined);
    const networks: Record<string, DockerNetworkResource> = {};
    for (const spec of this.model.networks) networks[spec.key] = networkComponent(`${name}-${spec.key}`, spec, on(spec.driver === "overlay" && !spec.external ? manager : spec.host));
    // Cluster services and bridges first: consumers wait for the bridges they call.
    const kubernetes = this.model.kubernetes ? renderKubernetes(this, name, this.model.kubernetes) : undefined;
    if (kubernetes) this.kubernetes = kubernetes;
    const services: Record<string, PublishedService> = {};
    for (const spec of creationOrder(this.model.services)) {
      const owner = spec.mode.kind === "container" ? services[spec.mode.service] : undefined;
      const validated = { [VALIDATED_SPEC]: { spec, gateway: this.model.defaultBridge.gateway, networks: spec.attachments.map((a) => networks[a.network]!), ...(owner ? { owner } : {}), bridges: consumedComponents(spec, kubernetes) } };
      services[spec.key] = new PublishedService(`${name}-${spec.key}`, validated as unknown as PublishedServiceArgs, on(spec.host));
    }
    const registries: Record<string, LocalRegistry> = {};
    for (const spec of this.model.registries) {
      const validated = { [VALIDATED_SPEC]: { spec, gateway: this.model.defaultBridge.gateway, networks: spec.attachments.map((a) => networks[a.network]!) } };
      registries[spec.key] = new LocalRegistry(`${name}-${spec.key}`, validated as unknown as LocalRegistryArgs, on(spec.host));
    }
    this.networks = networks;
    this.services = services;
    this.registries = registries;
    this.endpoints = pulumi
      .all(Object.values(services).map((s) => s.endpoints))
      .apply((lists) => [...lists.flat(), ...Object.values(registries).flatMap((r) => r.endpoints)]);
    this.reachability = checked.reachability ?? computeReachability(this.model);
    if (args.preflight && pulumi.runtime.isDryRun()) this.preflight(source);
    // reachability stays a plain property: as an output it would put every edge (137k at 4000 services) into the state checkpoint.
    // The preview waits for registered outputs: preflight's logs are part of it.
    this.registerOutputs({ endpoints: this.endpoints, ...(this.preflightDone ? { preflight: this.preflightDone } : {}) });
  }

  /** Logs preflight's issues against the live engine on this component (errors fail the preview). */
  private preflight(source: string): void {
    const logged = preflightAgainstEngine(this.model).then((answer) => {
      if ("skipped" in answer) {
        pulumi.log.warn(answer.skipped, this);
        return false;
      }
      for (const issue of answer.issues) {
        if (issue.severity === "error") pulumi.log.error(formatIssue(issue, source), this);
        else pulumi.log.warn(formatIssue(issue, source), this);
      }
      // Logged errors alone do not fail a preview: the program must.
      const errors = answer.issues.filter((i) => i.severity === "error").length;
      if (errors > 0) throw new pulumi.RunError(`preflight: ${errors} problem${errors > 1 ? "s" : ""} with what exists on ${answer.engine} (listed above); nothing was created`);
      return true;
    });
    this.preflightDone = pulumi.output(logged);
  }

  private check(args: TopologyArgs) {
    try {
      return checkTopology(args.declaration, { namePrefix: args.namePrefix ?? pulumi.getStack() });
    } catch (err) {
      if (!TopologyError.isInstance(err)) throw err;
      const source = args.source ?? "";
      const described = new TopologyError(err.issues, `invalid topology${source ? ` in ${source}` : ""}`, source);
      throw withIssues(new pulumi.ResourceError(described.message, this), err.issues);
    }
  }
}
