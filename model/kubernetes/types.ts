/**
 * The `kubernetes` section of a topology: cluster services (Deployment +
 * Service) and the bridges that make them reachable from Docker containers.
 * Declarations (`*Declaration`, what users write) and their normalized form
 * (`*Spec`). Pure types: never imports `@pulumi/*`.
 */
import type { HostMapping, Passthrough, PortDeclaration, Protocol } from "../types";
import type { ClusterNodesDeclaration, ClusterNodesSpec, ContainerNodesDeclaration, NodePublishSpec } from "./nodes";
import type { ClusterRegistryDeclaration, ClusterRegistrySpec } from "./registry";

/** How a Kubernetes Service is exposed (`spec.type`). */
export const ClusterServiceType = {
  /** A virtual IP inside the cluster only. */
  ClusterIP: "ClusterIP",
  /** ClusterIP plus a port (30000-32767) on every node. */
  NodePort: "NodePort",
  /** NodePort plus an external load balancer (on local clusters: the node's address, or pending). */
  LoadBalancer: "LoadBalancer",
} as const;
/** One of {@link ClusterServiceType}. */
export type ClusterServiceType = (typeof ClusterServiceType)[keyof typeof ClusterServiceType];

/** How a {@link ClusterBridgeDeclaration} exposes a cluster Service on the node. */
export const BridgeVia = {
  /** A NodePort Service (kube-proxy serves the port on the node's addresses). */
  NodePort: "nodePort",
  /** A HostPortProxy DaemonSet binding a hostPort on every node and forwarding to the Service. */
  HostPort: "hostPort",
} as const;
/** One of {@link BridgeVia}. */
export type BridgeVia = (typeof BridgeVia)[keyof typeof BridgeVia];

/** The range kube-apiserver allocates node ports from (`--service-node-port-range`). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** Protocols as written in a declaration: Docker's lowercase form or Kubernetes' uppercase one. */
export type ClusterProtocolDeclaration = Protocol | "TCP" | "UDP" | "SCTP";

/** One port of a cluster service: the Service port, the container port behind it, and how the node exposes it. */
export interface ClusterPortDeclaration {
  /**
   * Port name: a DNS-1123 label of at most 15 characters (it names the container
   * port too). Required when the service has more than one port.
   */
  readonly name?: string;
  /** Port of the Service (`spec.ports[].port`). 1-65535. */
  readonly port: number;
  /** Port the container listens on (`containerPort`, the Service's `targetPort`). 1-65535. @default - `port` */
  readonly targetPort?: number;
  /**
   * Fixed node port, 30000-32767, unique across the topology. Only for `type`
   * NodePort or LoadBalancer. @default - allocated by Kubernetes
   */
  readonly nodePort?: number;
  /** @default "tcp" */
  readonly protocol?: ClusterProtocolDeclaration;
  /** Application protocol (`appProtocol`), e.g. `http`, `kubernetes.io/h2c`. */
  readonly appProtocol?: string;
  /**
   * Port bound on the node that runs the pod (`containerPort.hostPort`), through
   * the CNI portmap plugin. Two pods on one node cannot bind the same one.
   */
  readonly hostPort?: number;
  /** Node address the hostPort binds (`containerPort.hostIP`); requires `hostPort`. @default - every address of the node */
  readonly hostIP?: string;
}

/** A readiness probe: an HTTP GET when `path` is set, a TCP connect otherwise. */
export interface ReadinessProbeDeclaration {
  /** Container port number or port name. @default - the first port's targetPort */
  readonly port?: number | string;
  /** HTTP path; without it the probe only opens a TCP connection. */
  readonly path?: string;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
}

/** A workload in the cluster: one Deployment and the Service in front of it. */
export interface ClusterServiceDeclaration {
  /** Container image. May be a pulumi Output. */
  readonly image: Passthrough<string>;
  /** Name of the Deployment, the Service and the container. A DNS-1035 label. @default - the key */
  readonly name?: string;
  /** Namespace. @default - the section's `namespace` ("default") */
  readonly namespace?: string;
  /** Service type. @default "ClusterIP" */
  readonly type?: ClusterServiceType;
  /** Ports of the Service and the container. */
  readonly ports?: readonly ClusterPortDeclaration[];
  /** Pod replicas. @default 1 */
  readonly replicas?: number;
  /** Container entrypoint override (`command`). */
  readonly command?: readonly string[];
  /** Container arguments (`args`). */
  readonly args?: readonly string[];
  /** Environment variables; values may be pulumi Outputs. */
  readonly env?: Readonly<Record<string, Passthrough<string>>>;
  /** Extra pod template labels. They must not change a selector key. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The Deployment's and the Service's selector; always part of the pod
   * template labels, and must not select another service's pods.
   * @default `{"app.kubernetes.io/name": <name>}`
   */
  readonly selector?: Readonly<Record<string, string>>;
  /**
   * Extra `/etc/hosts` entries of the pods (`hostAliases`), written like Docker
   * extra hosts (`{host, ip}` or `"host:ip"`), so one list serves both. The
   * address must be an IP: `host-gateway` is a Docker keyword.
   */
  readonly hostAliases?: readonly (HostMapping | string)[];
  /**
   * Runs the pods in the node's network namespace: every container port is then
   * bound on the node. Opt-in only. @default false
   */
  readonly hostNetwork?: boolean;
  /** Readiness probe of the container. @default - none */
  readonly readinessProbe?: ReadinessProbeDeclaration;
}

