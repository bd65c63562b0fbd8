import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { REGISTRY_DEFAULTS, validateHostPortProxyArgs } from "../../model/registry/args";
import { reportIssues } from "../docker/validation";

/** Resource requests and limits of a container, as Kubernetes quantities. */
export interface ContainerResources {
  /** e.g. `{ cpu: "10m", memory: "16Mi" }` */
  readonly requests?: Readonly<Record<string, string>>;
  /** e.g. `{ cpu: "100m", memory: "64Mi" }` */
  readonly limits?: Readonly<Record<string, string>>;
}

/**
 * Arguments of {@link HostPortProxy}: which Service to forward to and which
 * port to bind on every node.
 *
 * ```ts
 * interface HostPortProxyArgs {
 *   serviceName: string;          // required, RFC 1035 label
 *   servicePort: number;          // required, 1-65535
 *   serviceNamespace?: string;    // default: namespace, else "default"
 *   hostPort?: number;            // default 5001
 *   hostIp?: string;              // default: every node address
 *   containerPort?: number;       // default: hostPort
 *   namespace?: string;           // default: serviceNamespace, else "default"
 *   name?: string;                // default: `<serviceName>-proxy`
 *   image?: Input<string>;        // default "alpine/socat:1.8.0.0" (entrypoint socat)
 *   clusterDomain?: string;       // default "cluster.local"
 *   labels?: Record<string, string>;
 *   resources?: { requests?, limits? };   // default requests 10m/16Mi, limits 100m/64Mi
 *   tolerations?: Input<Toleration>[];    // default [{ operator: "Exists" }]: every node
 * }
 * ```
 */
export interface HostPortProxyArgs {
  /** Name of the Service to forward to (an RFC 1035 label). */
  readonly serviceName: string;
  /** Port of the Service to forward to. 1-65535. */
  readonly servicePort: number;
  /** Namespace of the Service. @default - `namespace`, else "default" */
  readonly serviceNamespace?: string;
  /** Port bound on every node (`hostPort`). 1-65535. @default 5001 */
  readonly hostPort?: number;
  /** Node address the hostPort binds (`hostIP`). @default - every address of the node */
  readonly hostIp?: string;
  /** Port the proxy listens on inside its pod. @default - `hostPort` */
  readonly containerPort?: number;
  /** Namespace of the DaemonSet. @default - `serviceNamespace`, else "default" */
  readonly namespace?: string;
  /** Name of the DaemonSet (an RFC 1123 label). @default `<serviceName>-proxy` */
  readonly name?: string;
  /**
   * Proxy image. Its entrypoint must be socat: the args are
   * `tcp-listen:<containerPort>,fork,reuseaddr tcp-connect:<service>.<namespace>.svc.<clusterDomain>:<servicePort>`.
   * @default "alpine/socat:1.8.0.0"
   */
  readonly image?: pulumi.Input<string>;
  /** Cluster DNS domain of the Service's name. @default "cluster.local" */
  readonly clusterDomain?: string;
  /** Extra labels on the DaemonSet and its pods (not part of the selector). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Requests and limits of the proxy container. @default requests `{cpu: "10m", memory: "16Mi"}`, limits `{cpu: "100m", memory: "64Mi"}` */
  readonly resources?: ContainerResources;
  /** Tolerations of the proxy pods. @default [{ operator: "Exists" }] (every node, control planes included, as minikube's registry-proxy) */
  readonly tolerations?: pulumi.Input<k8s.types.input.core.v1.Toleration>[];
}

/** Requests and limits of the socat proxy. */
export const DEFAULT_PROXY_RESOURCES = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } } as const;

/** Labels identifying a component's pods: the selector, equal to the pod template's identifying labels. */
export function selectorLabels(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/managed-by": "container-topology",
  };
}

/**
 * A DaemonSet that binds a hostPort on every node and forwards it to a Service
 * through the cluster DNS (socat), the pattern of minikube's `registry-proxy`:
 * `localhost:<hostPort>` on a node (and on the host, where the node's port is
 * mapped) reaches the Service, so a registry is pushed to and pulled from as a
 * loopback registry, without TLS.
 *
 * @example
 * ```ts
 * const proxy = new HostPortProxy("registry-proxy", {
 *   serviceName: "registry", serviceNamespace: "registry", servicePort: 5000, hostPort: 5001,
 * }, { provider });
 * ```
 */
export class HostPortProxy extends pulumi.ComponentResource {
  /** The DaemonSet. */
  public readonly daemonSet: k8s.apps.v1.DaemonSet;
  /** Port bound on every node. */
  public readonly hostPort: number;
  /** Where the proxy forwards: `<service>.<namespace>.svc.<domain>:<port>`. */
  public readonly target: string;
  /** The DaemonSet's selector (also the identifying labels of its pods). */
  public readonly selector: Readonly<Record<string, string>>;

  constructor(name: string, args: HostPortProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:kubernetes:HostPortProxy", name, {}, opts);
    reportIssues(this, `HostPortProxy "${name}"`, "", validateHostPortProxyArgs(args));
    const namespace = args.namespace ?? args.serviceNamespace ?? "default";
    const serviceNamespace = args.serviceNamespace ?? namespace;
    const hostPort = args.hostPort ?? REGISTRY_DEFAULTS.hostPort;
    const containerPort = args.containerPort ?? hostPort;
    const domain = args.clusterDomain ?? REGISTRY_DEFAULTS.clusterDomain;
    const dsName = args.name ?? `${args.serviceName}-proxy`;
    this.hostPort = hostPort;
    this.target = `${args.serviceName}.${serviceNamespace}.svc.${domain}:${args.servicePort}`;
    this.selector = selectorLabels(dsName, "host-port-proxy");
    const labels = { ...(args.labels ?? {}), ...this.selector };
    const resources = args.resources ?? DEFAULT_PROXY_RESOURCES;
    const probe = { tcpSocket: { port: containerPort }, periodSeconds: 10, timeoutSeconds: 2 };
    this.daemonSet = new k8s.apps.v1.DaemonSet(
      name,
      {
        metadata: { name: dsName, namespace, labels },
        spec: {
          selector: { matchLabels: this.selector },
          template: {
            metadata: { labels },
            spec: {
              tolerations: args.tolerations ?? [{ operator: "Exists" }],
              containers: [
                {
                  name: "proxy",
                  image: args.image ?? REGISTRY_DEFAULTS.proxyImage,
                  args: [`tcp-listen:${containerPort},fork,reuseaddr`, `tcp-connect:${this.target}`],
                  ports: [{ name: "proxy", containerPort, hostPort, protocol: "TCP", ...(args.hostIp !== undefined ? { hostIP: args.hostIp } : {}) }],
                  readinessProbe: { ...probe, initialDelaySeconds: 1 },
                  livenessProbe: { ...probe, initialDelaySeconds: 10 },
                  resources: { requests: { ...(resources.requests ?? {}) }, limits: { ...(resources.limits ?? {}) } },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"], ...(containerPort < 1024 ? { add: ["NET_BIND_SERVICE"] } : {}) },
                  },
                },
              ],
            },
          },
        },
      },
      { parent: this },
    );
    this.registerOutputs({ hostPort: this.hostPort, target: this.target });
  }
}
