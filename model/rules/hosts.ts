import { addressPlan } from "../docker/address-plan";
import { error, Issue, IssueCode, warning } from "../errors";
import { HostSpec, SwarmRole } from "../hosts/types";
import { isLocalDriver } from "../hosts/normalize";
import { cidrContains, parseIp } from "../ip";
import { joinPath } from "../paths";
import { quote } from "../suggest";
import { Rule } from "./rule";

const SCHEMES = ["unix://", "tcp://", "ssh://", "npipe://"];

/** Everything placed on a host: its path, its declared host (after defaulting), and what it is. */
interface Placed {
  readonly path: readonly string[];
  readonly host?: string;
  readonly what: string;
}

function checkHosts(hosts: readonly HostSpec[], issues: Issue[]): void {
  const addresses = new Map<string, string>();
  for (const h of hosts) {
    const at = (field: string) => joinPath("hosts", h.key, field);
    if (h.host !== undefined && !SCHEMES.some((s) => h.host!.startsWith(s))) {
      issues.push(error(IssueCode.InvalidValue, at("host"), `${quote(h.host)} is not a Docker endpoint: use unix:///path/docker.sock, tcp://ADDRESS:2376 or ssh://USER@ADDRESS`));
    }
    if (h.tls !== undefined && !(h.host ?? "").startsWith("tcp://")) {
      issues.push(error(IssueCode.InvalidValue, at("tls"), `TLS material is for a tcp:// engine, and host is ${h.host === undefined ? "not set" : quote(h.host)}. Set host: tcp://ADDRESS:2376, or remove tls`));
    }
    if (h.address !== undefined) {
      const ip = parseIp(h.address);
      if (!ip) issues.push(error(IssueCode.InvalidIp, at("address"), `${quote(h.address)} is not an IP address: write the address the other hosts reach this one on, e.g. 10.0.0.2`));
      else {
        const other = addresses.get(ip.text);
        if (other) issues.push(error(IssueCode.DuplicateName, at("address"), `${ip.text} is also the address of hosts.${other}: each host has its own address`));
        else addresses.set(ip.text, h.key);
      }
    }
  }
}

/**
 * Several hosts: every object is on a declared host (the only one by default); a bridge, macvlan or
 * ipvlan network exists on one host, so only containers of that host join it; overlays span the
 * swarm, so every host using one is a swarm member and a manager exists; a shared namespace stays
 * on one host. Without a `hosts` section nothing may name a host.
 */
