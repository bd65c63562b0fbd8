import { canonicalIp, isLoopback, isWildcard, parseIp } from "../ip";
import { HOST_DOCKER_INTERNAL, HOST_GATEWAY, HostMapping, Passthrough, Protocol, ServiceSpec } from "../types";
import {
  BridgeVia,
  ClusterBridgeDeclaration,
  ClusterBridgeSpec,
  ClusterPortDeclaration,
  ClusterPortSpec,
  ClusterServiceSpec,
  ClusterServiceType,
  ConsumeSpec,
  KubernetesSpec,
  RawClusterService,
  RawKubernetes,
} from "./types";
import { normalizeClusterRegistry } from "./registry";
import { ClusterNodesSpec, nodePublish, normalizeNodes } from "./nodes";

/** Namespace of objects declared without one. */
export const DEFAULT_NAMESPACE = "default";
/** The cluster DNS domain Services resolve under. */
export const CLUSTER_DOMAIN = "cluster.local";
/** The selector label a cluster service gets unless it declares a selector. */
export const NAME_LABEL = "app.kubernetes.io/name";
/** Set on every pod template this library renders. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
/** Value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY = "container-topology";
/** What a bridge binds unless told otherwise: every node address, which the host gateway reaches. */
export const DEFAULT_BIND_ADDRESS = "0.0.0.0";

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function protocol(value: ClusterPortDeclaration["protocol"]): Protocol {
  return (value ?? Protocol.Tcp).toLowerCase() as Protocol;
}

function bracket(ip: string): string {
  return ip.includes(":") ? `[${ip}]` : ip;
}

/** The environment variable a bridge's URL goes in by default: `api` -> `API_URL`, `my-api` -> `MY_API_URL`. */
export function bridgeEnvName(key: string): string {
  const base = key.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  return `${/^[0-9]/.test(base) ? `_${base}` : base}_URL`;
}

/** Applies the defaults of one cluster service. */
export function normalizeClusterService(key: string, raw: RawClusterService, sectionNamespace = DEFAULT_NAMESPACE): ClusterServiceSpec {
  const name = raw.name ?? key;
  const namespace = raw.namespace ?? sectionNamespace;
  const ports: ClusterPortSpec[] = (raw.ports ?? []).map((p, index) => ({
    index,
    ...(p.name !== undefined ? { name: p.name } : {}),
    port: p.port,
    targetPort: p.targetPort ?? p.port,
    ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
    protocol: protocol(p.protocol),
    ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}),
    ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
    ...(p.hostIP !== undefined ? { hostIP: p.hostIP } : {}),
  }));
  const selector = { ...(raw.selector ?? { [NAME_LABEL]: name }) };
  const declaredLabels = { ...(raw.labels ?? {}) };
  const probe = raw.readinessProbe;
  const probePort = probe?.port ?? ports[0]?.targetPort;
  return {
    key,
    name,
    namespace,
    image: raw.image,
    type: raw.type ?? ClusterServiceType.ClusterIP,
    ports,
    replicas: raw.replicas ?? 1,
    ...(raw.command ? { command: [...raw.command] } : {}),
    ...(raw.args ? { args: [...raw.args] } : {}),
    env: { ...(raw.env ?? {}) },
    selector,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY, ...selector, ...declaredLabels },
    declaredLabels,
    hostAliases: (raw.hostAliases ?? []).map((h) => ({ host: h.host, ip: h.ip })),
    hostNetwork: raw.hostNetwork ?? false,
    ...(probe
      ? {
          readinessProbe: {
            ...(probePort !== undefined ? { port: probePort } : {}),
            ...(probe.path !== undefined ? { path: probe.path } : {}),
            initialDelaySeconds: probe.initialDelaySeconds ?? 0,
            periodSeconds: probe.periodSeconds ?? 10,
            failureThreshold: probe.failureThreshold ?? 3,
          },
        }
      : {}),
    clusterDns: `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`,
  };
}

/** The port of a service a bridge exposes: by number, by name, or the only one. */
export function bridgedPort(service: ClusterServiceSpec | undefined, port: number | string | undefined): ClusterPortSpec | undefined {
  if (!service) return undefined;
  if (port === undefined) return service.ports.length === 1 ? service.ports[0] : undefined;
  return typeof port === "number" ? service.ports.find((p) => p.port === port) : service.ports.find((p) => p.name === port);
}

