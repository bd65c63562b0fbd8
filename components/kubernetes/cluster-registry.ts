import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RegistryPushEndpoint } from "../docker/registry-image";
import { reportIssues } from "../docker/validation";
import { isWildcard } from "../../model/ip";
import { createsNamespace } from "../../model/kubernetes/registry";
import { REGISTRY_DEFAULTS, validateClusterRegistryArgs } from "../../model/registry/args";
import { containerdHostsFile, ContainerdHostsFile, LOCAL_REGISTRY_HOSTING_HELP, LocalRegistryHosting } from "../../model/registry/hosting";
import { ContainerResources, HostPortProxy, selectorLabels } from "./host-port-proxy";
import { LocalRegistryHostingConfigMap } from "./local-registry-hosting";

/** The HostPortProxy a ClusterRegistry puts in front of its Service. */
export interface ClusterRegistryProxyArgs {
  /** Port bound on every node. @default 5001 */
  readonly hostPort?: number;
  /** Node address the port binds. @default - every address of the node */
  readonly hostIp?: string;
  /** DaemonSet name. @default `<name>-proxy` */
  readonly name?: string;
  /** socat image. @default "alpine/socat:1.8.0.0" */
  readonly image?: pulumi.Input<string>;
}

/** Arguments of {@link ClusterRegistry}. */
export interface ClusterRegistryArgs {
  /** Name of the Deployment, Service and PersistentVolumeClaim (an RFC 1035 label). @default "registry" */
  readonly name?: string;
  /** Namespace of the registry. @default "registry" */
  readonly namespace?: string;
  /** Creates the namespace. Set false when it exists already. @default - true, except for the namespaces every cluster has (`default`, `kube-system`, `kube-public`, `kube-node-lease`) */
  readonly createNamespace?: boolean;
  /** Registry image. @default "registry:2" */
  readonly image?: pulumi.Input<string>;
  /** Extra environment of the registry container (`REGISTRY_*` overrides its config file). */
  readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Size of the storage claim. @default "10Gi" */
  readonly storageSize?: string;
  /** Storage class of the claim. @default - the cluster's default class */
  readonly storageClassName?: string;
  /**
   * Keeps the claim (and the images in it) when the registry is destroyed, and the namespace when
   * it was created here: deleting a namespace deletes the claims in it. @default true
   */
  readonly retainStorage?: boolean;
  /** Requests and limits of the registry container. @default requests `{cpu: "50m", memory: "128Mi"}`, limits `{cpu: "500m", memory: "512Mi"}` */
  readonly resources?: ContainerResources;
  /**
   * The HostPortProxy that makes `localhost:<hostPort>` on every node reach the
   * registry, or false for none (the registry is then reached at `clusterAddress` only).
   * @default true (hostPort 5001)
   */
  readonly proxy?: boolean | ClusterRegistryProxyArgs;
  /** Writes the KEP-1755 `kube-public/local-registry-hosting` ConfigMap (one per cluster). @default true */
  readonly localRegistryHosting?: boolean;
  /** `host` of the KEP-1755 document: where tools on the host push. @default `localhost:<hostPort>`, or `clusterAddress` without a proxy */
  readonly hostingHost?: string;
  /** `help` of the KEP-1755 document. @default - the KEP's URL */
  readonly help?: string;
  /** Cluster DNS domain. @default "cluster.local" */
  readonly clusterDomain?: string;
  /** Extra labels on every object (not part of selectors). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Requests and limits of the registry container. */
export const DEFAULT_REGISTRY_RESOURCES = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } } as const;