export const hosts: Rule = {
  id: "hosts",
  summary: "objects name declared hosts; a bridge, macvlan or ipvlan network is joined only from its own host; overlays need every host using them in the swarm, with a manager; a shared namespace stays on one host",
  check({ topology, networks, services }) {
    const issues: Issue[] = [];
    const declared = topology.hosts ?? [];
    const byKey = new Map(declared.map((h) => [h.key, h]));
    checkHosts(declared, issues);
    const placed: Placed[] = [
      ...topology.services.map((s) => ({ path: ["services", s.key], host: s.host, what: "a container" })),
      ...topology.registries.map((r) => ({ path: ["registries", r.key], host: r.host, what: "a registry container" })),
      ...topology.hostServices.map((h) => ({ path: ["hostServices", h.key], host: h.host, what: "a host listener" })),
    ];
    const keys = declared.map((h) => h.key).join(", ");
    for (const p of placed) {
      if (p.host === undefined) {
        if (declared.length > 1) issues.push(error(IssueCode.MissingField, joinPath(...p.path, "host"), `${declared.length} hosts are declared (${keys}): say which one runs ${p.what === "a host listener" ? "this listener" : "it"}`));
      } else if (!byKey.has(p.host)) {
        issues.push(error(IssueCode.UnknownHost, joinPath(...p.path, "host"), declared.length === 0 ? `names host ${quote(p.host)}, but no hosts are declared: declare hosts.${p.host} (with its engine's host URL), or remove host` : `${quote(p.host)} is not a declared host (${keys})`));
      }
    }
    for (const n of topology.networks) {
      if (!isLocalDriver(n.driver)) {
        if (n.host !== undefined) issues.push(error(IssueCode.InvalidValue, joinPath("networks", n.key, "host"), `an overlay network spans the swarm, not one host: remove host`));
        continue;
      }
      if (n.host !== undefined && !byKey.has(n.host)) {
        issues.push(error(IssueCode.UnknownHost, joinPath("networks", n.key, "host"), declared.length === 0 ? `names host ${quote(n.host)}, but no hosts are declared: declare hosts.${n.host}, or remove host` : `${quote(n.host)} is not a declared host (${keys})`));
      } else if (n.host === undefined && declared.length > 1) {
        issues.push(error(IssueCode.MissingField, joinPath("networks", n.key, "host"), `a ${n.driver} network exists on one host, and its services are on several (or none): set host (${keys}), or use driver: overlay with attachable: true to span hosts`));
      }
    }
    if (declared.length === 0) return issues;

    // Joins: a container only joins a local network of its own host; overlays need swarm members.
    for (const s of topology.services) {
      if (s.host === undefined || !byKey.has(s.host)) continue;
      if (s.mode.kind === "container") {
        const owner = services.get(s.mode.service);
        if (owner?.host !== undefined && owner.host !== s.host) {
          issues.push(error(IssueCode.CrossHostNetwork, joinPath("services", s.key, "networkMode"), `shares the namespace of services.${owner.key}, which runs on hosts.${owner.host}, and this one runs on hosts.${s.host}: a namespace exists on one host. Run both on one host`));
        }
      }
      if (s.mode.kind !== "networks") continue;
      for (const a of s.attachments) {
        const n = networks.get(a.network);
        if (!n) continue;
        if (!isLocalDriver(n.driver)) {
          if (byKey.get(s.host)!.swarm === SwarmRole.None) {
            issues.push(error(IssueCode.SwarmMembership, joinPath("services", s.key, "networks", a.network), `networks.${n.key} is an overlay, and hosts.${s.host}, where this runs, is not in the swarm (swarm: none). Set hosts.${s.host}.swarm: worker`));
          }
        } else if (n.host !== undefined && n.host !== s.host) {
          issues.push(error(IssueCode.CrossHostNetwork, joinPath("services", s.key, "networks", a.network), `networks.${n.key} is a ${n.driver} network on hosts.${n.host}, and this container runs on hosts.${s.host}: a ${n.driver} network exists on one host only. Join an overlay (driver: overlay, attachable: true) to reach across hosts, or run it on hosts.${n.host}`));
        }
      }
    }
    const overlays = topology.networks.filter((n) => !isLocalDriver(n.driver) && !n.external);
    const plan = addressPlan(topology);
    for (const n of overlays) {
      // Measured: Docker accepts an overlay on the hosts' own subnet, and its containers then lose the hosts' addresses.
      const subnet = plan.get(n.key)?.ipv4?.subnet;
      const inside = subnet ? declared.find((h) => {
        const ip = h.address === undefined ? undefined : parseIp(h.address);
        return ip !== undefined && ip.family === subnet.family && cidrContains(subnet, ip);
      }) : undefined;
      if (inside) issues.push(error(IssueCode.SubnetOverlap, joinPath("networks", n.key, "subnet"), `${subnet!.text} holds hosts.${inside.key}'s address ${inside.address}: Docker accepts it, and containers on the overlay then no longer reach the hosts' addresses (their published ports). Pick a block outside the hosts' network`));
      if (!n.encrypted) continue;
      const users = new Set(topology.services.filter((s) => s.mode.kind === "networks" && s.attachments.some((a) => a.network === n.key)).map((s) => s.host));
      const sealed = declared.filter((h) => !h.ipsec && users.has(h.key));
      if (sealed.length > 0 && users.size > 1) {
        issues.push(warning(IssueCode.SwarmMembership, joinPath("networks", n.key, "encrypted"), `${sealed.map((h) => `hosts.${h.key}`).join(", ")} ${sealed.length > 1 ? "have" : "has"} no IPsec ESP in the kernel (ipsec: false): Docker creates the encrypted overlay and attaches its containers without an error, then drops their traffic with the other hosts. Same-host traffic still works; use a kernel with CONFIG_INET_ESP and CONFIG_CRYPTO_GCM, or drop encrypted`));
      }
    }
    if (overlays.length > 0 && !declared.some((h) => h.swarm === SwarmRole.Manager)) {
      issues.push(error(IssueCode.SwarmMembership, "hosts", `overlay networks (${overlays.map((n) => `networks.${n.key}`).join(", ")}) are created on a swarm manager, and no host is one: set swarm: manager on one host (the others default to worker)`));
    }
    return issues;
  },
};
