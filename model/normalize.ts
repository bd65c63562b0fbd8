import { allocateSubnets } from "./docker/allocate";
import { canonicalCapability } from "./docker/capabilities";
import { canonicalGoDuration } from "./docker/duration";
import {
  AttachmentSpec,
  HOST_DOCKER_INTERNAL,
  HOST_GATEWAY,
  HostMapping,
  NetworkDeclaration,
  NetworkModeSpec,
  NetworkSpec,
  PoolSpec,
  Protocol,
  RawService,
  RawTopology,
  RestartPolicy,
  ServiceSpec,
  TopologySpec,
} from "./types";
import { DriverOption } from "./docker/driver-options";
import { defaultGateway, parseCidr } from "./ip";
import { applyConsumes, BridgeOffer, bridgeOffers, normalizeKubernetes } from "./kubernetes/normalize";
import { normalizeRegistries } from "./registry/normalize";
import { normalizeHosts, placeOnHosts } from "./hosts/normalize";

/** Options of {@link normalizeTopology}. */
export interface NormalizeOptions {
  /** Prefix of Docker names (`<prefix>-<key>`); the stack name under the Topology component. @default "" (names are the keys) */
  readonly namePrefix?: string;
  /** Bridges services may consume besides those of the `kubernetes` section (a PublishedService's `consumes` components), by key. */
  readonly bridges?: ReadonlyMap<string, BridgeOffer>;
}

/** Published ports bind here unless a hostIp is declared: 0.0.0.0 would bypass host firewalls. */
export const DEFAULT_HOST_IP = "127.0.0.1";
/** Containers come back after a daemon restart unless stopped by hand. */
export const DEFAULT_RESTART: RestartPolicy = "unless-stopped";

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function dockerName(prefix: string, key: string, explicit: string | undefined): string {
  return explicit ?? (prefix ? `${prefix}-${key}` : key);
}

function bool(value: boolean): string {
  return value ? "true" : "false";
}

/** The driver options Docker receives: typed fields rendered to their keys, over the raw `options`. */
function driverOptions(net: NetworkDeclaration): Record<string, string> {
  const out: Record<string, string> = { ...(net.options ?? {}) };
  if (net.mtu !== undefined) out[DriverOption.Mtu] = String(net.mtu);
  switch (net.driver) {
    case undefined:
    case "bridge":
      if (net.icc !== undefined) out[DriverOption.BridgeIcc] = bool(net.icc);
      if (net.ipMasquerade !== undefined) out[DriverOption.BridgeIpMasquerade] = bool(net.ipMasquerade);
      if (net.bridgeName !== undefined) out[DriverOption.BridgeName] = net.bridgeName;
      if (net.hostBindingIpv4 !== undefined) out[DriverOption.BridgeHostBindingIpv4] = net.hostBindingIpv4;
      break;
    case "macvlan":
      if (net.parent !== undefined) out[DriverOption.Parent] = net.parent;
      if (net.mode !== undefined) out[DriverOption.MacvlanMode] = net.mode;
      break;
    case "ipvlan":
      if (net.parent !== undefined) out[DriverOption.Parent] = net.parent;
      if (net.mode !== undefined) out[DriverOption.IpvlanMode] = net.mode;
      if (net.flag !== undefined) out[DriverOption.IpvlanFlag] = net.flag;
      break;
    case "overlay":
      if (net.encrypted) out[DriverOption.OverlayEncrypted] = "true";
      break;
    default: {
      const unreachable: never = net;
      throw new Error(`unhandled driver ${JSON.stringify(unreachable)}`);
    }
  }
  return out;
}