/**
 * Makes a cluster Service reachable from Docker containers: exposes it on the
 * node (a NodePort, or a hostPort proxy) on an address containers reach through
 * `host.docker.internal`, and hands consumers the URL.
 */
export interface ClusterBridgeDeclaration {
  /** Key of the cluster service (`kubernetes.services.<key>`). */
  readonly service: string;
  /** The Service port to expose, by number or name. @default - the service's only port */
  readonly port?: number | string;
  /** @default "nodePort" */
  readonly via?: BridgeVia;
  /**
   * `via: nodePort`: the node port, 30000-32767. When the service is of type
   * NodePort/LoadBalancer with a nodePort on that port, that one is used (and
   * this must be left out or equal). Otherwise the bridge creates its own
   * NodePort Service and this is required.
   */
  readonly nodePort?: number;
  /** `via: hostPort`: the port the proxy binds on every node. Required with `via: hostPort`. */
  readonly hostPort?: number;
  /**
   * The node address the port is served on; what containers dial through the
   * host gateway. `0.0.0.0` (every address) or the bridge gateway; a loopback
   * address alone is refused, containers never reach it. With `via: nodePort`
   * this declares kube-proxy's `--nodeport-addresses`; with `via: hostPort` it
   * is the proxy's hostIP. @default "0.0.0.0"
   */
  readonly bindAddress?: string;
  /** Environment variable consumers get the URL in (each consumer may rename it). @default - `<KEY>_URL`, e.g. `API_URL` */
  readonly env?: string;
  /** URL scheme. @default "http" */
  readonly scheme?: string;
  /** Name of the objects the bridge creates (NodePort Service or proxy DaemonSet). @default `<key>-bridge` */
  readonly name?: string;
  /** Image of the hostPort proxy. @default - the HostPortProxy default (socat) */
  readonly proxyImage?: string;
}

/** The `kubernetes` section of a topology. */
export interface KubernetesDeclaration {
  /**
   * Path of the kubeconfig file to deploy with (`~/` is the home directory), e.g. the one
   * `scripts/kube-start.sh` prints. Topology creates a kubernetes Provider for it.
   * @default - the provider passed in the resource options, or the ambient kubeconfig (`KUBECONFIG`, `~/.kube/config`)
   */
  readonly kubeconfig?: string;
  /** kubeconfig context to deploy to; Topology creates a kubernetes Provider for it. @default - the kubeconfig's current context */
  readonly context?: string;
  /** Namespace of every object without its own. @default "default" */
  readonly namespace?: string;
  /** Cluster services by key. */
  readonly services?: Readonly<Record<string, ClusterServiceDeclaration>>;
  /** Bridges by key (Docker services consume them by this key). */
  readonly bridges?: Readonly<Record<string, ClusterBridgeDeclaration>>;
  /** A registry in the cluster behind a node proxy, as minikube's registry addon (rendered by ClusterRegistry). */
  readonly registry?: ClusterRegistryDeclaration;
  /**
   * Where the nodes run: `host` (this machine: kubeadm, k3s, `minikube --driver=none`, scripts/kube-start.sh),
   * or the node container of kind / minikube's docker driver, whose node ports the host reaches only
   * through what the container publishes. @default "host"
   */
  readonly nodes?: ClusterNodesDeclaration;
}

/** A Docker service's use of a bridge: the bridge key, or the key and the env var name. */
export type ConsumeDeclaration = string | { readonly bridge: string; readonly env?: string };

// ---------------------------------------------------------------------------
// Raw (parsed) and Spec (normalized)
// ---------------------------------------------------------------------------

/** A cluster service after parsing: host aliases as objects. */
export interface RawClusterService extends Omit<ClusterServiceDeclaration, "hostAliases"> {
  readonly hostAliases?: readonly HostMapping[];
}

/** The `kubernetes` section after parsing. */
export interface RawKubernetes {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly services?: Readonly<Record<string, RawClusterService>>;
  readonly bridges?: Readonly<Record<string, ClusterBridgeDeclaration>>;
  readonly registry?: ClusterRegistryDeclaration;
  readonly nodes?: "host" | (Omit<ContainerNodesDeclaration, "ports"> & { readonly ports?: readonly PortDeclaration[] });
}

