import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { VALIDATED_SPEC } from "../docker/network-resource";
import { KubernetesSpec } from "../../model/kubernetes/types";
import { ServiceSpec } from "../../model/types";
import { ClusterBridge, ClusterBridgeArgs } from "./cluster-bridge";
import { ClusterService, ClusterServiceArgs } from "./cluster-service";

/** What Topology renders for its `kubernetes` section. */
export interface KubernetesComponents {
  /** The provider created for `kubernetes.context`; undefined when the section names no context or a provider was passed in the resource options. */
  readonly provider?: k8s.Provider;
  /** Cluster services, by key. */
  readonly services: Readonly<Record<string, ClusterService>>;
  /** Bridges, by key. */
  readonly bridges: Readonly<Record<string, ClusterBridge>>;
}

/**
 * Renders a validated `kubernetes` section under `parent`: a Provider for the
 * kubeconfig context when one is declared (a kubernetes provider passed in
 * the parent's resource options wins over it, with a warning), then each
 * ClusterService and ClusterBridge, named `<name>-<key>`.
 */
export function renderKubernetes(parent: pulumi.ComponentResource, name: string, spec: KubernetesSpec): KubernetesComponents {
  const explicit = parent.getProvider("kubernetes::");
  if (explicit && spec.context !== undefined) {
    pulumi.log.warn(`kubernetes.context ${JSON.stringify(spec.context)} is ignored: a kubernetes provider was passed in the resource options`, parent);
  }
  const provider = !explicit && spec.context !== undefined ? new k8s.Provider(`${name}-kubernetes`, { context: spec.context }, { parent }) : undefined;
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
  return { ...(provider ? { provider } : {}), services, bridges };
}

/** The bridges a Docker service consumes, for it to wait on. */
export function consumedComponents(service: ServiceSpec, kubernetes: KubernetesComponents | undefined): ClusterBridge[] {
  return (service.consumes ?? []).flatMap((c) => {
    const bridge = kubernetes?.bridges[c.bridge];
    return bridge ? [bridge] : [];
  });
}