function normalizeNetwork(key: string, net: NetworkDeclaration, prefix: string, allocated: string | undefined): NetworkSpec {
  const pools: PoolSpec[] = [
    {
      family: "ipv4",
      subnet: net.subnet ?? allocated,
      ...(net.ipRange !== undefined ? { ipRange: net.ipRange } : {}),
      ...(net.gateway !== undefined ? { gateway: net.gateway } : {}),
      origin: net.subnet !== undefined ? "declared" : allocated !== undefined ? "allocated" : "docker",
    },
  ];
  const hasV6Fields = net.ipv6Subnet !== undefined || net.ipv6Gateway !== undefined || net.ipv6IpRange !== undefined;
  const ipv6 = net.ipv6 ?? net.ipv6Subnet !== undefined;
  if (ipv6 || hasV6Fields) {
    pools.push({
      family: "ipv6",
      ...(net.ipv6Subnet !== undefined ? { subnet: net.ipv6Subnet } : {}),
      ...(net.ipv6IpRange !== undefined ? { ipRange: net.ipv6IpRange } : {}),
      ...(net.ipv6Gateway !== undefined ? { gateway: net.ipv6Gateway } : {}),
      origin: net.ipv6Subnet !== undefined ? "declared" : "docker",
    });
  }
  const options = driverOptions(net);
  return {
    key,
    // An external or adopted network keeps the name it has: no prefix.
    dockerName: net.external || net.adopt !== undefined ? (net.name ?? key) : dockerName(prefix, key, net.name),
    driver: net.driver ?? "bridge",
    pools,
    auxAddresses: { ...(net.auxAddresses ?? {}) },
    ipv6,
    internal: net.internal ?? false,
    attachable: net.attachable ?? false,
    ...(net.mtu !== undefined ? { mtu: net.mtu } : {}),
    labels: { ...(net.labels ?? {}) },
    userOptions: { ...(net.options ?? {}) },
    driverOptions: options,
    icc: options[DriverOption.BridgeIcc] !== "false",
    ...(options[DriverOption.Parent] !== undefined ? { parent: options[DriverOption.Parent] } : {}),
    encrypted: options[DriverOption.OverlayEncrypted] !== undefined,
    external: net.external ?? false,
    ...(net.adopt !== undefined ? { adopt: net.adopt } : {}),
  };
}

function networkMode(service: RawService): NetworkModeSpec {
  const mode = service.networkMode;
  if (mode === undefined) return service.networks && Object.keys(service.networks).length > 0 ? { kind: "networks" } : { kind: "default-bridge" };
  if (mode === "bridge") return { kind: "default-bridge" };
  if (mode === "host") return { kind: "host" };
  if (mode === "none") return { kind: "none" };
  return { kind: "container", service: mode.slice("container:".length) };
}

function extraHosts(service: RawService, mode: NetworkModeSpec, hostGateway: boolean): HostMapping[] {
  const declared = (service.extraHosts ?? []).map((h) => ({ host: h.host, ip: h.ip }));
  // Docker refuses extra hosts with container:X (the namespace is X's) and none has no network to reach.
  const applies = hostGateway && mode.kind !== "none" && mode.kind !== "container";
  if (applies && !declared.some((h) => h.host === HOST_DOCKER_INTERNAL)) {
    declared.push({ host: HOST_DOCKER_INTERNAL, ip: HOST_GATEWAY });
  }
  return declared;
}

function normalizeService(key: string, service: RawService, prefix: string, noHostPath: ReadonlySet<string>): ServiceSpec {
  const mode = networkMode(service);
  const attachments: AttachmentSpec[] = Object.entries(service.networks ?? {}).map(([network, a]) => ({
    network,
    aliases: [...(a.aliases ?? [])],
    sharedAliases: [...(a.sharedAliases ?? [])],
    ...(a.ipv4Address !== undefined ? { ipv4Address: a.ipv4Address } : {}),
    ...(a.ipv6Address !== undefined ? { ipv6Address: a.ipv6Address } : {}),
  }));
  // A container only on macvlan/ipvlan networks has no path to the host: host.docker.internal is not offered by default.
  const hostGateway = service.hostGateway ?? !(attachments.length > 0 && attachments.every((a) => noHostPath.has(a.network)));
  const hc = service.healthcheck;
  return {
    key,
    // An adopted container keeps the name it has: no prefix.
    dockerName: service.adopt !== undefined ? (service.name ?? key) : dockerName(prefix, key, service.name),
    ...(service.adopt !== undefined ? { adopt: service.adopt } : {}),
    image: service.image,
    ...(service.command ? { command: [...service.command] } : {}),
    ...(service.entrypoint ? { entrypoint: [...service.entrypoint] } : {}),
    env: { ...(service.env ?? {}) },
    // flatMap skips the holes parse leaves for broken entries (a declaration with issues), keeping every other index.
    ports: (service.ports ?? []).flatMap((p, index) => [
      {
        index,
        target: p.target,
        ...(p.published !== undefined ? { published: p.published } : {}),
        hostIp: p.hostIp ?? DEFAULT_HOST_IP,
        protocol: p.protocol ?? Protocol.Tcp,
      },
    ]),
    expose: (service.expose ?? []).flatMap((e, index) => [{ index, port: e.port, protocol: e.protocol ?? Protocol.Tcp }]),
    mode,
    attachments,
    extraHosts: extraHosts(service, mode, hostGateway),
    hostGateway,
    dns: [...(service.dns ?? [])],
    dnsSearch: [...(service.dnsSearch ?? [])],
    dnsOptions: [...(service.dnsOptions ?? [])],
    ...(service.hostname !== undefined ? { hostname: service.hostname } : {}),
    restart: service.restart ?? DEFAULT_RESTART,
    ...(hc
      ? {
          healthcheck: {
            test: [...hc.test],
            // Go's spelling, the one Docker reads back ("90s" -> "1m30s"): no diff on the next up.
            interval: canonicalGoDuration(hc.interval ?? "30s"),
            timeout: canonicalGoDuration(hc.timeout ?? "30s"),
            retries: hc.retries ?? 3,
            startPeriod: canonicalGoDuration(hc.startPeriod ?? "0s"),
          },
        }
      : {}),
    labels: { ...(service.labels ?? {}) },
    privileged: service.privileged ?? false,
    connects: (service.connects ?? []).flatMap((c, index) => [typeof c === "string" ? { index, to: c, optional: false } : { index, to: c.to, optional: c.optional ?? false }]),
    envIntents: service.envIntents === undefined || service.envIntents === true ? { enabled: true, ignore: [] } : service.envIntents === false ? { enabled: false, ignore: [] } : { enabled: true, ignore: [...service.envIntents.ignore] },
    // Docker's spelling (CAP_ prefix, upper case), the one the provider reads back.
    capAdd: (service.capAdd ?? []).map(canonicalCapability),
    capDrop: (service.capDrop ?? []).map(canonicalCapability),
  };
}

