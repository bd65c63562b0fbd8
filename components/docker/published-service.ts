import * as docker from "@pulumi/docker";
import { joinPath } from "../../model/paths";
import * as pulumi from "@pulumi/pulumi";
import { serviceEndpoints, ServiceEndpoint } from "../../model/docker/endpoints";
import { sortIssues } from "../../model/errors";
import { normalizeTopology } from "../../model/normalize";
import { parseDeclaration } from "../../model/parse";
import { NetworkAttachmentDeclaration, ServiceDeclaration, ServiceSpec } from "../../model/types";
import { validateTopology } from "../../model/validate";
import { BridgeConsumption, consumedBridges } from "../kubernetes/consumes";
import { DockerNetworkResource, VALIDATED_SPEC } from "./network-resource";
import { assignedHostPorts, containerInputs, containerOptions } from "./render-container";
import { reportObserved } from "../observe";
import { defaultDockerName, reportIssues } from "./validation";

/** Joining a network with aliases or static addresses. */
export interface ServiceNetworkAttachment extends NetworkAttachmentDeclaration {
  /** The network to join (any network component of this library). */
  readonly network: DockerNetworkResource;
}

/**
 * Arguments of {@link PublishedService}: a service declaration whose networks
 * and `container:X` target are components, so the dependencies are real.
 */
export interface PublishedServiceArgs extends Omit<ServiceDeclaration, "networks" | "networkMode" | "consumes"> {
  /**
   * Networks to join, plain or with aliases and static addresses. The service
   * also answers to its resource name on each of them.
   * Mutually exclusive with `networkMode`.
   * @default [] (the default bridge)
   */
  readonly networks?: readonly (DockerNetworkResource | ServiceNetworkAttachment)[];
  /**
   * `"bridge"` (the default bridge: no DNS), `"host"` (the host's network stack:
   * no published ports), `"none"` (no network), or another PublishedService
   * whose network namespace this one joins (`container:X`: shared localhost).
   * Mutually exclusive with `networks`.
   * @default - the declared networks, or the default bridge when there are none
   */
  readonly networkMode?: "bridge" | "host" | "none" | PublishedService;
  /**
   * Cluster services this container calls, through ClusterBridges: each
   * bridge's URL goes in an environment variable (the bridge's `env`, e.g.
   * `API_URL`, unless `{bridge, env}` names it), `host.docker.internal:host-gateway`
   * is added (even with `hostGateway: false`), and the container waits for the bridges.
   * @default []
   */
  readonly consumes?: readonly BridgeConsumption[];
}

/** Internal: a service Topology has already validated. */
interface ValidatedService {
  readonly [VALIDATED_SPEC]: { readonly spec: ServiceSpec; readonly gateway: string; readonly networks: readonly DockerNetworkResource[]; readonly owner?: PublishedService; readonly bridges?: readonly pulumi.Resource[] };
}

function isAttachment(entry: DockerNetworkResource | ServiceNetworkAttachment): entry is ServiceNetworkAttachment {
  return !(entry instanceof DockerNetworkResource);
}

/**
 * A container with published ports, network aliases, static addresses, extra
 * hosts and a network mode. Published ports bind 127.0.0.1 unless a `hostIp` is
 * given, `host.docker.internal` resolves to the host gateway unless
 * `hostGateway: false`, the Docker name is `<stack>-<name>`, and the container
 * is replaced delete-first and whenever a network it sits on is replaced.
 *
 * @example
 * ```ts
 * const dev = new BridgeNetwork("dev", { subnet: "172.30.0.0/24" });
 * const web = new PublishedService("web", {
 *   image: "nginx:1.27",
 *   ports: [{ target: 80, published: 8080 }],
 *   networks: [{ network: dev, aliases: ["www"] }],
 * });
 * ```
 */
export class PublishedService extends pulumi.ComponentResource {
  /** The Docker container. */
  public readonly container: docker.Container;
  /** The container's Docker name. */
  public readonly containerName: pulumi.Output<string>;
  /** The normalized service, every default applied. */
  public readonly spec: ServiceSpec;
  /** Where each published port is reached from the host, from containers through the host gateway, and over shared networks. */
  public readonly endpoints: pulumi.Output<ServiceEndpoint[]>;