/**
 * A registry inside a Kubernetes cluster, as minikube's registry addon: a
 * Deployment of `registry:2` on a PersistentVolumeClaim, a ClusterIP Service on
 * 5000, a {@link HostPortProxy} DaemonSet binding `localhost:5001` on every
 * node, and the KEP-1755 `local-registry-hosting` ConfigMap. `provider` and
 * `providers` given to the component reach every child.
 *
 * Nodes pull `localhost:5001/<image>` over plain HTTP once containerd has the
 * `hosts.toml` in {@link ClusterRegistry.containerdHostsToml} (kind and minikube
 * treat localhost as insecure already).
 *
 * @example
 * ```ts
 * const registry = new ClusterRegistry("registry", {}, { provider });
 * export const push = registry.hostAddress; // docker push localhost:5001/app
 * ```
 */
export class ClusterRegistry extends pulumi.ComponentResource {
  /** The namespace, when created here. */
  public readonly namespaceResource?: k8s.core.v1.Namespace;
  /** The namespace's name. */
  public readonly namespace: string;
  /** The storage claim. */
  public readonly persistentVolumeClaim: k8s.core.v1.PersistentVolumeClaim;
  /** The registry Deployment. */
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The ClusterIP Service on 5000. */
  public readonly service: k8s.core.v1.Service;
  /** The node proxy, unless `proxy: false`. */
  public readonly proxy?: HostPortProxy;
  /** The KEP-1755 ConfigMap, unless `localRegistryHosting: false`. */
  public readonly hostingConfigMap?: LocalRegistryHostingConfigMap;
  /** Where the host and the nodes push and pull: `localhost:5001`. */
  public readonly hostAddress: string;
  /** Where pods reach the registry: `<name>.<namespace>.svc.<domain>:5000`. */
  public readonly clusterAddress: string;
  /** The KEP-1755 fields. */
  public readonly localRegistryHosting: LocalRegistryHosting;
  /** containerd's `certs.d/<host>/hosts.toml` content a node needs to pull `hostAddress` over plain HTTP. */
  public readonly containerdHostsToml: string;
  /** Where that file goes on a node: `/etc/containerd/certs.d/<host>/hosts.toml`. */
  public readonly containerdHostsTomlPath: string;
  /** How {@link pushImage} reaches this registry. */
  public readonly pushEndpoint: RegistryPushEndpoint;

