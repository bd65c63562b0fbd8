/**
 * The e2e harness: a real Docker Engine (the private dockerd of
 * `scripts/engine-start.sh`), the offline probe image, and the few operations
 * a connectivity test needs.
 *
 * - `E2E=skip` turns every e2e suite into a skip (`describeE2E`). Otherwise an
 *   engine that cannot start FAILS the suite, with the dockerd log tail.
 * - Every name a test creates should start with {@link E2E_PREFIX}, so that
 *   {@link cleanup} and the global teardown can remove it.
 * - The probe image is busybox: `nc` there has no `-z`; {@link canConnect}
 *   uses `nc -w T host port -e true` (exit 0 only when the TCP connect succeeds).
 * - Tests only ever target addresses of this engine's networks and of this
 *   host: traffic to any other address leaves the machine.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";

/** The repository root (this file is tests/e2e/support/engine.ts). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
/** Images built by scripts/build-images.sh. */
export const PROBE_IMAGE = "container-topology/probe:local";
export const REGISTRY_IMAGE = "container-topology/registry:local";
/** Prefix for every container, network, volume and veth an e2e test creates. */
export const E2E_PREFIX = "ct-e2e-";
/** Label set on every probe container. */
export const E2E_LABEL = "container-topology.e2e";

/** Same default as scripts/engine-common.sh. */
export function engineDir(): string {
  return process.env.CT_ENGINE_DIR ?? "/tmp/container-topology-engine";
}
export function engineSocket(): string {
  return path.join(engineDir(), "docker.sock");
}
export function engineLogTail(lines = 40): string {
  try {
    const text = fs.readFileSync(path.join(engineDir(), "dockerd.log"), "utf8");
    return text.split("\n").slice(-lines - 1).join("\n");
  } catch (err) {
    return `(no dockerd log: ${(err as Error).message})`;
  }
}

/** False only when `E2E=skip`. */
export function e2eEnabled(): boolean {
  return process.env.E2E !== "skip";
}
/**
 * `describe` when e2e runs, `describe.skip` under `E2E=skip`. (Undefined
 * outside a test file, e.g. in globalSetup, where jest's globals do not exist.)
 */
export const describeE2E: jest.Describe = (
  typeof describe === "undefined" ? undefined : e2eEnabled() ? describe : describe.skip
) as jest.Describe;

const READY_ENV = "CT_E2E_ENGINE_READY";

function runScript(name: string): string {
  const script = path.join(REPO_ROOT, "scripts", name);
  try {
    return execFileSync("bash", [script], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
      timeout: 180_000,
    }).trim();
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `e2e engine: scripts/${name} failed: ${e.message}\n` +
        `${e.stderr ?? ""}${e.stdout ?? ""}\n--- dockerd log tail (${engineDir()}/dockerd.log) ---\n${engineLogTail()}`,
    );
  }
}

/**
 * Starts the engine (idempotent) and builds the images (skipped when present),
 * then points `DOCKER_HOST` of this process at it, so child processes (the
 * docker CLI, a Pulumi provider) talk to the same daemon. Returns DOCKER_HOST.
 * Synchronous: usable from globalSetup and from `beforeAll`.
 */
export function ensureEngine(): string {
  const host = `unix://${engineSocket()}`;
  if (process.env[READY_ENV] === host) {
    process.env.DOCKER_HOST = host;
    return host;
  }
  const out = runScript("engine-start.sh");
  const started = out.split("\n").pop() ?? "";
  if (started !== host) {
    throw new Error(`e2e engine: engine-start.sh printed ${JSON.stringify(started)}, expected ${host}`);
  }
  process.env.DOCKER_HOST = host;
  runScript("build-images.sh");
  process.env[READY_ENV] = host;
  return host;
}

/**
 * A dockerode client of the e2e engine, after {@link ensureEngine}.
 * Throws (never skips) when the engine cannot start or answer; suites that may
 * run without an engine use {@link describeE2E} and `E2E=skip`.
 */
export async function connectEngine(): Promise<Docker> {
  ensureEngine();
  const docker = new Docker({ socketPath: engineSocket() });
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(
      `e2e engine: ${engineSocket()} does not answer: ${(err as Error).message}\n--- dockerd log tail ---\n${engineLogTail()}`,
    );
  }
  return docker;
}