/** True when a service exposes the port on every node by itself (type NodePort or LoadBalancer with a fixed nodePort). */
export function exposesNodePort(service: ClusterServiceSpec, port: ClusterPortSpec): boolean {
  return service.type !== ClusterServiceType.ClusterIP && port.nodePort !== undefined;
}

/**
 * Applies the defaults of one bridge against the cluster services it may
 * target. `gateway` is the default bridge's gateway (what
 * `host.docker.internal` resolves to).
 */
export function normalizeBridge(
  key: string,
  raw: ClusterBridgeDeclaration,
  services: ReadonlyMap<string, ClusterServiceSpec>,
  gateway: string,
  sectionNamespace = DEFAULT_NAMESPACE,
  nodes: ClusterNodesSpec = { kind: "host" },
): ClusterBridgeSpec {
  const service = services.get(raw.service);
  const port = bridgedPort(service, raw.port);
  const via = raw.via ?? BridgeVia.NodePort;
  const reuse = via === BridgeVia.NodePort && service !== undefined && port !== undefined && exposesNodePort(service, port) && (raw.nodePort === undefined || raw.nodePort === port.nodePort);
  const nodePort = via === BridgeVia.NodePort ? (raw.nodePort ?? (reuse ? port!.nodePort : undefined)) : undefined;
  const hostPort = via === BridgeVia.HostPort ? raw.hostPort : undefined;
  const exposedPort = via === BridgeVia.NodePort ? nodePort : hostPort;
  const bindAddress = raw.bindAddress ?? DEFAULT_BIND_ADDRESS;
  const protocol = via === BridgeVia.HostPort ? Protocol.Tcp : (port?.protocol ?? Protocol.Tcp);
  // On container nodes the host sees the port only where the node container publishes it.
  const publish = exposedPort !== undefined ? nodePublish(nodes, exposedPort, protocol) : undefined;
  const nodeNetworkOnly = nodes.kind === "containers" && publish === undefined;
  const hostSide = nodes.kind === "host" ? bindAddress : (publish?.hostIp ?? bindAddress);
  const dialPort = nodes.kind === "host" ? exposedPort : publish?.published;
  const parsed = parseIp(hostSide);
  const throughGateway = isWildcard(hostSide) || isLoopback(hostSide) || !parsed || canonicalIp(hostSide) === canonicalIp(gateway);
  const containerHost = throughGateway ? HOST_DOCKER_INTERNAL : bracket(parsed.text);
  const hostHost = isWildcard(hostSide) || !parsed ? "localhost" : bracket(parsed.text);
  const scheme = raw.scheme ?? "http";
  const urls =
    nodes.kind === "containers" && nodeNetworkOnly
      ? exposedPort !== undefined
        ? { url: `${scheme}://${nodes.container}:${exposedPort}` }
        : {}
      : dialPort !== undefined
        ? { url: `${scheme}://${containerHost}:${dialPort}`, hostUrl: `${scheme}://${hostHost}:${dialPort}` }
        : {};
  return {
    key,
    service: raw.service,
    name: raw.name ?? `${key}-bridge`,
    namespace: service?.namespace ?? sectionNamespace,
    serviceName: service?.name ?? raw.service,
    ...(port ? { servicePort: port.port, portIndex: port.index, targetPort: port.targetPort } : {}),
    protocol: port?.protocol ?? Protocol.Tcp,
    via,
    ...(nodePort !== undefined ? { nodePort } : {}),
    createsService: via === BridgeVia.NodePort && !reuse,
    ...(hostPort !== undefined ? { hostPort } : {}),
    ...(exposedPort !== undefined ? { exposedPort } : {}),
    ...(dialPort !== undefined ? { dialPort } : {}),
    ...(publish ? { nodePublish: publish } : {}),
    nodeNetworkOnly,
    bindAddress,
    containerHost,
    hostHost,
    scheme,
    env: raw.env ?? bridgeEnvName(key),
    ...urls,
    ...(raw.proxyImage !== undefined ? { proxyImage: raw.proxyImage } : {}),
    selector: { ...(service?.selector ?? {}) },
    declared: {
      ...(raw.port !== undefined ? { port: raw.port } : {}),
      ...(raw.nodePort !== undefined ? { nodePort: raw.nodePort } : {}),
      ...(raw.hostPort !== undefined ? { hostPort: raw.hostPort } : {}),
    },
  };
}

