import { error, Issue, IssueCode } from "../errors";
import { ParsedIp } from "../ip";
import { joinPath } from "../paths";
import { parseIpOnce } from "./address-checks";
import { isPort } from "./port-ranges";
import { Rule } from "./rule";

/** One host socket the topology will bind. */
interface Bind {
  readonly ip: ParsedIp;
  /** The field's path, built only for a bind that clashes (thousands of ports, rarely a clash). */
  readonly path: () => string;
  readonly owner: string;
}

function label(bind: Bind, port: number, protocol: string): string {
  const host = bind.ip.family === "ipv6" ? `[${bind.ip.text}]` : bind.ip.text;
  return `${host}:${port}/${protocol}`;
}

/**
 * The binds already made on one protocol/port, indexed so that finding a clash is
 * O(1): the same address clashes, and a family's wildcard (`0.0.0.0` for IPv4,
 * `::` for IPv6) clashes with every address of that family. Measured on the
 * engine (docs/engine-facts.md, b): `[::]:X` beside `0.0.0.0:X` is accepted,
 * because Docker binds its IPv6 listener v6-only.
 */
class PortBinds {
  private readonly exact = new Map<string, Bind>();
  private readonly firstOfFamily = new Map<string, Bind>();
  private readonly wildcard = new Map<string, Bind>();

  /** The earlier bind this one clashes with, or undefined after recording it. */
  claim(bind: Bind): Bind | undefined {
    const { family, text, value } = bind.ip;
    const clash = this.exact.get(`${family}|${text}`) ?? this.wildcard.get(family) ?? (value === 0n ? this.firstOfFamily.get(family) : undefined);
    if (clash) return clash;
    this.exact.set(`${family}|${text}`, bind);
    if (!this.firstOfFamily.has(family)) this.firstOfFamily.set(family, bind);
    if (value === 0n) this.wildcard.set(family, bind);
    return undefined;
  }
}

/**
 * No two published ports (or a published port and a declared host service) bind
 * the same host socket. Grouped by protocol and port, so linear in the number of
 * ports; within a group each bind is compared to the distinct addresses before it.
 */
export const portClash: Rule = {
  id: "port-clash",
  summary: "published ports, registry ports and host services never bind the same protocol/port on overlapping addresses of one host",
  check({ topology }) {
    const issues: Issue[] = [];
    const groups = new Map<string, Bind[]>();
    // Each host binds its own sockets: binds clash only on one host (one implicit host: all of them).
    const add = (protocol: string, port: number, bind: Bind, host: string | undefined) => {
      const key = `${protocol}/${port}/${host ?? ""}`;
      const group = groups.get(key);
      if (group) group.push(bind);
      else groups.set(key, [bind]);
    };
    for (const host of topology.hostServices) {
      const ip = parseIpOnce(host.address);
      if (ip && isPort(host.port)) add(host.protocol, host.port, { ip, path: () => joinPath("hostServices", host.key), owner: `hostServices.${host.key}` }, host.host);
    }
    for (const service of topology.services) {
      if (service.mode.kind !== "networks" && service.mode.kind !== "default-bridge") continue; // reported as a mode conflict
      for (const port of service.ports) {
        const ip = parseIpOnce(port.hostIp);
        if (!ip || port.published === undefined || !isPort(port.published)) continue;
        add(port.protocol, port.published, { ip, path: () => joinPath("services", service.key, "ports", port.index, "published"), owner: `services.${service.key}` }, service.host);
      }
    }
    for (const registry of topology.registries ?? []) {
      const ip = parseIpOnce(registry.hostIp);
      if (ip && isPort(registry.port)) add("tcp", registry.port, { ip, path: () => joinPath("registries", registry.key, "port"), owner: `registries.${registry.key}` }, registry.host);
    }
    for (const [key, binds] of groups) {
      if (binds.length < 2) continue; // one bind on this protocol/port: nothing to clash with (most ports)
      const [protocol, portText] = key.split("/");
      const port = Number(portText);
      const claimed = new PortBinds();
      for (const bind of binds) {
        const earlier = claimed.claim(bind);
        if (earlier) {
          issues.push(error(IssueCode.PortClash, bind.path(), `${label(bind, port, protocol!)} clashes with ${label(earlier, port, protocol!)} of ${earlier.owner}. Use another published port or host IP`));
        }
      }
    }
    return issues;
  },
};