export interface ProbeOptions {
  /** Container name; should start with {@link E2E_PREFIX}. */
  readonly name: string;
  /** User network to attach at creation (name or id). Mutually exclusive with `networkMode`. */
  readonly network?: string;
  /** `host`, `none`, `bridge`, `container:<name>`, or a network name. Mutually exclusive with `network`. */
  readonly networkMode?: string;
  /** Command; defaults to the image's (sleep until SIGTERM). */
  readonly cmd?: readonly string[];
  /** `name:ip` entries, e.g. `host.docker.internal:host-gateway`. */
  readonly extraHosts?: readonly string[];
  /** Aliases on `network`. */
  readonly aliases?: readonly string[];
  /** Static IPv4 address on `network`. */
  readonly ipv4Address?: string;
  readonly hostname?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Published ports: `{"80/tcp": [{HostIp: "127.0.0.1", HostPort: "8080"}]}`. */
  readonly portBindings?: Docker.PortMap;
  /** Image; defaults to {@link PROBE_IMAGE}. */
  readonly image?: string;
}

/** Creates and starts a probe container; resolves once it is running. */
export async function runProbe(docker: Docker, opts: ProbeOptions): Promise<Docker.Container> {
  if (opts.network !== undefined && opts.networkMode !== undefined) {
    throw new Error(`runProbe(${opts.name}): network and networkMode are mutually exclusive`);
  }
  const networkMode = opts.networkMode ?? opts.network;
  const exposed: Record<string, object> = {};
  for (const key of Object.keys(opts.portBindings ?? {})) exposed[key] = {};
  const container = await docker.createContainer({
    name: opts.name,
    Image: opts.image ?? PROBE_IMAGE,
    Cmd: opts.cmd ? [...opts.cmd] : undefined,
    Hostname: opts.hostname,
    Env: opts.env ? Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) : undefined,
    Labels: { [E2E_LABEL]: "1" },
    ExposedPorts: opts.portBindings ? exposed : undefined,
    HostConfig: {
      NetworkMode: networkMode,
      ExtraHosts: opts.extraHosts ? [...opts.extraHosts] : undefined,
      PortBindings: opts.portBindings,
    },
    NetworkingConfig:
      opts.network !== undefined
        ? {
            EndpointsConfig: {
              [opts.network]: {
                Aliases: opts.aliases ? [...opts.aliases] : undefined,
                IPAMConfig: opts.ipv4Address ? { IPv4Address: opts.ipv4Address } : undefined,
              },
            },
          }
        : undefined,
  });
  await container.start();
  return container;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd` in a running container (a string runs through `sh -c`). */
export async function exec(
  docker: Docker,
  container: Docker.Container | string,
  cmd: readonly string[] | string,
): Promise<ExecResult> {
  const c = typeof container === "string" ? docker.getContainer(container) : container;
  const argv = typeof cmd === "string" ? ["sh", "-c", cmd] : [...cmd];
  const execution = await c.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true });
  const stream = await execution.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on("data", (b: Buffer) => outChunks.push(b));
  err.on("data", (b: Buffer) => errChunks.push(b));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", reject);
  });
  let info = await execution.inspect();
  for (let i = 0; info.Running && i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    info = await execution.inspect();
  }
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(outChunks).toString("utf8"),
    stderr: Buffer.concat(errChunks).toString("utf8"),
  };
}

/**
 * True when `fromContainer` opens a TCP connection to host:port within
 * `timeoutSec` (busybox `nc -w T host port -e true`; this nc has no `-z`).
 */
export async function canConnect(
  docker: Docker,
  fromContainer: Docker.Container | string,
  host: string,
  port: number,
  timeoutSec = 2,
): Promise<boolean> {
  const r = await exec(docker, fromContainer, ["nc", "-w", String(timeoutSec), host, String(port), "-e", "true"]);
  return r.exitCode === 0;
}

/** The IPv4 address of a container on a network (or its only network). */
export async function containerIp(docker: Docker, container: Docker.Container | string, network?: string): Promise<string> {
  const c = typeof container === "string" ? docker.getContainer(container) : container;
  const nets = (await c.inspect()).NetworkSettings.Networks;
  const key = network ?? Object.keys(nets)[0];
  const ip = key !== undefined ? nets[key]?.IPAddress : undefined;
  if (!ip) throw new Error(`containerIp: no IPv4 address on ${key ?? "(no network)"}`);
  return ip;
}

function checkPrefix(prefix: string): void {
  if (prefix.length < 4) throw new Error(`cleanup: prefix ${JSON.stringify(prefix)} is too short to be safe`);
}

/**
 * Removes containers (forced, with anonymous volumes), then networks, then
 * named volumes whose name starts with `prefix`. Never throws for "not found".
 */
export async function cleanup(prefix: string = E2E_PREFIX, docker?: Docker): Promise<void> {
  checkPrefix(prefix);
  const d = docker ?? new Docker({ socketPath: engineSocket() });
  const containers = await d.listContainers({ all: true });
  await Promise.all(
    containers
      .filter((c) => c.Names.some((n) => n.replace(/^\//, "").startsWith(prefix)))
      .map((c) => d.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreNotFound)),
  );
  const networks = await d.listNetworks();
  for (const n of networks.filter((n) => n.Name.startsWith(prefix))) {
    await d.getNetwork(n.Id).remove().catch(ignoreNotFound);
  }
  const { Volumes } = await d.listVolumes();
  for (const v of (Volumes ?? []).filter((v) => v.Name.startsWith(prefix))) {
    await d.getVolume(v.Name).remove({ force: true }).catch(ignoreNotFound);
  }
}

function ignoreNotFound(err: { statusCode?: number }): void {
  if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
}

export interface HostListener {
  readonly address: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

/**
 * A TCP server on the host standing in for a host service. `port` 0 picks a
 * free port. Each connection gets one line and is closed.
 */
export async function hostListener(ip: string, port = 0): Promise<HostListener> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.end("container-topology host listener\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, ip, () => resolve());
  });
  const bound = server.address() as net.AddressInfo;
  return {
    address: bound.address,
    port: bound.port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The host's first non-loopback, non-docker IPv4 address (e.g. eth0), to stand
 * for "a host IP on another interface". Undefined when there is none.
 */
export function hostInterfaceIp(): string | undefined {
  const skip = /^(lo|docker\d*|br-|veth|ct-)/;
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (skip.test(name)) continue;
    const v4 = addrs?.find((a) => a.family === "IPv4" && !a.internal);
    if (v4) return v4.address;
  }
  return undefined;
}

/**
 * A veth pair to serve as a macvlan/ipvlan parent (this kernel has neither
 * dummy devices nor 802.1q sub-interfaces). Names must fit 15 characters.
 * `remove()` deletes both ends.
 */
export function vethPair(name: string, peer = `${name}p`): { parent: string; peer: string; remove(): void } {
  if (name.length > 15 || peer.length > 15) throw new Error(`vethPair: ${name}/${peer} longer than 15 characters`);
  const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] });
  try {
    ip("link", "del", name);
  } catch {
    // not there: fine
  }
  ip("link", "add", name, "type", "veth", "peer", "name", peer);
  ip("link", "set", name, "up");
  ip("link", "set", peer, "up");
  return {
    parent: name,
    peer,
    remove: () => {
      try {
        ip("link", "del", name);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * Makes the engine a single-node swarm manager (overlay networks), if it is
 * not one already. Returns true when this call initialised it, so the caller
 * knows to {@link leaveSwarm}.
 */
export async function ensureSwarm(docker: Docker): Promise<boolean> {
  const info = await docker.info();
  if (info.Swarm?.LocalNodeState === "active") return false;
  await docker.swarmInit({ ListenAddr: "127.0.0.1:2377", AdvertiseAddr: "127.0.0.1" });
  return true;
}

/** Leaves the swarm and removes the `docker_gwbridge` network it leaves behind. */
export async function leaveSwarm(docker: Docker): Promise<void> {
  await docker.swarmLeave({ force: true }).catch(() => undefined);
  await docker.getNetwork("docker_gwbridge").remove().catch(() => undefined);
}
