import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { parseGoDuration } from "../../model/docker/duration";
import { networkAliases } from "../../model/names";
import { HealthcheckSpec, ServiceSpec } from "../../model/types";
import { MANAGED_LABEL } from "./render-network";

/** Label recording `expose` ports: Docker's API has no expose without publishing, and on user networks every port is reachable anyway. */
export const EXPOSE_LABEL = "container-topology.io/expose";
/** Label recording the published ports of a container whose `ports` the provider cannot read back in order. */
export const PORTS_LABEL = "container-topology.io/ports";

type PortSpec = ServiceSpec["ports"][number];

/** The ports in the order the docker provider reads them back: by container port (its sort), declaration order otherwise. */
function providerPortOrder(ports: readonly PortSpec[]): PortSpec[] {
  return [...ports].sort((a, b) => a.target - b.target);
}

/**
 * Whether the docker provider reads the container's `ports` back in the order it was given. It reads
 * them from the running container: grouped by `<port>/<protocol>` sorted by port number only (so two
 * protocols on one port come back in Go's random map order), and within a group in the order Docker
 * reports the bindings, which is the reverse of the order they were created in (docs/engine-facts.md
 * (n)). So a port published on two host addresses (127.0.0.1 and ::1), or one port number on tcp and
 * udp, always reads back as a change.
 */
export function portsReadBackInOrder(spec: ServiceSpec): boolean {
  const keys = spec.ports.map((p) => `${p.target}/${p.protocol}`);
  const targets = new Map<number, Set<string>>();
  for (const p of spec.ports) targets.set(p.target, (targets.get(p.target) ?? new Set()).add(p.protocol));
  return new Set(keys).size === keys.length && [...targets.values()].every((protocols) => protocols.size === 1);
}

/**
 * Resource options a container needs beside its inputs. Where the provider cannot read `ports` back
 * in order, `ports` is ignored on diff (provider noise, not drift), and the ports are also written in
 * the {@link PORTS_LABEL} label: labels replace the container when they change, so a real change of
 * the published ports still replaces it.
 */
export function containerOptions(spec: ServiceSpec): pulumi.CustomResourceOptions {
  if (spec.adopt !== undefined) {
    // Imported, not created. Our docker provider compares ports in any order (tools/pulumi/docker),
    // so no ignoreChanges there; `wait` and `waitTimeout` only steer a create and are never read back.
    return { ...(typeof spec.adopt === "string" ? { import: spec.adopt } : {}), ...(spec.healthcheck ? { ignoreChanges: ["wait", "waitTimeout"] } : {}) };
  }
  return portsReadBackInOrder(spec) ? {} : { ignoreChanges: ["ports"] };
}

/**
 * The host port of each declared port (by declaration index) in the ports the provider read back,
 * matched by container port, protocol and host address: the provider returns them in its own order.
 */
export function assignedHostPorts(spec: ServiceSpec, readBack: readonly { internal: number; external?: number; ip?: string; protocol?: string }[]): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const p of spec.ports) {
    out[p.index] = readBack.find((r) => r.internal === p.target && (r.protocol ?? "tcp") === p.protocol && (r.ip === undefined || r.ip === p.hostIp))?.external;
  }
  return out;
}

function portsLabel(ports: readonly PortSpec[]): string {
  return ports.map((p) => `${p.hostIp.includes(":") ? `[${p.hostIp}]` : p.hostIp}:${p.published ?? ""}->${p.target}/${p.protocol}`).join(",");
}

/** The resolved Docker names a container refers to. */
export interface ContainerRefs {
  /** Docker name of each attached network, by network key. */
  readonly networkNames: ReadonlyMap<string, pulumi.Input<string>>;
  /**
   * ID of the container whose namespace this one joins (`container:X`). The ID, not the name: Docker
   * stores and reports the mode as `container:<id>`, which the provider reads back.
   */
  readonly namespaceOwner?: pulumi.Input<string>;
}

