/**
 * `kubernetes.nodes`: where the cluster's nodes run, which decides where a node port or a hostPort
 * is reachable. On a cluster whose nodes are this machine (kubeadm, k3s, `minikube --driver=none`,
 * scripts/kube-start.sh) a node port is on the host's addresses. On kind and minikube's docker
 * driver the nodes are Docker containers: a node port is on the node container's address, reached
 * by the node's name from its Docker network, or from the host and other containers only through a
 * port the node container publishes (kind's `extraPortMappings`). Pure: never imports `@pulumi/*`.
 */
import type { PortDeclaration, Protocol } from "../types";

/** Nodes that are Docker containers (kind, minikube with the docker driver). */
export interface ContainerNodesDeclaration {
  /** The node container's name, e.g. `kind-control-plane`, `minikube`. */
  readonly container: string;
  /** The Docker network it is on, e.g. `kind`, `minikube`. */
  readonly network: string;
  /**
   * Ports the node container publishes on the host, in `docker run -p` form: `[hostIp:]hostPort:nodePort[/protocol]`
   * (kind: `extraPortMappings` with `listenAddress`, `hostPort`, `containerPort`). hostIp defaults to
   * `0.0.0.0`, kind's default listenAddress.
   */
  readonly ports?: readonly (string | PortDeclaration)[];
}

/** `host` (the default: the nodes are this machine) or the node container. */
export type ClusterNodesDeclaration = "host" | ContainerNodesDeclaration;

/** A port the node container publishes: `target` is the port inside the node (a node port or hostPort). */
export interface NodePublishSpec {
  /** Index in `nodes.ports`, for paths. */
  readonly index: number;
  readonly hostIp: string;
  readonly published: number;
  readonly target: number;
  readonly protocol: Protocol;
}

/** Normalized `kubernetes.nodes`. */
export type ClusterNodesSpec =
  | { readonly kind: "host" }
  | { readonly kind: "containers"; readonly container: string; readonly network: string; readonly ports: readonly NodePublishSpec[] };

/** kind's default `listenAddress`, and Docker's default for `-p` without an address. */
export const NODE_PUBLISH_DEFAULT_IP = "0.0.0.0";

/** Applies the defaults of `kubernetes.nodes` (ports already parsed to objects). */
export function normalizeNodes(raw: "host" | (Omit<ContainerNodesDeclaration, "ports"> & { readonly ports?: readonly PortDeclaration[] }) | undefined): ClusterNodesSpec {
  if (raw === undefined || raw === "host") return { kind: "host" };
  return {
    kind: "containers",
    container: raw.container,
    network: raw.network,
    ports: (raw.ports ?? []).map((p, index) => ({
      index,
      hostIp: p.hostIp ?? NODE_PUBLISH_DEFAULT_IP,
      published: p.published ?? p.target,
      target: p.target,
      protocol: (p.protocol ?? "tcp") as Protocol,
    })),
  };
}

/** The node container's publish of a port inside the node, when there is one. */
export function nodePublish(nodes: ClusterNodesSpec, port: number, protocol: Protocol): NodePublishSpec | undefined {
  return nodes.kind === "containers" ? nodes.ports.find((p) => p.target === port && p.protocol === protocol) : undefined;
}
