/**
 * Reads what preflight compares a topology with: the engine's networks, containers and images
 * (through dockerode, which honours DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), and, when
 * the engine is on this host (a unix socket), the host's listening sockets (/proc/net/{tcp,udp}{,6})
 * and interfaces (/sys/class/net). Read-only.
 */
import * as fs from "node:fs";
import Docker from "dockerode";
import type { Issue } from "../../model/errors";
import { preflight } from "../../model/preflight";
import type { EngineBinding, EngineSnapshot, HostSocket } from "../../model/preflight";
import type { TopologySpec } from "../../model/types";
import { onHost } from "../../model/hosts/normalize";
import { isMultiHost } from "../../model/hosts/reachability";

/** Where the engine is: DOCKER_HOST, else the default socket. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env["DOCKER_HOST"] || "unix:///var/run/docker.sock";
}

/** `0100007F` -> `127.0.0.1`; the 32-hex-digit IPv6 form -> its canonical text. */
function procAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
  // IPv6: four 32-bit words, each in host (little-endian) byte order.
  const bytes: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(word.slice(b * 2, b * 2 + 2));
  }
  const groups = Array.from({ length: 8 }, (_, i) => parseInt(bytes[i * 2]! + bytes[i * 2 + 1]!, 16).toString(16));
  const text = groups.join(":");
  // Compress the longest run of zero groups, as canonical IPv6 text does.
  const runs = [...text.matchAll(/(^|:)0(:0)+(:|$)/g)].sort((a, b) => b[0].length - a[0].length);
  if (runs.length === 0) return text;
  const run = runs[0]!;
  return `${text.slice(0, run.index)}::${text.slice(run.index! + run[0].length)}`;
}

/** Sockets of one /proc/net table: tcp in LISTEN (state 0A), udp bound (state 07). */
export function parseProcNet(text: string, protocol: "tcp" | "udp"): HostSocket[] {
  const wanted = protocol === "tcp" ? "0A" : "07";
  return text
    .split("\n")
    .slice(1)
    .flatMap((line) => {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== wanted) return [];
      const [addr, port] = fields[1]!.split(":");
      return [{ address: procAddress(addr!), port: parseInt(port!, 16), protocol }];
    });
}

function hostFacts(): NonNullable<EngineSnapshot["host"]> {
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
  const sockets = (["tcp", "tcp6", "udp", "udp6"] as const).flatMap((table) => parseProcNet(read(`/proc/net/${table}`), table.startsWith("tcp") ? "tcp" : "udp"));
  const interfaces = fs.existsSync("/sys/class/net") ? fs.readdirSync("/sys/class/net").sort() : [];
  return { sockets, interfaces };
}

/** A client of the engine at a Docker host URL (`unix://`, `tcp://`, `ssh://`), as DOCKER_HOST names it. */
export function dockerAt(url: string): Docker {
  if (url.startsWith("unix://")) return new Docker({ socketPath: url.slice("unix://".length) });
  const parsed = new URL(url);
  if (parsed.protocol === "ssh:") return new Docker({ protocol: "ssh", host: parsed.hostname, port: Number(parsed.port || 22), ...(parsed.username ? { username: parsed.username } : {}) });
  return new Docker({ protocol: "http", host: parsed.hostname, port: Number(parsed.port || 2375) });
}

/**
 * Reads the engine (and this host, when the engine is the local default one); rejects when the engine
 * cannot be reached. `env` names the engine (DOCKER_HOST; TLS through DOCKER_TLS_VERIFY/DOCKER_CERT_PATH).
 */
export async function readEngineSnapshot(env: NodeJS.ProcessEnv = process.env, hostFactsToo = true): Promise<EngineSnapshot> {
  const engine = engineAddress(env);
  const docker = env === process.env ? new Docker() : dockerAt(engine);
  const [networks, containers, images] = await Promise.all([docker.listNetworks(), docker.listContainers({ all: true }), docker.listImages()]);
  return {
    engine,
    networks: networks.map((n) => ({
      id: n.Id,
      name: n.Name,
      driver: n.Driver,
      subnets: (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : [])),
      gateways: (n.IPAM?.Config ?? []).flatMap((c) => (c.Gateway ? [c.Gateway] : [])),
      labels: n.Labels ?? {},
    })),
    containers: containers.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? "").replace(/^\//, ""),
      running: c.State === "running",
      labels: c.Labels ?? {},
      bindings: (c.Ports ?? []).flatMap((p): EngineBinding[] => (p.PublicPort ? [{ hostIp: p.IP || "0.0.0.0", port: p.PublicPort, protocol: p.Type }] : [])),
    })),
    images: images.flatMap((i) => i.RepoTags ?? []).filter((t) => t !== "<none>:<none>"),
    ...(hostFactsToo && engine.startsWith("unix://") ? { host: hostFacts() } : {}),
  };
}

/** Preflight's answer against the live engine: its issues, each message tagged with the engine; or why it was skipped. */
export type EnginePreflight = { readonly engine: string; readonly issues: readonly Issue[] } | { readonly skipped: string };

/**
 * Reads the engine (and host) and runs preflight on the topology: what `plan --engine` and
 * Topology's `preflight` report. An engine out of reach is not an error: the answer says it was skipped.
 */
export async function preflightAgainstEngine(topology: TopologySpec, read: () => Promise<EngineSnapshot> = () => readEngineSnapshot()): Promise<EnginePreflight> {
  if (isMultiHost(topology)) return preflightAgainstHosts(topology);
  let snapshot: EngineSnapshot;
  try {
    snapshot = await read();
  } catch (err) {
    return { skipped: `preflight skipped: cannot reach the Docker engine at ${engineAddress()} (${(err as Error).message}). Start it, or set DOCKER_HOST` };
  }
  return { engine: snapshot.engine, issues: preflight(topology, snapshot).map((i) => ({ ...i, message: `${i.message} [preflight: ${snapshot.engine}]` })) };
}

/**
 * Preflight of a topology over several hosts: each host's part against its own engine (named in the
 * messages). The host's sockets and interfaces are read only for a host without a `host` URL (the
 * engine on this machine); the others' engines answer for what Docker holds. One host out of reach
 * skips the whole preflight, saying which.
 */
async function preflightAgainstHosts(topology: TopologySpec): Promise<EnginePreflight> {
  const issues: Issue[] = [];
  const engines: string[] = [];
  for (const host of topology.hosts ?? []) {
    const env = host.host === undefined ? process.env : { DOCKER_HOST: host.host };
    let snapshot: EngineSnapshot;
    try {
      snapshot = await readEngineSnapshot(env, host.host === undefined);
    } catch (err) {
      return { skipped: `preflight skipped: cannot reach the Docker engine of hosts.${host.key} at ${engineAddress(env)} (${(err as Error).message}). Start it, or fix hosts.${host.key}.host` };
    }
    engines.push(`hosts.${host.key} ${snapshot.engine}`);
    for (const i of preflight(onHost(topology, host), snapshot)) issues.push({ ...i, message: `${i.message} [preflight: hosts.${host.key} ${snapshot.engine}]` });
  }
  return { engine: engines.join(", "), issues };
}