  constructor(name: string, args: PublishedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:docker:PublishedService", name, {}, opts);
    const validated = (args as PublishedServiceArgs | ValidatedService) as Partial<ValidatedService>;
    const resolved = validated[VALIDATED_SPEC] ?? this.check(name, args);
    this.spec = resolved.spec;
    if (validated[VALIDATED_SPEC] === undefined) reportObserved({ kind: "service", spec: this.spec });
    const networkNames = new Map(resolved.networks.map((n) => [n.spec.key, n.networkName] as const));
    const inputs = containerInputs(this.spec, { networkNames, ...(resolved.owner ? { namespaceOwner: resolved.owner.container.id } : {}) });
    this.container = new docker.Container(name, inputs, {
      ...containerOptions(this.spec),
      parent: this,
      // The name and any fixed host port are unique handles: the old container must go first.
      deleteBeforeReplace: true,
      // Docker cannot remove a network with active endpoints, and a recreated network needs its containers re-attached.
      replaceWith: [...resolved.networks.flatMap((n) => (n.network ? [n.network] : [])), ...(resolved.owner ? [resolved.owner.container] : [])],
      ...(resolved.bridges && resolved.bridges.length > 0 ? { dependsOn: [...resolved.bridges] } : {}),
    });
    this.containerName = this.container.name;
    this.endpoints = this.container.ports.apply((ports) => serviceEndpoints(this.spec, resolved.gateway, assignedHostPorts(this.spec, ports ?? []), resolved.networks.map((n) => n.spec)));
    // Standalone, the component's outputs are its record in the state. Under a Topology they would repeat
    // what the Topology registers (every endpoint) and keep a set of outputs alive per container: about
    // 55 MiB at 4,000 services (bench/results-real.md).
    this.registerOutputs(validated[VALIDATED_SPEC] === undefined ? { containerName: this.containerName, endpoints: this.endpoints } : {});
  }

  private check(name: string, args: PublishedServiceArgs): ValidatedService[typeof VALIDATED_SPEC] {
    const entries = args.networks ?? [];
    const networks = entries.map((e) => (isAttachment(e) ? e.network : e));
    const attachments = Object.fromEntries(
      entries.map((e) => {
        if (!isAttachment(e)) return [e.spec.key, {}];
        const { network, ...attachment } = e;
        return [network.spec.key, attachment];
      }),
    );
    const mode = args.networkMode;
    const owner = mode instanceof PublishedService ? mode : undefined;
    const { networks: _ignored, networkMode: _mode, consumes, ...rest } = args;
    const consumed = consumedBridges(consumes);
    const declaration = {
      ...rest,
      name: args.name ?? defaultDockerName(name),
      ...(entries.length > 0 ? { networks: attachments } : {}),
      ...(mode === undefined ? {} : { networkMode: owner ? `container:${owner.spec.key}` : mode }),
      ...(consumed.requests.length > 0 ? { consumes: consumed.requests } : {}),
    };
    const parsed = parseDeclaration({ services: { [name]: declaration } });
    const normalized = normalizeTopology(parsed.raw, { bridges: consumed.offers });
    const topology = { ...normalized, networks: networks.map((n) => n.spec), services: [...normalized.services, ...(owner ? [owner.spec] : [])] };
    // The owner was validated when it was created: its networks count as declared here.
    const ownerNetworks = owner ? owner.spec.attachments.map((a) => a.network) : [];
    const declared = { networks: new Set([...networks.map((n) => n.spec.key), ...ownerNetworks]), services: new Set([name, ...(owner ? [owner.spec.key] : [])]) };
    reportIssues(this, `PublishedService "${name}"`, `${joinPath("services", name)}.`, sortIssues([...parsed.issues, ...validateTopology(topology, declared)]));
    const spec = normalized.services.find((s) => s.key === name)!;
    return { spec, gateway: normalized.defaultBridge.gateway, networks, ...(owner ? { owner } : {}), ...(consumed.resources.length > 0 ? { bridges: consumed.resources } : {}) };
  }
}
