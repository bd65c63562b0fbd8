/**
 * Measures on the real engine what computeReachability predicts.
 *
 * - Every service of an e2e topology runs the probe image with busybox httpd
 *   listeners on its declared TCP ports ({@link withListeners}); a namespace
 *   that declares no port listens on {@link PROBE_PORT} instead (the model's
 *   port-less listener: "any port it listens on").
 * - From a container: `nc -w 2 <host> <port> -e true` inside it (exit 0 only
 *   when the TCP connection opens), by every name of the edge; default-bridge
 *   edges carry no name and are dialled at the target's bridge IP.
 * - From the host: a node socket to `<host>:<port>`.
 * - A predicted edge is measured reachable when every dial succeeds; a
 *   predicted non-edge is measured unreachable when every dial fails.
 */
import * as net from "node:net";
import Docker from "dockerode";
import { checkTopology } from "../../../model/check";
import { isWildcard } from "../../../model/ip";
import { dnsNames } from "../../../model/names";
import { edgesBetween, HOST, Reachability, ReachabilityEdge } from "../../../model/reachability";
import { HOST_DOCKER_INTERNAL, ServiceSpec, TopologyDeclaration, TopologySpec } from "../../../model/types";
import { E2E_LABEL, exec, PROBE_IMAGE } from "./engine";

/** The port a namespace without declared ports listens on (the model's port-less listener). */
export const PROBE_PORT = 7777;

/** The probe's command: one busybox httpd per TCP port (all addresses), then sleep until SIGTERM. */
export function listenerCommand(ports: readonly number[]): string[] {
  const listeners = ports.map((p) => `httpd -p ${p} -h /etc || exit 1; `).join("");
  return ["sh", "-c", `${listeners}trap "exit 0" TERM INT; sleep 2147483647 & wait`];
}

/** The service owning the network namespace `service` runs in (itself unless `container:X`). */
export function namespaceRoot(topology: TopologySpec, service: ServiceSpec): ServiceSpec {
  let current = service;
  for (let i = 0; current.mode.kind === "container" && i < 10; i++) {
    const mode = current.mode;
    current = topology.services.find((s) => s.key === mode.service) ?? current;
  }
  return current;
}

/** TCP ports the namespace of `root` listens on: its members' declared targets and expose, or {@link PROBE_PORT}. */
export function namespacePorts(topology: TopologySpec, root: ServiceSpec): { service: ServiceSpec; port: number }[] {
  const members = topology.services.filter((s) => namespaceRoot(topology, s) === root);
  const out: { service: ServiceSpec; port: number }[] = [];
  for (const s of members) {
    const ports = [...s.ports.filter((p) => p.protocol === "tcp").map((p) => p.target), ...s.expose.filter((e) => e.protocol === "tcp").map((e) => e.port)];
    for (const port of new Set(ports)) out.push({ service: s, port });
  }
  return out.length > 0 ? out : [{ service: root, port: PROBE_PORT }];
}

/**
 * The declaration with every service set to the probe image and a command that
 * listens on what its namespace declares (members of `container:X` listen on
 * their own ports in X's namespace; the owner takes {@link PROBE_PORT} when no
 * member declares one). Services with an explicit `command` keep it. Every
 * network and service also gets the e2e label ({@link E2E_LABEL}), so what the
 * rendering creates is labelled through the declaration itself.
 */
export function withListeners(declaration: TopologyDeclaration): TopologyDeclaration {
  const { topology } = checkTopology(declaration, { namePrefix: "x" });
  const services: Record<string, unknown> = {};
  for (const [key, service] of Object.entries(declaration.services ?? {})) {
    const spec = topology.services.find((s) => s.key === key)!;
    const root = namespaceRoot(topology, spec);
    const ports = namespacePorts(topology, root).filter((l) => l.service === spec).map((l) => l.port);
    services[key] = { ...service, image: PROBE_IMAGE, command: service.command ?? listenerCommand(ports), labels: { ...service.labels, [E2E_LABEL]: "1" } };
  }
  const networks = Object.fromEntries(Object.entries(declaration.networks ?? {}).map(([key, n]) => [key, { ...n, labels: { ...n.labels, [E2E_LABEL]: "1" } }]));
  return { ...declaration, ...(declaration.networks ? { networks } : {}), services } as TopologyDeclaration;
}

/** One connection attempt. */
export interface Dial {
  readonly address: string;
  readonly port: number;
  readonly ok: boolean;
  /** Why it failed (nc's or node's message). */
  readonly detail?: string;
}

/** A predicted non-edge: `from` cannot reach `to` on `port`, at any of `addresses`. */
export interface NonEdge {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly addresses: readonly string[];
  /**
   * `pair` (default): the model predicts no edge from->to on the port at all;
   * `address`: it predicts none that dials one of these addresses (e.g. a port
   * published on 127.0.0.1 dialled at the host's eth0 address).
   */
  readonly scope?: "pair" | "address";
  /** What the non-edge demonstrates. */
  readonly why: string;
}

