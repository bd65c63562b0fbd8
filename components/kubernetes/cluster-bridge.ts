import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { hostGatewayMapping } from "../docker/host-gateway";
import { VALIDATED_SPEC } from "../docker/network-resource";
import { reportIssues } from "../docker/validation";
import { sortIssues } from "../../model/errors";
import { isWildcard } from "../../model/ip";
import { normalizeBridge } from "../../model/kubernetes/normalize";
import { ClusterNodesDeclaration } from "../../model/kubernetes/nodes";
import { BridgeVia, ClusterBridgeDeclaration, ClusterBridgeSpec, ClusterServiceSpec } from "../../model/kubernetes/types";
import { normalizeTopology } from "../../model/normalize";
import { parseDeclaration } from "../../model/parse";
import { joinPath } from "../../model/paths";
import { HostMapping } from "../../model/types";
import { validateTopology } from "../../model/validate";
import { ClusterService } from "./cluster-service";
import { HostPortProxy } from "./host-port-proxy";
import { bridgeServiceArgs } from "./render-cluster";

/**
 * Arguments of {@link ClusterBridge}: the declaration of one
 * `kubernetes.bridges` entry, with the target service as a component.
 */
export interface ClusterBridgeArgs extends Omit<ClusterBridgeDeclaration, "service"> {
  /** The cluster service to make reachable from Docker containers. */
  readonly service: ClusterService;
  /**
   * The address `host.docker.internal` resolves to in containers (the default
   * bridge's gateway, dockerd's `bip`); a `bindAddress` equal to it is dialled
   * by that name.
   * @default "172.17.0.1"
   */
  readonly gateway?: string;
  /**
   * Where the cluster's nodes run: `host`, or the node container of kind / minikube's docker driver
   * and the ports it publishes (the URL then uses the published port, or the node's name on its network).
   * @default "host"
   */
  readonly nodes?: ClusterNodesDeclaration;
}

/** Internal: a bridge Topology has already validated, with its target. */
interface ValidatedBridge {
  readonly [VALIDATED_SPEC]: { readonly spec: ClusterBridgeSpec; readonly service: ClusterService };
}

/**
 * Makes a cluster Service reachable from Docker containers, the declared form
 * of `kubectl port-forward --address 0.0.0.0` plus
 * `--add-host host.docker.internal:host-gateway`: exposes the Service on the
 * node, through a NodePort (`via: "nodePort"`, the default: the target's own
 * node port when it has one, else a NodePort Service of the bridge's own) or a
 * {@link HostPortProxy} DaemonSet (`via: "hostPort"`), on an address
 * containers reach (0.0.0.0 or the bridge gateway; loopback alone is refused,
 * as inside a container `localhost` is the container). Consumers get
 * {@link extraHost} and {@link url}; a PublishedService takes
 * `consumes: [bridge]` and gets both injected.
 *
 * @example
 * ```ts
 * const api = new ClusterService("api", { image: "acme/api:1.4", ports: [{ port: 80, targetPort: 8080 }] });
 * const bridge = new ClusterBridge("api", { service: api, nodePort: 30080 });
 * new PublishedService("hurl", { image: "ghcr.io/orange-opensource/hurl:6", consumes: [{ bridge, env: "API_URL" }] });
 * // hurl gets API_URL=http://host.docker.internal:30080 and host.docker.internal:host-gateway
 * ```
 */
export class ClusterBridge extends pulumi.ComponentResource {
  /** The normalized declaration. */
  public readonly spec: ClusterBridgeSpec;
  /** The NodePort Service the bridge created (`via: "nodePort"` when the target has no node port of its own). */
  public readonly nodePortService?: k8s.core.v1.Service;
  /** The hostPort proxy (`via: "hostPort"`). */
  public readonly proxy?: HostPortProxy;
  /** The `/etc/hosts` entry consumers need: `host.docker.internal:host-gateway`. */
  public readonly extraHost: HostMapping;
  /** The port on the node: the node port or the host port. */
  public readonly port: number;
  /** The environment variable consumers get the URL in, unless they rename it. */
  public readonly env: string;
  /** The URL for containers, e.g. `http://host.docker.internal:30080`; depends on the objects exposing the port. */
  public readonly url: pulumi.Output<string>;
  /** The URL for the host, e.g. `http://localhost:30080`. */
  public readonly hostUrl: pulumi.Output<string>;

