import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterRegistrySpec } from "../../model/kubernetes/registry";
import { VALIDATED_SPEC } from "../docker/network-resource";
import { KubernetesSpec } from "../../model/kubernetes/types";
import { ServiceSpec } from "../../model/types";
import { ClusterBridge, ClusterBridgeArgs } from "./cluster-bridge";
import { ClusterRegistry } from "./cluster-registry";
import { ClusterService, ClusterServiceArgs } from "./cluster-service";

/** What Topology renders for its `kubernetes` section. */
export interface KubernetesComponents {
  /** The provider created for `kubernetes.kubeconfig`/`context`; undefined when the section names neither or a provider was passed in the resource options. */
  readonly provider?: k8s.Provider;
  /** The registry of `kubernetes.registry`, when declared. */
  readonly registry?: ClusterRegistry;
  /** Cluster services, by key. */
  readonly services: Readonly<Record<string, ClusterService>>;
  /** Bridges, by key. */
  readonly bridges: Readonly<Record<string, ClusterBridge>>;
}

/** `~/x` -> `<home>/x`; other paths as written. */
export function expandHome(file: string): string {
  return file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
}

/** The provider's arguments for the section's kubeconfig and context; undefined when it names neither. */
export function providerArgs(spec: KubernetesSpec): k8s.ProviderArgs | undefined {
  if (spec.kubeconfig === undefined && spec.context === undefined) return undefined;
  return {
    ...(spec.kubeconfig !== undefined ? { kubeconfig: expandHome(spec.kubeconfig) } : {}),
    ...(spec.context !== undefined ? { context: spec.context } : {}),
  };
}

function registryArgs(spec: ClusterRegistrySpec) {
  return {
    name: spec.name,
    namespace: spec.namespace,
    createNamespace: spec.createNamespace,
    image: spec.image,
    storageSize: spec.storageSize,
    ...(spec.storageClassName !== undefined ? { storageClassName: spec.storageClassName } : {}),
    retainStorage: spec.retainStorage,
    proxy: spec.proxy ? { hostPort: spec.proxy.hostPort, name: spec.proxy.name, image: spec.proxy.image, ...(spec.proxy.hostIp !== undefined ? { hostIp: spec.proxy.hostIp } : {}) } : false,
    localRegistryHosting: spec.localRegistryHosting,
    ...(spec.hostingHost !== undefined ? { hostingHost: spec.hostingHost } : {}),
    clusterDomain: spec.clusterDomain,
  };
}

/**
 * Renders a validated `kubernetes` section under `parent`: a Provider for the
 * kubeconfig file and context when declared (a kubernetes provider passed in
 * the parent's resource options wins over it, with a warning), then each
 * ClusterService and ClusterBridge, named `<name>-<key>`, and the registry,
 * named `<name>-registry`.
 */
export function renderKubernetes(parent: pulumi.ComponentResource, name: string, spec: KubernetesSpec): KubernetesComponents {
  const explicit = parent.getProvider("kubernetes::");
  const args = providerArgs(spec);
  if (explicit && args) {
    const named = [
      ...(spec.kubeconfig !== undefined ? [`kubernetes.kubeconfig ${JSON.stringify(spec.kubeconfig)}`] : []),
      ...(spec.context !== undefined ? [`kubernetes.context ${JSON.stringify(spec.context)}`] : []),
    ];
    pulumi.log.warn(`${named.join(" and ")} ${named.length > 1 ? "are" : "is"} ignored: a kubernetes provider was passed in the resource options`, parent);
  }
  const kubeconfig = args?.kubeconfig as string | undefined;
  if (!explicit && kubeconfig !== undefined && !fs.existsSync(kubeconfig)) {
    // Not an error here: `plan` renders without a cluster. The provider fails on it at preview and up.
    pulumi.log.warn(`kubernetes.kubeconfig: ${kubeconfig} does not exist. Start the cluster first (for the local control plane: bash scripts/kube-start.sh) or fix the path`, parent);
  }
  const provider = !explicit && args ? new k8s.Provider(`${name}-kubernetes`, args, { parent }) : undefined;
  const opts: pulumi.ComponentResourceOptions = { parent, ...(provider ? { provider } : {}) };
  const services: Record<string, ClusterService> = {};
  for (const service of spec.services) {
    services[service.key] = new ClusterService(`${name}-${service.key}`, { [VALIDATED_SPEC]: service } as unknown as ClusterServiceArgs, opts);
  }
  const bridges: Record<string, ClusterBridge> = {};
  for (const bridge of spec.bridges) {
    const target = services[bridge.service]!;
    bridges[bridge.key] = new ClusterBridge(`${name}-${bridge.key}`, { [VALIDATED_SPEC]: { spec: bridge, service: target } } as unknown as ClusterBridgeArgs, opts);
  }
  const registry = spec.registry ? new ClusterRegistry(`${name}-registry`, registryArgs(spec.registry), opts) : undefined;
  return { ...(provider ? { provider } : {}), services, bridges, ...(registry ? { registry } : {}) };
}

/** The bridges a Docker service consumes, for it to wait on. */
export function consumedComponents(service: ServiceSpec, kubernetes: KubernetesComponents | undefined): ClusterBridge[] {
  return (service.consumes ?? []).flatMap((c) => {
    const bridge = kubernetes?.bridges[c.bridge];
    return bridge ? [bridge] : [];
  });
}