/** One measured edge or non-edge. */
export interface Measurement {
  readonly kind: "edge" | "non-edge";
  readonly from: string;
  readonly to: string;
  readonly port: number;
  /** The edge's `via`, or the non-edge's `why`. */
  readonly via: string;
  /** What the model says: reachable? */
  readonly predicted: boolean;
  /** What the engine says: reachable? */
  readonly measured: boolean;
  readonly dials: readonly Dial[];
}

/** The engine, the applied topology and what the model predicts for it. */
export interface MeasureContext {
  readonly docker: Docker;
  readonly topology: TopologySpec;
  readonly reachability: Reachability;
  /** Seconds per dial. @default 2 */
  readonly timeoutSec?: number;
}

const serviceOf = (ctx: MeasureContext, ref: string): ServiceSpec | undefined => ctx.topology.services.find((s) => `services.${s.key}` === ref);

const ipCache = new WeakMap<MeasureContext, Map<string, Promise<Record<string, string>>>>();
/** IPv4 address of a container on each of its networks, by Docker network name. */
export function containerIps(ctx: MeasureContext, dockerName: string): Promise<Record<string, string>> {
  let cache = ipCache.get(ctx);
  if (!cache) ipCache.set(ctx, (cache = new Map()));
  let ips = cache.get(dockerName);
  if (!ips) {
    ips = ctx.docker
      .getContainer(dockerName)
      .inspect()
      .then((info) => Object.fromEntries(Object.entries(info.NetworkSettings.Networks).filter(([, n]) => n.IPAddress).map(([name, n]) => [name, n.IPAddress])));
    cache.set(dockerName, ips);
  }
  return ips;
}

/** Dials host:port from the host (node socket) or from a service's container (busybox nc). */
export async function dial(ctx: MeasureContext, from: string, address: string, port: number): Promise<Dial> {
  const timeout = ctx.timeoutSec ?? 2;
  if (from === HOST) {
    return new Promise<Dial>((resolve) => {
      const socket = net.connect({ host: address, port, timeout: timeout * 1000 });
      const done = (ok: boolean, detail?: string) => {
        socket.destroy();
        resolve({ address, port, ok, ...(detail ? { detail } : {}) });
      };
      socket.once("connect", () => done(true));
      socket.once("timeout", () => done(false, "timeout"));
      socket.once("error", (err) => done(false, err.message));
    });
  }
  const service = serviceOf(ctx, from);
  if (!service) throw new Error(`dial: ${from} is not a service of the topology`);
  const r = await exec(ctx.docker, service.dockerName, ["timeout", String(timeout + 4), "nc", "-w", String(timeout), address, String(port), "-e", "true"]);
  return { address, port, ok: r.exitCode === 0, ...(r.exitCode !== 0 ? { detail: (r.stderr || r.stdout).trim() || `exit ${r.exitCode}` } : {}) };
}

/** The addresses an edge is dialled at: its host and names, or the target namespace's bridge IP for a name-less default-bridge edge. */
async function edgeAddresses(ctx: MeasureContext, edge: ReachabilityEdge): Promise<string[]> {
  if (edge.host !== undefined) return [...new Set([edge.host, ...edge.names])];
  const target = serviceOf(ctx, edge.to);
  if (!target) throw new Error(`measure: edge to ${edge.to} has no host to dial`);
  const ip = (await containerIps(ctx, namespaceRoot(ctx.topology, target).dockerName)).bridge;
  if (!ip) throw new Error(`measure: ${edge.to} has no address on the default bridge`);
  return [ip];
}

/** Measures one predicted edge (every address it names must connect). */
export async function measureEdge(ctx: MeasureContext, edge: ReachabilityEdge): Promise<Measurement> {
  const port = edge.port ?? PROBE_PORT;
  const dials = await Promise.all((await edgeAddresses(ctx, edge)).map((a) => dial(ctx, edge.from, a, port)));
  return { kind: "edge", from: edge.from, to: edge.to, port, via: edge.via, predicted: true, measured: dials.every((d) => d.ok), dials };
}

/** Whether the model predicts the connection a non-edge describes. */
export function predictsNonEdge(reachability: Reachability, n: NonEdge): boolean {
  const edges = edgesBetween(reachability, n.from, n.to, n.port);
  if ((n.scope ?? "pair") === "pair") return edges.length > 0;
  return edges.some((e) => n.addresses.some((a) => e.host === a || e.names.includes(a)));
}

/** Measures one non-edge (reachable when any address connects). */
export async function measureNonEdge(ctx: MeasureContext, n: NonEdge): Promise<Measurement> {
  const dials = await Promise.all(n.addresses.map((a) => dial(ctx, n.from, a, n.port)));
  return { kind: "non-edge", from: n.from, to: n.to, port: n.port, via: n.why, predicted: predictsNonEdge(ctx.reachability, n), measured: dials.some((d) => d.ok), dials };
}