  constructor(name: string, args: ClusterRegistryArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:kubernetes:ClusterRegistry", name, {}, opts);
    reportIssues(this, `ClusterRegistry "${name}"`, "", validateClusterRegistryArgs(args));
    const registryName = args.name ?? "registry";
    const port = REGISTRY_DEFAULTS.containerPort;
    const domain = args.clusterDomain ?? REGISTRY_DEFAULTS.clusterDomain;
    this.namespace = args.namespace ?? REGISTRY_DEFAULTS.namespace;
    const selector = selectorLabels(registryName, "registry");
    const labels = { ...(args.labels ?? {}), ...selector };
    const metadata = { name: registryName, namespace: this.namespace, labels };
    const child = { parent: this };

    const retain = args.retainStorage ?? true;
    if (createsNamespace(this.namespace, args.createNamespace)) {
      this.namespaceResource = new k8s.core.v1.Namespace(
        `${name}-namespace`,
        { metadata: { name: this.namespace, labels: { ...(args.labels ?? {}), "app.kubernetes.io/managed-by": "container-topology" } } },
        // Deleting the namespace would delete the retained claim with it.
        { ...child, retainOnDelete: retain },
      );
    }
    const inNamespace = { ...child, ...(this.namespaceResource ? { dependsOn: [this.namespaceResource] } : {}) };

    this.persistentVolumeClaim = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-storage`,
      {
        metadata,
        spec: {
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: args.storageSize ?? REGISTRY_DEFAULTS.storageSize } },
          ...(args.storageClassName !== undefined ? { storageClassName: args.storageClassName } : {}),
        },
      },
      // The images live here: they survive the registry unless asked otherwise.
      { ...inNamespace, retainOnDelete: retain },
    );

    const resources = args.resources ?? DEFAULT_REGISTRY_RESOURCES;
    const probe = { httpGet: { path: "/v2/", port: "registry" }, periodSeconds: 10, timeoutSeconds: 3 };
    const env = { REGISTRY_HTTP_ADDR: `:${port}`, REGISTRY_STORAGE_DELETE_ENABLED: "true", ...(args.env ?? {}) };
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-registry`,
      {
        metadata,
        spec: {
          replicas: 1,
          // One pod owns the ReadWriteOnce claim: the old one must stop first.
          strategy: { type: "Recreate" },
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: "registry",
                  image: args.image ?? REGISTRY_DEFAULTS.image,
                  ports: [{ name: "registry", containerPort: port, protocol: "TCP" }],
                  env: Object.entries(env).map(([envName, value]) => ({ name: envName, value })),
                  volumeMounts: [{ name: "storage", mountPath: REGISTRY_DEFAULTS.storagePath }],
                  readinessProbe: { ...probe, initialDelaySeconds: 1 },
                  livenessProbe: { ...probe, initialDelaySeconds: 10, failureThreshold: 6 },
                  resources: { requests: { ...(resources.requests ?? {}) }, limits: { ...(resources.limits ?? {}) } },
                },
              ],
              volumes: [{ name: "storage", persistentVolumeClaim: { claimName: this.persistentVolumeClaim.metadata.name } }],
            },
          },
        },
      },
      inNamespace,
    );

    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata, spec: { type: "ClusterIP", selector, ports: [{ name: "registry", port, targetPort: "registry", protocol: "TCP" }] } },
      inNamespace,
    );
    this.clusterAddress = `${registryName}.${this.namespace}.svc.${domain}:${port}`;

    const proxyArgs = args.proxy === false ? undefined : args.proxy === true || args.proxy === undefined ? {} : args.proxy;
    if (proxyArgs) {
      this.proxy = new HostPortProxy(
        `${name}-proxy`,
        {
          serviceName: registryName,
          serviceNamespace: this.namespace,
          servicePort: port,
          hostPort: proxyArgs.hostPort ?? REGISTRY_DEFAULTS.hostPort,
          name: proxyArgs.name ?? `${registryName}-proxy`,
          clusterDomain: domain,
          ...(proxyArgs.hostIp !== undefined ? { hostIp: proxyArgs.hostIp } : {}),
          ...(proxyArgs.image !== undefined ? { image: proxyArgs.image } : {}),
          ...(args.labels ? { labels: args.labels } : {}),
        },
        { ...child, dependsOn: [this.service] },
      );
    }
    const nodeHost = proxyArgs?.hostIp !== undefined && !isWildcard(proxyArgs.hostIp) ? proxyArgs.hostIp : "localhost";
    const nodeAddress = this.proxy ? `${nodeHost}:${this.proxy.hostPort}` : undefined;
    this.hostAddress = args.hostingHost ?? (this.proxy ? `localhost:${this.proxy.hostPort}` : this.clusterAddress);
    this.localRegistryHosting = {
      host: this.hostAddress,
      ...(nodeAddress !== undefined ? { hostFromContainerRuntime: nodeAddress } : {}),
      hostFromClusterNetwork: this.clusterAddress,
      help: args.help ?? LOCAL_REGISTRY_HOSTING_HELP,
    };
    const hostsFile: ContainerdHostsFile = containerdHostsFile(this.hostAddress, nodeAddress ?? this.clusterAddress);
    this.containerdHostsToml = hostsFile.content;
    this.containerdHostsTomlPath = hostsFile.path;
    if (args.localRegistryHosting ?? true) {
      this.hostingConfigMap = new LocalRegistryHostingConfigMap(`${name}-hosting`, { hosting: this.localRegistryHosting }, child);
    }
    this.pushEndpoint = { address: this.hostAddress, plainHttp: true, dependsOn: [this.deployment, this.service, ...(this.proxy ? [this.proxy] : [])] };
    this.registerOutputs({
      hostAddress: this.hostAddress,
      clusterAddress: this.clusterAddress,
      localRegistryHosting: this.localRegistryHosting,
      containerdHostsToml: this.containerdHostsToml,
    });
  }
}
