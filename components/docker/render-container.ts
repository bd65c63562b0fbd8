import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { parseGoDuration } from "../../model/docker/duration";
import { networkAliases } from "../../model/names";
import { HealthcheckSpec, ServiceSpec } from "../../model/types";
import { MANAGED_LABEL } from "./render-network";

/** Label recording `expose` ports: Docker's API has no expose without publishing, and on user networks every port is reachable anyway. */
export const EXPOSE_LABEL = "container-topology.io/expose";

/** The resolved Docker names a container refers to. */
export interface ContainerRefs {
  /** Docker name of each attached network, by network key. */
  readonly networkNames: ReadonlyMap<string, pulumi.Input<string>>;
  /** Docker name of the container whose namespace this one joins (`container:X`). */
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
  const labels: Record<string, string> = { ...spec.labels, [MANAGED_LABEL]: "true" };
  if (spec.expose.length > 0) labels[EXPOSE_LABEL] = spec.expose.map((e) => `${e.port}/${e.protocol}`).join(",");
  const mode = networkMode(spec, refs);
  const hc = spec.healthcheck;
  return {
    name: spec.dockerName,
    image: spec.image as pulumi.Input<string>,
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.entrypoint ? { entrypoints: [...spec.entrypoint] } : {}),
    envs: Object.entries(spec.env).map(([key, value]) => pulumi.output(value as pulumi.Input<string>).apply((v) => `${key}=${v}`)),
    ports: spec.ports.map((p) => ({ internal: p.target, ...(p.published !== undefined ? { external: p.published } : {}), ip: p.hostIp, protocol: p.protocol })),
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