function networkMode(spec: ServiceSpec, refs: ContainerRefs): pulumi.Input<string> | undefined {
  switch (spec.mode.kind) {
    case "networks":
      return undefined; // the provider creates the container, leaves "bridge" and joins networksAdvanced
    case "default-bridge":
      return "bridge";
    case "host":
      return "host";
    case "none":
      return "none";
    case "container":
      return pulumi.interpolate`container:${refs.namespaceOwner ?? spec.mode.service}`;
    default: {
      const unreachable: never = spec.mode;
      throw new Error(`unhandled network mode ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Seconds `pulumi up` waits for a container with a healthcheck to become healthy: long enough for
 * the start period and every retry to run out (Docker marks it unhealthy then), plus 10 s to start.
 */
export function healthWaitSeconds(hc: HealthcheckSpec): number {
  const s = (text: string) => Number(parseGoDuration(text) ?? 0n) / 1e9;
  return Math.ceil(s(hc.startPeriod) + (hc.retries + 1) * (s(hc.interval) + s(hc.timeout))) + 10;
}

/** The @pulumi/docker Container inputs for a normalized service. */
export function containerInputs(spec: ServiceSpec, refs: ContainerRefs): docker.ContainerArgs {
  const labels: Record<string, string> = { ...spec.labels };
  // An adopted container keeps the labels it has: labels are fixed at creation, a new one would replace it.
  if (spec.adopt === undefined) {
    labels[MANAGED_LABEL] = "true";
    if (spec.expose.length > 0) labels[EXPOSE_LABEL] = spec.expose.map((e) => `${e.port}/${e.protocol}`).join(",");
    if (!portsReadBackInOrder(spec)) labels[PORTS_LABEL] = portsLabel(spec.ports);
  }
  const mode = networkMode(spec, refs);
  const hc = spec.healthcheck;
  return {
    name: spec.dockerName,
    image: spec.image as pulumi.Input<string>,
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.entrypoint ? { entrypoints: [...spec.entrypoint] } : {}),
    envs: Object.entries(spec.env).map(([key, value]) => pulumi.output(value as pulumi.Input<string>).apply((v) => `${key}=${v}`)),
    ports: providerPortOrder(spec.ports).map((p) => ({ internal: p.target, ...(p.published !== undefined ? { external: p.published } : {}), ip: p.hostIp, protocol: p.protocol })),
    ...(mode !== undefined ? { networkMode: mode } : {}),
    networksAdvanced: spec.mode.kind === "networks"
      ? spec.attachments.map((a) => ({
          name: refs.networkNames.get(a.network) ?? a.network,
          aliases: networkAliases(spec, a),
          ...(a.ipv4Address !== undefined ? { ipv4Address: a.ipv4Address } : {}),
          ...(a.ipv6Address !== undefined ? { ipv6Address: a.ipv6Address } : {}),
        }))
      : [],
    hosts: spec.extraHosts.map((h) => ({ host: h.host, ip: h.ip })),
    ...(spec.dns.length > 0 ? { dns: [...spec.dns] } : {}),
    ...(spec.dnsSearch.length > 0 ? { dnsSearches: [...spec.dnsSearch] } : {}),
    ...(spec.dnsOptions.length > 0 ? { dnsOpts: [...spec.dnsOptions] } : {}),
    ...(spec.hostname !== undefined ? { hostname: spec.hostname } : {}),
    restart: spec.restart,
    ...(hc
      ? {
          healthcheck: { tests: [...hc.test], interval: hc.interval, timeout: hc.timeout, retries: hc.retries, startPeriod: hc.startPeriod },
          // `up` fails with the container's state instead of reporting success for a container that
          // never becomes healthy (and is then replaced on every later up, as one that exited is).
          wait: true,
          waitTimeout: healthWaitSeconds(hc),
        }
      : {}),
    labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
    privileged: spec.privileged,
    ...(spec.capAdd.length > 0 || spec.capDrop.length > 0 ? { capabilities: { adds: [...spec.capAdd], drops: [...spec.capDrop] } } : {}),
  };
}
