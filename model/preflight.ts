/**
 * Preflight: a valid topology against what already exists on the engine and the host, before
 * anything is created. The answers are the engine's own refusals, said in advance: "Pool overlaps
 * with other one on this address space", "port is already allocated", "address already in use",
 * "Conflict. The container name is already in use", a macvlan parent that is not an interface, and an
 * external network that is not there. Pure: the engine and the host are read elsewhere (cli/) into an
 * {@link EngineSnapshot}; this module never does I/O.
 */
import { addressPlan } from "./docker/address-plan";
import { error, Issue, IssueCode, sortIssues, warning } from "./errors";
import { Cidr, cidrsOverlap, isLoopback, isWildcard, parseCidr, parseIp } from "./ip";
import { joinPath } from "./paths";
import { quote } from "./suggest";
import { TopologySpec } from "./types";

/** The label every Docker object the components create carries (`container-topology.io/managed=true`): ours, as opposed to theirs. */
export const MANAGED_LABEL = "container-topology.io/managed";

/** A network on the engine. */
export interface EngineNetwork {
  /** Docker ID (matches an `adopt`). */
  readonly id?: string;
  readonly name: string;
  readonly driver: string;
  /** IPAM subnets (v4 and v6). */
  readonly subnets: readonly string[];
  readonly gateways: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** A host port a container publishes. */
export interface EngineBinding {
  readonly hostIp: string;
  readonly port: number;
  readonly protocol: string;
}

/** A container on the engine (running or not). */
export interface EngineContainer {
  /** Docker ID (matches an `adopt`). */
  readonly id?: string;
  readonly name: string;
  readonly running: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** Published ports of a running container. */
  readonly bindings: readonly EngineBinding[];
}

/** A listening socket of the host (tcp LISTEN, or a bound udp socket). */
export interface HostSocket {
  readonly address: string;
  readonly port: number;
  readonly protocol: "tcp" | "udp";
}

/** What preflight compares the topology with. */
export interface EngineSnapshot {
  /** Where it was read from, for messages (e.g. `unix:///var/run/docker.sock`). */
  readonly engine: string;
  readonly networks: readonly EngineNetwork[];
  readonly containers: readonly EngineContainer[];
  /** Image references present locally (`repo:tag`). */
  readonly images: readonly string[];
  /** Host facts, only when the engine runs on this host (a unix socket); undefined for a remote engine. */
  readonly host?: {
    readonly sockets: readonly HostSocket[];
    readonly interfaces: readonly string[];
  };
}

const ours = (labels: Readonly<Record<string, string>>) => labels[MANAGED_LABEL] === "true";

/** Declared objects by Docker name, each with its `adopt` (an ID, true once adopted, or undefined). */
type Declared = ReadonlyMap<string, string | true | undefined>;

/**
 * An engine object is this topology's when a declared object has its name and it carries our label,
 * or is the one being adopted (its ID), or the declared object was adopted (`true`: it has no label).
 */
const isOurs = (declared: Declared, found: { readonly name: string; readonly id?: string; readonly labels: Readonly<Record<string, string>> }) => {
  if (!declared.has(found.name)) return false;
  const adopt = declared.get(found.name);
  return ours(found.labels) || adopt === true || (found.id !== undefined && found.id === adopt);
};

const containerNames = (topology: TopologySpec): Declared =>
  new Map([...topology.services.map((s) => [s.dockerName, s.adopt] as const), ...topology.registries.map((r) => [r.dockerName, undefined] as const)]);

/** Each adopted object must exist, under the name declared for it. */
function checkAdopted(topology: TopologySpec, snapshot: EngineSnapshot, issues: Issue[]): void {
  const objects = [
    ...topology.networks.map((n) => ({ kind: "network", section: "networks", key: n.key, name: n.dockerName, adopt: n.adopt, found: snapshot.networks })),
    ...topology.services.map((s) => ({ kind: "container", section: "services", key: s.key, name: s.dockerName, adopt: s.adopt, found: snapshot.containers })),
  ];
  for (const o of objects) {
    if (typeof o.adopt !== "string") continue;
    const found = (o.found as readonly { id?: string; name: string }[]).find((f) => f.id === o.adopt);
    if (!found) issues.push(error(IssueCode.InvalidValue, joinPath(o.section, o.key, "adopt"), `the engine (${snapshot.engine}) has no ${o.kind} with ID ${o.adopt.slice(0, 12)}: it was removed or recreated before the import (after an up that adopted it, write adopt: true instead of the ID). Run container-topology import --from-engine again, or remove adopt to create it`));
    else if (found.name !== o.name) issues.push(error(IssueCode.InvalidValue, joinPath(o.section, o.key, "name"), `is ${quote(o.name)}, but the ${o.kind} adopted (${o.adopt.slice(0, 12)}) is named ${quote(found.name)}: a different name would replace it. Set name: ${found.name}`));
  }
}

function bracket(ip: string): string {
  return ip.includes(":") ? `[${ip}]` : ip;
}

/** Two binds of one port and protocol collide: equal addresses, or a wildcard of the same family (a host `::` is dual-stack). */
function collides(bind: string, other: string, otherIsHostV6Wildcard: boolean): boolean {
  const a = parseIp(bind);
  const b = parseIp(other);
  if (!a || !b) return false;
  if (a.text === b.text) return true;
  if (a.family === b.family) return isWildcard(bind) || isWildcard(other);
  // Linux's default (bindv6only=0): a host process on [::]:X also holds 0.0.0.0:X, so every IPv4 bind collides.
  return otherIsHostV6Wildcard && a.family === "ipv4";
}

function checkSubnets(topology: TopologySpec, snapshot: EngineSnapshot, issues: Issue[]): void {
  const names: Declared = new Map(topology.networks.map((n) => [n.dockerName, n.adopt]));
  const theirs = snapshot.networks
    .filter((n) => !isOurs(names, n))
    .flatMap((n) => n.subnets.flatMap((s) => {
      const cidr = parseCidr(s);
      return cidr ? [{ cidr, name: n.name }] : [];
    }));
  const plan = addressPlan(topology);
  for (const network of topology.networks) {
    if (network.external) continue;
    for (const family of ["ipv4", "ipv6"] as const) {
      const subnet: Cidr | undefined = plan.get(network.key)?.[family]?.subnet;
      if (!subnet) continue;
      const clash = theirs.find((t) => t.cidr.family === subnet.family && cidrsOverlap(t.cidr, subnet));
      if (!clash) continue;
      const pool = network.pools.find((p) => p.family === family);
      const field = family === "ipv4" ? "subnet" : "ipv6Subnet";
      const path = pool?.origin === "declared" ? joinPath("networks", network.key, field) : joinPath("networks", network.key);
      const how = pool?.origin === "allocated" ? `${subnet.text} (allocated from addressPools)` : subnet.text;
      issues.push(error(IssueCode.SubnetOverlap, path, `${how} overlaps ${clash.cidr.text} of network ${quote(clash.name)}, which exists on the engine and is not this topology's: Docker would refuse it ("Pool overlaps with other one on this address space"). Pick a block outside ${clash.cidr.text}, or remove that network`));
    }
  }
}

function checkNames(topology: TopologySpec, snapshot: EngineSnapshot, issues: Issue[]): void {
  const networks = new Map(snapshot.networks.map((n) => [n.name, n]));
  for (const network of topology.networks) {
    const found = networks.get(network.dockerName);
    const path = joinPath("networks", network.key);
    if (network.external) {
      if (!found) issues.push(error(IssueCode.UnknownNetwork, path, `is external, but the engine (${snapshot.engine}) has no network named ${quote(network.dockerName)}. Create it first (kind creates "kind" with its cluster), or fix name`));
      else if (found.driver !== network.driver) issues.push(error(IssueCode.InvalidValue, joinPath("networks", network.key, "driver"), `is ${quote(network.driver)}, but network ${quote(network.dockerName)} on the engine uses ${quote(found.driver)}. Set driver: ${found.driver}`));
      continue;
    }
    if (found && !isOurs(new Map([[network.dockerName, network.adopt]]), found)) {
      issues.push(error(IssueCode.DuplicateName, path, `the Docker name ${quote(network.dockerName)} belongs to a network on the engine that is not this topology's (it has no ${MANAGED_LABEL} label). Remove that network, or set name`));
    }
  }
  const containers = new Map(snapshot.containers.map((c) => [c.name, c]));
  const declared = containerNames(topology);
  const named = [
    ...topology.services.map((s) => ({ name: s.dockerName, path: joinPath("services", s.key) })),
    ...topology.registries.map((r) => ({ name: r.dockerName, path: joinPath("registries", r.key) })),
  ];
  for (const { name, path } of named) {
    const found = containers.get(name);
    if (found && !isOurs(declared, found)) {
      issues.push(error(IssueCode.DuplicateName, path, `the container name ${quote(name)} is taken on the engine by a container that is not this topology's: Docker would refuse it ("Conflict. The container name is already in use"). Remove that container, or set name`));
    }
  }
}

function checkPorts(topology: TopologySpec, snapshot: EngineSnapshot, issues: Issue[]): void {
  // Containers this topology will replace or adopt are not in the way; every other running one is.
  const declared = containerNames(topology);
  const others = snapshot.containers.filter((c) => c.running && !isOurs(declared, c));
  // Docker's own proxies listen for every published port: those sockets are the containers', reported above.
  const published = new Set(snapshot.containers.flatMap((c) => c.bindings.map((b) => `${b.protocol}/${b.port}`)));
  const sockets = (snapshot.host?.sockets ?? []).filter((s) => !published.has(`${s.protocol}/${s.port}`));
  const binds = [
    ...topology.services.flatMap((s) => s.ports.map((p) => ({ port: p, path: joinPath("services", s.key, "ports", p.index) }))),
    ...topology.registries.map((r) => ({ port: { published: r.port, hostIp: r.hostIp, protocol: "tcp" as const }, path: joinPath("registries", r.key, "port") })),
  ];
  for (const { port, path } of binds) {
    if (port.published === undefined) continue;
    const label = `${bracket(port.hostIp)}:${port.published}/${port.protocol}`;
    const container = others.flatMap((c) => c.bindings.map((b) => ({ c, b }))).find(({ b }) => b.port === port.published && b.protocol === port.protocol && collides(port.hostIp, b.hostIp, false));
    if (container) {
      issues.push(error(IssueCode.PortClash, path, `${label} is taken: container ${quote(container.c.name)} publishes ${bracket(container.b.hostIp)}:${container.b.port}/${container.b.protocol} (Docker would say "port is already allocated"). Stop it, or publish another port`));
      continue;
    }
    if (port.protocol === "sctp") continue;
    const socket = sockets.find((s) => s.port === port.published && s.protocol === port.protocol && collides(port.hostIp, s.address, s.address === "::"));
    if (socket) {
      issues.push(error(IssueCode.PortClash, path, `${label} is taken: a process on this host listens on ${bracket(socket.address)}:${socket.port}/${socket.protocol} (Docker would say "address already in use"). Stop it, or publish another port`));
    }
  }
}

function checkParents(topology: TopologySpec, snapshot: EngineSnapshot, issues: Issue[]): void {
  const interfaces = snapshot.host?.interfaces;
  if (!interfaces) return;
  for (const network of topology.networks) {
    if (network.external || network.parent === undefined || (network.driver !== "macvlan" && network.driver !== "ipvlan")) continue;
    const base = network.parent.split(".")[0]!;
    if (interfaces.includes(network.parent) || interfaces.includes(base)) continue;
    issues.push(error(IssueCode.InvalidValue, joinPath("networks", network.key, "parent"), `${quote(network.parent)} is not an interface of this host (it has ${interfaces.join(", ")}). Use one of them${network.parent.includes(".") ? "" : ", or a VLAN sub-interface of one, e.g. \"eth0.10\""}`));
  }
}

function checkImages(topology: TopologySpec, snapshot: EngineSnapshot, issues: Issue[]): void {
  const present = new Set(snapshot.images);
  const withTag = (image: string) => (/:[^/]+$/.test(image) || image.includes("@") ? image : `${image}:latest`);
  for (const service of topology.services) {
    if (typeof service.image !== "string") continue; // built or resolved at deployment
    if (present.has(withTag(service.image))) continue;
    const registry = service.image.split("/")[0]!;
    const local = registry.includes(":") && isLoopback(registry.split(":")[0]!.replace(/^localhost$/, "127.0.0.1"));
    issues.push(
      warning(
        IssueCode.ImageNotPresent,
        joinPath("services", service.key, "image"),
        `${quote(service.image)} is not on the engine: ${local ? "it comes from a registry on this host, which must be up and hold it when the container is created" : "Docker pulls it when the container is created, which needs access to its registry"}. Pull or build it first to be sure`,
      ),
    );
  }
}

/**
 * Every way the topology collides with what exists: subnets of networks that are not ours, Docker
 * names taken by objects without our label, host ports held by other containers or host processes,
 * macvlan/ipvlan parents that are not interfaces, external networks that are missing or of another
 * driver, and images that are not present (a warning). Sorted by path.
 */
export function preflight(topology: TopologySpec, snapshot: EngineSnapshot): Issue[] {
  const issues: Issue[] = [];
  checkSubnets(topology, snapshot, issues);
  checkNames(topology, snapshot, issues);
  checkAdopted(topology, snapshot, issues);
  checkPorts(topology, snapshot, issues);
  checkParents(topology, snapshot, issues);
  checkImages(topology, snapshot, issues);
  return sortIssues(issues);
}