/**
 * Every pair of ends the model says cannot connect, with the addresses a client
 * would try: a container's IPs on each of its networks and its name; a
 * published port through host.docker.internal; a host service through
 * host.docker.internal (the gateway IP from `none`); a published port from the
 * host at its bind address. Host-network clients do not dial container IPs:
 * the host routes to every bridge, and the model says nothing about that.
 * IPs on macvlan/ipvlan/overlay networks are dialled only from their members:
 * the host has no route there, so the packet would leave the machine (and
 * whatever answers outside would read as "reachable").
 */
export async function pairNonEdges(ctx: MeasureContext): Promise<NonEdge[]> {
  const { topology, reachability } = ctx;
  const out: NonEdge[] = [];
  const none = (from: string, to: string, port: number) => edgesBetween(reachability, from, to, port).length === 0;
  // Dial an IP only where the packet stays on this machine: a bridge network (the host routes to it) or one the
  // client sits on. Macvlan/ipvlan/overlay subnets have no host route: the packet would leave through the default route.
  const localRoute = (clientRoot: ServiceSpec, dockerNetwork: string) => {
    if (dockerNetwork === "bridge") return true;
    const spec = topology.networks.find((n) => n.dockerName === dockerNetwork);
    return spec !== undefined && (spec.driver === "bridge" || clientRoot.attachments.some((a) => a.network === spec.key));
  };
  const gatewayName = (root: ServiceSpec) => (root.mode.kind === "none" ? topology.defaultBridge.gateway : HOST_DOCKER_INTERNAL);
  for (const client of topology.services) {
    const from = `services.${client.key}`;
    const clientRoot = namespaceRoot(topology, client);
    for (const root of topology.services.filter((s) => namespaceRoot(topology, s) === s && s !== clientRoot)) {
      if (root.mode.kind === "none") continue;
      const ips = root.mode.kind === "host" || clientRoot.mode.kind === "host" ? [] : Object.entries(await containerIps(ctx, root.dockerName)).filter(([network]) => localRoute(clientRoot, network)).map(([, ip]) => ip);
      const names = root.mode.kind === "networks" ? [...new Set(root.attachments.flatMap((a) => dnsNames(root, a)))] : [];
      for (const { service, port } of namespacePorts(topology, root)) {
        const addresses = root.mode.kind === "host" ? (clientRoot.mode.kind === "host" ? [] : [HOST_DOCKER_INTERNAL]) : [...ips, ...names];
        if (addresses.length > 0 && none(from, `services.${service.key}`, port)) out.push({ from, to: `services.${service.key}`, port, addresses, why: "no predicted edge" });
      }
      for (const p of root.ports) {
        if (p.published === undefined || p.protocol !== "tcp" || clientRoot.mode.kind === "host") continue;
        if (none(from, `services.${root.key}`, p.published)) out.push({ from, to: `services.${root.key}`, port: p.published, addresses: [gatewayName(clientRoot)], why: `published on ${p.hostIp}, via the host gateway` });
      }
    }
    if (clientRoot.mode.kind === "host") continue;
    for (const h of topology.hostServices) {
      const to = `hostServices.${h.key}`;
      if (h.protocol === "tcp" && none(from, to, h.port)) out.push({ from, to, port: h.port, addresses: [gatewayName(clientRoot)], why: `host listener on ${h.address}` });
    }
  }
  for (const root of topology.services) {
    for (const p of root.ports) {
      if (p.published === undefined || p.protocol !== "tcp" || !none(HOST, `services.${root.key}`, p.published)) continue;
      out.push({ from: HOST, to: `services.${root.key}`, port: p.published, addresses: [isWildcard(p.hostIp) ? "127.0.0.1" : p.hostIp], why: `published on ${p.hostIp}` });
    }
  }
  return out;
}

/** Runs `jobs` with at most `limit` at a time, keeping their order. */
export async function pool<T>(limit: number, jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** A readable table of the measurements where model and engine disagree (empty string when none). */
export function mismatchTable(measurements: readonly Measurement[]): string {
  const rows = measurements.filter((m) => m.predicted !== m.measured);
  if (rows.length === 0) return "";
  const yes = (b: boolean) => (b ? "reachable" : "unreachable");
  const lines = rows.map((m) => `${m.kind.padEnd(8)} ${m.from} -> ${m.to}:${m.port} [${m.via}] predicted ${yes(m.predicted)}, measured ${yes(m.measured)}: ${m.dials.map((d) => `${d.address} ${d.ok ? "ok" : `failed (${d.detail ?? "?"})`}`).join("; ")}`);
  return `${rows.length} mismatch(es) between computeReachability and the engine:\n${lines.join("\n")}`;
}