  constructor(name: string, args: ClusterBridgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:kubernetes:ClusterBridge", name, {}, opts);
    const validated = (args as ClusterBridgeArgs | ValidatedBridge as Partial<ValidatedBridge>)[VALIDATED_SPEC];
    const target = validated?.service ?? args.service;
    this.spec = validated?.spec ?? this.check(name, args);
    const spec = this.spec;
    if (spec.via === BridgeVia.NodePort && spec.createsService) {
      this.nodePortService = new k8s.core.v1.Service(name, bridgeServiceArgs(spec, target.spec), { parent: this, deleteBeforeReplace: true, dependsOn: [target] });
    } else if (spec.via === BridgeVia.HostPort) {
      this.proxy = new HostPortProxy(
        name,
        {
          name: spec.name,
          namespace: spec.namespace,
          serviceName: spec.serviceName,
          serviceNamespace: spec.namespace,
          servicePort: spec.servicePort!,
          hostPort: spec.hostPort!,
          ...(isWildcard(spec.bindAddress) ? {} : { hostIp: spec.bindAddress }),
          ...(spec.proxyImage !== undefined ? { image: spec.proxyImage } : {}),
        },
        { parent: this, dependsOn: [target] },
      );
    }
    this.extraHost = { ...hostGatewayMapping };
    this.port = spec.exposedPort!;
    this.env = spec.env;
    // The URLs are known from the declaration; deriving them from the URN of what exposes the port makes consumers depend on it.
    const exposer: pulumi.Resource = this.nodePortService ?? this.proxy ?? target.service ?? target;
    this.url = exposer.urn.apply(() => spec.url!);
    this.hostUrl = exposer.urn.apply(() => spec.hostUrl!);
    this.registerOutputs({ url: this.url, hostUrl: this.hostUrl, port: this.port, env: this.env });
  }

  private check(name: string, args: ClusterBridgeArgs): ClusterBridgeSpec {
    const { service, gateway: gatewayArg, nodes: nodesArg, ...fields } = args;
    const target: ClusterServiceSpec = service.spec;
    const declaration = { ...fields, service: target.key };
    const parsed = parseDeclaration({ kubernetes: { namespace: target.namespace, ...(nodesArg !== undefined ? { nodes: nodesArg } : {}), bridges: { [name]: declaration } } });
    const normalized = normalizeTopology(parsed.raw);
    const gateway = gatewayArg ?? normalized.defaultBridge.gateway;
    const nodes = normalized.kubernetes?.nodes ?? { kind: "host" as const };
    const raw = parsed.raw.kubernetes?.bridges?.[name];
    const spec = raw ? normalizeBridge(name, raw, new Map([[target.key, target]]), gateway, target.namespace, nodes) : undefined;
    const topology = {
      ...normalized,
      defaultBridge: { ...normalized.defaultBridge, gateway },
      kubernetes: { namespace: target.namespace, services: [target], bridges: spec ? [spec] : [], nodes },
    };
    const declared = { ...parsed.declared, clusterServices: new Set([target.key]) };
    // The target was validated when it was created: only this bridge's issues count.
    const at = joinPath("kubernetes", "bridges", name);
    const own = (path: string) => [at, joinPath("kubernetes", "nodes")].some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
    const issues = validateTopology(topology, declared).filter((i) => own(i.path));
    reportIssues(this, `ClusterBridge "${name}"`, `${at}.`, sortIssues([...parsed.issues, ...issues]));
    return spec!;
  }
}
