/**
 * `kubernetes.registry`: a registry inside the cluster (the minikube registry addon's shape), as a
 * declaration and its normalized form. Rendered by the ClusterRegistry component, whose defaults
 * these are. Pure: never imports `@pulumi/*`.
 */
import { REGISTRY_DEFAULTS } from "../registry/args";

/** Namespaces every cluster has: a registry in one of them does not create it. */
export const BUILT_IN_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** The node proxy of a cluster registry (a HostPortProxy DaemonSet). */
export interface ClusterRegistryProxyDeclaration {
  /** Port bound on every node; minikube's addon uses 5000. 1-65535. @default 5001 */
  readonly hostPort?: number;
  /** Node address the port binds. @default - every address of the node */
  readonly hostIp?: string;
  /** DaemonSet name (an RFC 1123 label). @default `<name>-proxy` */
  readonly name?: string;
  /** socat image. @default "alpine/socat:1.8.0.0" */
  readonly image?: string;
}

/** `kubernetes.registry`: a registry Deployment, its storage claim, Service, node proxy and KEP-1755 ConfigMap. */
export interface ClusterRegistryDeclaration {
  /** Name of the Deployment, Service and claim (an RFC 1035 label). @default "registry" */
  readonly name?: string;
  /** Namespace of the registry. @default "registry" */
  readonly namespace?: string;
  /** Creates the namespace. @default - true, except for the namespaces every cluster has (`default`, `kube-system`, `kube-public`, `kube-node-lease`) */
  readonly createNamespace?: boolean;
  /** Registry image. @default "registry:2" */
  readonly image?: string;
  /** Size of the storage claim. @default "10Gi" */
  readonly storageSize?: string;
  /** Storage class of the claim. @default - the cluster's default class */
  readonly storageClassName?: string;
  /** Keeps the claim (and a namespace created for it) when the registry is destroyed. @default true */
  readonly retainStorage?: boolean;
  /** The node proxy, or false for none. @default true (hostPort 5001) */
  readonly proxy?: boolean | ClusterRegistryProxyDeclaration;
  /** Writes the KEP-1755 `kube-public/local-registry-hosting` ConfigMap. @default true */
  readonly localRegistryHosting?: boolean;
  /** `host` of the KEP-1755 document: where tools on the host push. @default `localhost:<hostPort>` */
  readonly hostingHost?: string;
  /** Cluster DNS domain. @default "cluster.local" */
  readonly clusterDomain?: string;
}

/** A normalized node proxy. */
export interface ClusterRegistryProxySpec {
  readonly hostPort: number;
  readonly hostIp?: string;
  readonly name: string;
  readonly image: string;
}

/** A normalized `kubernetes.registry`. */
export interface ClusterRegistrySpec {
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly image: string;
  readonly storageSize: string;
  readonly storageClassName?: string;
  readonly retainStorage: boolean;
  readonly proxy?: ClusterRegistryProxySpec;
  readonly localRegistryHosting: boolean;
  readonly hostingHost?: string;
  readonly clusterDomain: string;
  /** The declaration as written, for validation paths and messages. */
  readonly declared: ClusterRegistryDeclaration;
}

/** True unless the namespace is one every cluster has. */
export function createsNamespace(namespace: string, declared: boolean | undefined): boolean {
  return declared ?? !BUILT_IN_NAMESPACES.includes(namespace);
}

/** Applies the defaults of `kubernetes.registry` (the ClusterRegistry component's). */
export function normalizeClusterRegistry(raw: ClusterRegistryDeclaration): ClusterRegistrySpec {
  const name = raw.name ?? "registry";
  const namespace = raw.namespace ?? REGISTRY_DEFAULTS.namespace;
  const proxy = raw.proxy === false ? undefined : raw.proxy === true || raw.proxy === undefined ? {} : raw.proxy;
  return {
    name,
    namespace,
    createNamespace: createsNamespace(namespace, raw.createNamespace),
    image: raw.image ?? REGISTRY_DEFAULTS.image,
    storageSize: raw.storageSize ?? REGISTRY_DEFAULTS.storageSize,
    ...(raw.storageClassName !== undefined ? { storageClassName: raw.storageClassName } : {}),
    retainStorage: raw.retainStorage ?? true,
    ...(proxy
      ? {
          proxy: {
            hostPort: proxy.hostPort ?? REGISTRY_DEFAULTS.hostPort,
            ...(proxy.hostIp !== undefined ? { hostIp: proxy.hostIp } : {}),
            name: proxy.name ?? `${name}-proxy`,
            image: proxy.image ?? REGISTRY_DEFAULTS.proxyImage,
          },
        }
      : {}),
    localRegistryHosting: raw.localRegistryHosting ?? true,
    ...(raw.hostingHost !== undefined ? { hostingHost: raw.hostingHost } : {}),
    clusterDomain: raw.clusterDomain ?? REGISTRY_DEFAULTS.clusterDomain,
    declared: raw,
  };
}
