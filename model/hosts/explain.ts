/**
 * Why a connection across hosts fails, and the fix: a port dialled at a host's address that is bound
 * to loopback (or another address) there, `host.docker.internal` used for a port another host
 * publishes (the gateway is each host's own), a name that answers only on another host's bridge.
 */
import { canonicalIp, isLoopback, isWildcard, parseIp } from "../ip";
import { dnsNames } from "../names";
import { HOST_DOCKER_INTERNAL, ServiceSpec, TopologySpec } from "../types";
import { isLocalDriver } from "./normalize";

/** Reasons and a fix, when the failure is about hosts; undefined when hosts do not explain it. */
export function crossHostReasons(topology: TopologySpec, caller: ServiceSpec, name: string, port: number): { reasons: string[]; fix?: string } | undefined {
  const hosts = topology.hosts ?? [];
  if (hosts.length < 2) return undefined;
  const here = caller.host;
  const ip = parseIp(name);
  const at = ip ? hosts.find((h) => h.address !== undefined && canonicalIp(h.address) === ip.text) : undefined;
  if (at) {
    const bound = topology.services.filter((s) => s.host === at.key).flatMap((s) => s.ports.filter((p) => p.published === port).map((p) => ({ s, p })));
    if (bound.length === 0) return { reasons: [`nothing on hosts.${at.key} (${name}) publishes ${port}`], fix: `publish the service on hosts.${at.key} on ${port}, or call the right port` };
    const { s, p } = bound[0]!;
    if (!isWildcard(p.hostIp) && canonicalIp(p.hostIp) !== ip!.text) {
      return {
        reasons: [`services.${s.key} publishes ${port} on ${p.hostIp} of hosts.${at.key}${isLoopback(p.hostIp) ? ": loopback, which only hosts." + at.key + " itself reaches" : ", not on its address " + name}`],
        fix: `publish it on ${name} (or 0.0.0.0) of hosts.${at.key}, or join an overlay both are on and call ${s.key}:${p.target}`,
      };
    }
    return undefined;
  }
  if (name === HOST_DOCKER_INTERNAL) {
    const elsewhere = topology.services.find((s) => s.host !== here && s.ports.some((p) => p.published === port));
    const address = hosts.find((h) => h.key === elsewhere?.host)?.address;
    if (elsewhere && !topology.services.some((s) => s.host === here && s.ports.some((p) => p.published === port))) {
      return {
        reasons: [`${HOST_DOCKER_INTERNAL} is the gateway of hosts.${here}, where services.${caller.key} runs; ${port} is published by services.${elsewhere.key} on hosts.${elsewhere.host}`],
        fix: address ? `call ${address}:${port} (hosts.${elsewhere.host}'s address), or join an overlay both are on` : `give hosts.${elsewhere.host} an address and call it there, or join an overlay both are on`,
      };
    }
    return undefined;
  }
  const local = topology.services.flatMap((s) => s.attachments.filter((a) => dnsNames(s, a).some((n) => n.toLowerCase() === name)).map((a) => ({ s, n: topology.networks.find((x) => x.key === a.network) })));
  const other = local.find(({ s, n }) => n !== undefined && isLocalDriver(n.driver) && n.host !== undefined && s.host !== here);
  if (other && !local.some(({ n }) => n !== undefined && !isLocalDriver(n.driver) && caller.attachments.some((a) => a.network === n.key))) {
    return {
      reasons: [`${name} answers on networks.${other.n!.key}, a ${other.n!.driver} network on hosts.${other.n!.host}; services.${caller.key} runs on hosts.${here}, and a ${other.n!.driver} network exists on one host only`],
      fix: `put both on an overlay network (driver: overlay, attachable: true) and call ${name}:${port}, or call a port services.${other.s.key} publishes on hosts.${other.s.host}'s address`,
    };
  }
  return undefined;
}
