/**
 * A normalized topology written back as a declaration, with every default
 * spelled out: the inverse of normalize used by the idempotence property
 * (tests/unit/properties.test.ts). Docker names become `name`, host IPs,
 * protocols and the restart policy are written, the host-gateway mapping is an
 * extra host, driver options set by typed fields (icc, parent, mode...) become
 * those fields again and the user's own options stay `options`; subnets
 * allocated from addressPools are left out, since the pool gives them again.
 */
import { DriverOption } from "../../model/docker/driver-options";
import { NetworkSpec, ServiceSpec, TopologySpec } from "../../model/types";

/** A driver option set by a typed field differs from (or is absent in) the user's options: write it back as that field. */
function typedFields(n: NetworkSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const typed = (key: string) => (n.driverOptions[key] !== undefined && n.driverOptions[key] !== n.userOptions[key] ? n.driverOptions[key] : undefined);
  const fields: Record<string, readonly [string, string][]> = {
    bridge: [["icc", DriverOption.BridgeIcc], ["ipMasquerade", DriverOption.BridgeIpMasquerade], ["bridgeName", DriverOption.BridgeName], ["hostBindingIpv4", DriverOption.BridgeHostBindingIpv4]],
    macvlan: [["parent", DriverOption.Parent], ["mode", DriverOption.MacvlanMode]],
    ipvlan: [["parent", DriverOption.Parent], ["mode", DriverOption.IpvlanMode], ["flag", DriverOption.IpvlanFlag]],
    overlay: [["encrypted", DriverOption.OverlayEncrypted]],
  };
  for (const [field, key] of fields[n.driver]!) {
    const value = typed(key);
    if (value === undefined) continue;
    out[field] = field === "icc" || field === "ipMasquerade" || field === "encrypted" ? value === "true" : value;
  }
  return out;
}

function networkOf(n: NetworkSpec): Record<string, unknown> {
  const v4 = n.pools.find((p) => p.family === "ipv4");
  const v6 = n.pools.find((p) => p.family === "ipv6");
  return {
    name: n.dockerName,
    driver: n.driver,
    // A pooled subnet is left out: the pool must give it again.
    ...(v4?.origin === "declared" ? { subnet: v4.subnet } : {}),
    ...(v4?.ipRange !== undefined ? { ipRange: v4.ipRange } : {}),
    ...(v4?.gateway !== undefined ? { gateway: v4.gateway } : {}),
    auxAddresses: n.auxAddresses,
    ipv6: n.ipv6,
    ...(v6?.origin === "declared" ? { ipv6Subnet: v6.subnet } : {}),
    ...(v6?.ipRange !== undefined ? { ipv6IpRange: v6.ipRange } : {}),
    ...(v6?.gateway !== undefined ? { ipv6Gateway: v6.gateway } : {}),
    internal: n.internal,
    attachable: n.attachable,
    ...(n.mtu !== undefined ? { mtu: n.mtu } : {}),
    labels: n.labels,
    options: n.userOptions,
    ...typedFields(n),
  };
}

function serviceOf(s: ServiceSpec): Record<string, unknown> {
  const mode = s.mode.kind === "networks" ? undefined : s.mode.kind === "default-bridge" ? "bridge" : s.mode.kind === "container" ? `container:${s.mode.service}` : s.mode.kind;
  return {
    image: s.image,
    name: s.dockerName,
    ...(s.command ? { command: s.command } : {}),
    ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}),
    env: s.env,
    ports: s.ports.map((p) => ({ target: p.target, ...(p.published !== undefined ? { published: p.published } : {}), hostIp: p.hostIp, protocol: p.protocol })),
    expose: s.expose.map((e) => ({ port: e.port, protocol: e.protocol })),
    ...(s.attachments.length > 0 ? { networks: Object.fromEntries(s.attachments.map((a) => [a.network, { aliases: a.aliases, sharedAliases: a.sharedAliases, ...(a.ipv4Address !== undefined ? { ipv4Address: a.ipv4Address } : {}), ...(a.ipv6Address !== undefined ? { ipv6Address: a.ipv6Address } : {}) }])) } : {}),
    ...(mode !== undefined ? { networkMode: mode } : {}),
    extraHosts: s.extraHosts,
    hostGateway: s.hostGateway,
    dns: s.dns,
    dnsSearch: s.dnsSearch,
    dnsOptions: s.dnsOptions,
    ...(s.hostname !== undefined ? { hostname: s.hostname } : {}),
    restart: s.restart,
    ...(s.healthcheck ? { healthcheck: s.healthcheck } : {}),
    labels: s.labels,
    privileged: s.privileged,
    capAdd: s.capAdd,
    capDrop: s.capDrop,
  };
}

/** A normalized topology written back as a declaration, every default spelled out. */
export function declarationOf(spec: TopologySpec): Record<string, unknown> {
  return {
    networks: Object.fromEntries(spec.networks.map((n) => [n.key, networkOf(n)])),
    services: Object.fromEntries(spec.services.map((s) => [s.key, serviceOf(s)])),
    hostServices: Object.fromEntries(spec.hostServices.map((h) => [h.key, { address: h.address, port: h.port, protocol: h.protocol }])),
    addressPools: spec.addressPools.map((p) => ({ base: p.base, size: p.size })),
    defaultBridge: { subnet: spec.defaultBridge.subnet, ...(spec.defaultBridge.gateway !== "" ? { gateway: spec.defaultBridge.gateway } : {}) },
  };
}