/** A normalized cluster port. */
export interface ClusterPortSpec {
  /** Index in the declaration's `ports`, for paths. */
  readonly index: number;
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number;
  readonly nodePort?: number;
  /** Lowercase, as Docker's. */
  readonly protocol: Protocol;
  readonly appProtocol?: string;
  readonly hostPort?: number;
  readonly hostIP?: string;
}

/** A normalized readiness probe. */
export interface ReadinessProbeSpec {
  /** Port number or name; undefined when neither declared nor derivable (reported by validation). */
  readonly port?: number | string;
  readonly path?: string;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

/** A normalized cluster service. */
export interface ClusterServiceSpec {
  readonly key: string;
  /** Name of the Deployment, Service and container. */
  readonly name: string;
  readonly namespace: string;
  readonly image: Passthrough<string>;
  readonly type: ClusterServiceType;
  readonly ports: readonly ClusterPortSpec[];
  readonly replicas: number;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, Passthrough<string>>>;
  /** The selector of the Deployment and the Service. */
  readonly selector: Readonly<Record<string, string>>;
  /** The pod template labels: the managed-by label, the selector, then the declared labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels as declared (for the selector check). */
  readonly declaredLabels: Readonly<Record<string, string>>;
  /** In declaration order (`/etc/hosts` entries). */
  readonly hostAliases: readonly HostMapping[];
  readonly hostNetwork: boolean;
  readonly readinessProbe?: ReadinessProbeSpec;
  /** `<name>.<namespace>.svc.cluster.local`. */
  readonly clusterDns: string;
}

/** A normalized bridge. */
export interface ClusterBridgeSpec {
  readonly key: string;
  /** Key of the cluster service. */
  readonly service: string;
  /** Name of the NodePort Service or proxy DaemonSet the bridge creates. */
  readonly name: string;
  readonly namespace: string;
  /** The Kubernetes name of the target Service. */
  readonly serviceName: string;
  /** The Service port exposed; undefined when it does not resolve (reported by validation). */
  readonly servicePort?: number;
  /** Index of that port in the service's `ports`. */
  readonly portIndex?: number;
  /** The container port behind it. */
  readonly targetPort?: number;
  readonly protocol: Protocol;
  readonly via: BridgeVia;
  /** `via: nodePort`: the node port. */
  readonly nodePort?: number;
  /** `via: nodePort`: true when the bridge creates its own NodePort Service (the target service does not expose that node port itself). */
  readonly createsService: boolean;
  /** `via: hostPort`: the port bound on each node. */
  readonly hostPort?: number;
  /** The port on the node: the node port or the host port. */
  readonly exposedPort?: number;
  /** The port containers and the host dial: `exposedPort` on host nodes, the port the node container publishes it on otherwise. */
  readonly dialPort?: number;
  /** Container nodes: the node container's publish of `exposedPort`, when there is one. */
  readonly nodePublish?: NodePublishSpec;
  /** Container nodes without a publish of the port: only members of the node's Docker network reach it, by the node's name. */
  readonly nodeNetworkOnly: boolean;
  readonly bindAddress: string;
  /** What a container dials: `host.docker.internal` for 0.0.0.0 or the bridge gateway, otherwise the address. */
  readonly containerHost: string;
  /** What the host dials: `localhost` for 0.0.0.0, otherwise the address. */
  readonly hostHost: string;
  readonly scheme: string;
  /** Environment variable name consumers get by default. */
  readonly env: string;
  /** `<scheme>://<containerHost>:<dialPort>`, when the port is known (`<scheme>://<node container>:<exposedPort>` when `nodeNetworkOnly`). */
  readonly url?: string;
  /** `<scheme>://<hostHost>:<dialPort>`, when the port is known and the host reaches it. */
  readonly hostUrl?: string;
  readonly proxyImage?: string;
  /** The selector of the target service's pods (for the bridge's own NodePort Service). */
  readonly selector: Readonly<Record<string, string>>;
  /** The port fields as declared, before defaults (for validation messages). */
  readonly declared: { readonly port?: number | string; readonly nodePort?: number; readonly hostPort?: number };
}

/** A Docker service's normalized use of a bridge. */
export interface ConsumeSpec {
  /** Index in the declaration's `consumes`, for paths. */
  readonly index: number;
  /** Bridge key. */
  readonly bridge: string;
  /** Environment variable that receives the URL. */
  readonly env: string;
  /** The URL (undefined when the bridge is unknown or its port is). */
  readonly url?: Passthrough<string>;
  /** True when the bridge was found. */
  readonly resolved: boolean;
}

/** The normalized `kubernetes` section. */
export interface KubernetesSpec {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace: string;
  readonly services: readonly ClusterServiceSpec[];
  readonly bridges: readonly ClusterBridgeSpec[];
  readonly registry?: ClusterRegistrySpec;
  readonly nodes: ClusterNodesSpec;
}