/** Applies the defaults of the whole section; undefined when it is not declared. */
export function normalizeKubernetes(raw: RawKubernetes | undefined, gateway: string): KubernetesSpec | undefined {
  if (!raw) return undefined;
  const namespace = raw.namespace ?? DEFAULT_NAMESPACE;
  const services = Object.entries(raw.services ?? {})
    .map(([key, s]) => normalizeClusterService(key, s, namespace))
    .sort(byKey);
  const byService = new Map(services.map((s) => [s.key, s]));
  const nodes = normalizeNodes(raw.nodes);
  return {
    ...(raw.kubeconfig !== undefined ? { kubeconfig: raw.kubeconfig } : {}),
    ...(raw.context !== undefined ? { context: raw.context } : {}),
    namespace,
    services,
    bridges: Object.entries(raw.bridges ?? {})
      .map(([key, b]) => normalizeBridge(key, b, byService, gateway, namespace, nodes))
      .sort(byKey),
    ...(raw.registry ? { registry: normalizeClusterRegistry(raw.registry) } : {}),
    nodes,
  };
}

/** What a Docker service needs from a bridge it consumes. */
export interface BridgeOffer {
  /** Default environment variable name. */
  readonly env: string;
  /** The URL for containers; undefined while the bridge's port is unknown or only the node's network reaches it. */
  readonly url?: Passthrough<string>;
  /** Container nodes: the URL for members of the node container's Docker network (by the node's name), and that network's Docker name. */
  readonly nodeNetwork?: { readonly network: string; readonly url: string };
}

/** The bridges of a normalized section, as offers to consumers. */
export function bridgeOffers(kubernetes: KubernetesSpec | undefined): Map<string, BridgeOffer> {
  const nodes = kubernetes?.nodes;
  return new Map(
    (kubernetes?.bridges ?? []).map((b) => {
      const inNetwork = nodes?.kind === "containers" && b.exposedPort !== undefined ? { nodeNetwork: { network: nodes.network, url: `${b.scheme}://${nodes.container}:${b.exposedPort}` } } : {};
      return [b.key, { env: b.env, ...(b.url !== undefined && !b.nodeNetworkOnly ? { url: b.url } : {}), ...inNetwork }];
    }),
  );
}

/**
 * Injects the bridges a service consumes: each URL as an environment variable
 * (a variable the service declares itself is left alone; validation reports
 * the clash) and the `host.docker.internal:host-gateway` entry, unless the
 * network mode forbids extra hosts. Returns a new spec.
 */
export function applyConsumes(
  service: ServiceSpec,
  requests: readonly { readonly bridge: string; readonly env?: string }[] | undefined,
  offers: ReadonlyMap<string, BridgeOffer>,
  networkNames: ReadonlyMap<string, string> = new Map(),
): ServiceSpec {
  if (!requests || requests.length === 0) return service;
  const env: Record<string, Passthrough<string>> = { ...service.env };
  const joined = new Set(service.attachments.map((a) => networkNames.get(a.network)));
  const consumes: ConsumeSpec[] = requests.map((request, index) => {
    const offer = offers.get(request.bridge);
    const name = request.env ?? offer?.env ?? bridgeEnvName(request.bridge);
    // On the node container's network the node is reached by name, whatever it publishes.
    const url = offer?.nodeNetwork && joined.has(offer.nodeNetwork.network) ? offer.nodeNetwork.url : offer?.url;
    if (url !== undefined && !(name in env)) env[name] = url;
    return { index, bridge: request.bridge, env: name, ...(url !== undefined ? { url } : {}), resolved: offer !== undefined };
  });
  const canMap = service.mode.kind !== "none" && service.mode.kind !== "container";
  const mapping: HostMapping = { host: HOST_DOCKER_INTERNAL, ip: HOST_GATEWAY };
  const extraHosts = canMap && !service.extraHosts.some((h) => h.host === HOST_DOCKER_INTERNAL) ? [...service.extraHosts, mapping] : service.extraHosts;
  return { ...service, env, extraHosts, consumes };
}
