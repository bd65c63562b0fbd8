import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MANAGED_BY, MANAGED_BY_LABEL } from "../../model/kubernetes/normalize";
import { ClusterBridgeSpec, ClusterPortSpec, ClusterServiceSpec, ClusterServiceType } from "../../model/kubernetes/types";
import { HostMapping, Protocol } from "../../model/types";

/** Label naming the bridge a NodePort Service belongs to. */
export const BRIDGE_LABEL = "container-topology.io/bridge";

type DeploymentArgs = k8s.apps.v1.DeploymentArgs;
type ServiceArgs = k8s.core.v1.ServiceArgs;
type HostAlias = k8s.types.input.core.v1.HostAlias;
type ContainerPort = k8s.types.input.core.v1.ContainerPort;
type Probe = k8s.types.input.core.v1.Probe;

/** Kubernetes' spelling of a protocol. */
export function kubernetesProtocol(protocol: Protocol): string {
  return protocol.toUpperCase();
}

/** `/etc/hosts` entries grouped by address, in order of first appearance (Kubernetes' `hostAliases` shape). */
export function hostAliases(mappings: readonly HostMapping[]): HostAlias[] {
  const byIp = new Map<string, string[]>();
  for (const { host, ip } of mappings) {
    const hosts = byIp.get(ip);
    if (!hosts) byIp.set(ip, [host]);
    else if (!hosts.includes(host)) hosts.push(host);
  }
  return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
}

/** Container ports: one per targetPort and protocol (two Service ports may share one), with hostPort/hostIP. */
function containerPorts(spec: ClusterServiceSpec): ContainerPort[] {
  const seen = new Set<string>();
  const out: ContainerPort[] = [];
  for (const p of spec.ports) {
    const key = `${p.targetPort}/${p.protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      ...(p.name !== undefined ? { name: p.name } : {}),
      containerPort: p.targetPort,
      protocol: kubernetesProtocol(p.protocol),
      // With hostNetwork the pod binds the node's port itself: Kubernetes requires hostPort == containerPort.
      ...(spec.hostNetwork ? { hostPort: p.targetPort } : p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
      ...(p.hostIP !== undefined ? { hostIP: p.hostIP } : {}),
    });
  }
  return out;
}

function readinessProbe(spec: ClusterServiceSpec): Probe | undefined {
  const probe = spec.readinessProbe;
  if (!probe || probe.port === undefined) return undefined;
  return {
    ...(probe.path !== undefined ? { httpGet: { path: probe.path, port: probe.port } } : { tcpSocket: { port: probe.port } }),
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    failureThreshold: probe.failureThreshold,
  };
}

/** The Deployment of a normalized cluster service: selector equal to (a subset of) the template labels. */
export function deploymentArgs(spec: ClusterServiceSpec): DeploymentArgs {
  const aliases = hostAliases(spec.hostAliases);
  const probe = readinessProbe(spec);
  return {
    metadata: { name: spec.name, namespace: spec.namespace, labels: { ...spec.labels } },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: { ...spec.selector } },
      template: {
        metadata: { labels: { ...spec.labels } },
        spec: {
          ...(spec.hostNetwork ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
          ...(aliases.length > 0 ? { hostAliases: aliases } : {}),
          containers: [
            {
              name: spec.name,
              image: spec.image as pulumi.Input<string>,
              ...(spec.command ? { command: [...spec.command] } : {}),
              ...(spec.args ? { args: [...spec.args] } : {}),
              env: Object.entries(spec.env).map(([name, value]) => ({ name, value: value as pulumi.Input<string> })),
              ports: containerPorts(spec),
              ...(probe ? { readinessProbe: probe } : {}),
            },
          ],
        },
      },
    },
  };
}

function servicePort(p: ClusterPortSpec, nodePort: number | undefined) {
  return {
    ...(p.name !== undefined ? { name: p.name } : {}),
    port: p.port,
    targetPort: p.targetPort,
    protocol: kubernetesProtocol(p.protocol),
    ...(nodePort !== undefined ? { nodePort } : {}),
    ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}),
  };
}

/** The Service of a normalized cluster service, selecting its pods. */
export function serviceArgs(spec: ClusterServiceSpec): ServiceArgs {
  return {
    metadata: { name: spec.name, namespace: spec.namespace, labels: { ...spec.labels } },
    spec: {
      type: spec.type,
      selector: { ...spec.selector },
      // A nodePort on a ClusterIP Service is refused by validation (and by the API server): rendered as declared.
      ports: spec.ports.map((p) => servicePort(p, p.nodePort)),
    },
  };
}

/** The NodePort Service a bridge creates in front of the target service's pods (same selector, one port). */
export function bridgeServiceArgs(bridge: ClusterBridgeSpec, target: ClusterServiceSpec): ServiceArgs {
  const port = target.ports[bridge.portIndex!]!;
  return {
    metadata: { name: bridge.name, namespace: bridge.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [BRIDGE_LABEL]: bridge.key } },
    spec: {
      type: ClusterServiceType.NodePort,
      selector: { ...target.selector },
      ports: [servicePort(port, bridge.nodePort)],
    },
  };
}