/** Docker's default `bip`: docker0 is 172.17.0.1/16 unless dockerd is configured otherwise. */
export const DEFAULT_BRIDGE_SUBNET = "172.17.0.0/16";

function defaultBridge(raw: RawTopology): { subnet: string; gateway: string } {
  const subnet = raw.defaultBridge?.subnet ?? DEFAULT_BRIDGE_SUBNET;
  const cidr = parseCidr(subnet);
  return { subnet, gateway: raw.defaultBridge?.gateway ?? (cidr ? defaultGateway(cidr) : "") };
}

/**
 * Applies every default and expands implicit objects, returning a new value:
 * Docker names, 127.0.0.1 host IPs, tcp, the host-gateway mapping, driver
 * options from typed fields, and subnets from `addressPools` for bridge and
 * overlay networks declared without one. Never throws on bad values: those are
 * for {@link validateTopology} to report.
 */
export function normalizeTopology(raw: RawTopology, options: NormalizeOptions = {}): TopologySpec {
  const prefix = options.namePrefix ?? "";
  const networkEntries = Object.entries(raw.networks ?? {});
  const noHostPath = new Set(networkEntries.filter(([, n]) => n.driver === "macvlan" || n.driver === "ipvlan").map(([key]) => key));
  const bridge = defaultBridge(raw);
  const kubernetes = normalizeKubernetes(raw.kubernetes, bridge.gateway);
  const offers = new Map([...bridgeOffers(kubernetes), ...(options.bridges ?? [])]);
  const allocated = allocateSubnets(
    [
      ...networkEntries.map(([key, net]) => ({ key, subnet: net.subnet, allocatable: !net.external && (net.driver === undefined || net.driver === "bridge" || net.driver === "overlay") })),
      { key: "", subnet: bridge.subnet, allocatable: false },
    ],
    raw.addressPools ?? [],
  );
  const networks = networkEntries.map(([key, net]) => normalizeNetwork(key, net, prefix, allocated.get(key))).sort(byKey);
  const networkNames = new Map(networks.map((n) => [n.key, n.dockerName]));
  const topology: TopologySpec = {
    namePrefix: prefix,
    networks,
    services: Object.entries(raw.services ?? {})
      .map(([key, service]) => applyConsumes(normalizeService(key, service, prefix, noHostPath), service.consumes, offers, networkNames))
      .sort(byKey),
    hostServices: Object.entries(raw.hostServices ?? {})
      .map(([key, h]) => ({ key, address: h.address, port: h.port, protocol: h.protocol ?? Protocol.Tcp }))
      .sort(byKey),
    addressPools: (raw.addressPools ?? []).map((p) => ({ base: p.base, size: p.size ?? 24 })),
    defaultBridge: bridge,
    ...(kubernetes ? { kubernetes } : {}),
    registries: normalizeRegistries(raw.registries, prefix),
  };
  return placeOnHosts(topology, raw, normalizeHosts(raw));
}
