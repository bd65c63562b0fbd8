/**
 * The multi-host lab for e2e tests over several Docker hosts (issue 18):
 * three private dockerds on this machine, each in its own network namespace
 * (`ct-h1`..`ct-h3`, 10.77.0.11-13 on a bridge in `ct-lab`), joined in one
 * swarm (h1 manager, h2 and h3 workers). `scripts/hosts-start.sh` builds it,
 * `scripts/hosts-stop.sh` removes every trace of it; docs/multi-host.md has
 * the layout and the facts measured on it.
 *
 * Usage in a suite (the lab is torn down even when a test fails):
 *
 * ```ts
 * const lab = startLab();                      // sync: also fine in globalSetup
 * afterAll(() => stopLab());
 * const h1 = lab.hosts.h1;
 * await runProbe(h1.docker, { name: "ct-e2e-a", network: "ct-e2e-ov" });
 * const r = await execIn(lab.hosts.h2, "ct-e2e-b", "nc -w2 ct-e2e-a 80 -e true");
 * ```
 *
 * Probe-image notes (busybox 1.35 from Debian): `wget -T N` segfaults (exit
 * 139) here, use `timeout N wget` or `nc -w N host port -e true`; `nslookup`
 * of a name the embedded DNS does not know is forwarded upstream, which the
 * lab cannot reach: wrap it in `timeout 1` (see {@link resolveFrom}).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { e2eEnabled, exec, ExecResult, REPO_ROOT } from "./engine";

/** The lab's host names, in order; h1 is the swarm manager. */
export const HOST_NAMES = ["h1", "h2", "h3"] as const;
/** One of {@link HOST_NAMES}. */
export type HostName = (typeof HOST_NAMES)[number];

/** How {@link stopHostEngine} takes a host down (see scripts/hosts-stop-engine.sh). */
export const HostStopMode = {
  /** SIGTERM to dockerd (`systemctl stop docker`): it stops its containers and leaves the gossip. */
  Term: "term",
  /** SIGKILL to dockerd only (a daemon crash): containers and their published ports keep running. */
  Kill: "kill",
  /** Every process of the host killed and its link down (a host losing power). */
  Crash: "crash",
} as const;
/** One of {@link HostStopMode}'s values. */
export type HostStopMode = (typeof HostStopMode)[keyof typeof HostStopMode];

/** One host as `scripts/hosts-start.sh` reports it (`$CT_HOSTS_DIR/hosts.json`). */
export interface LabHostInfo {
  /** `h1`, `h2` or `h3`. */
  readonly name: HostName;
  /** The host's network namespace (`ct-h1`, ...), for `ip netns exec`. */
  readonly netns: string;
  /** The host's address on the lab bridge (10.77.0.11, ...): its swarm advertise address. */
  readonly address: string;
  /** The engine's API endpoint, `unix://.../hN/docker.sock`. */
  readonly socket: string;
  /** The host's state dir (data-root, exec-root, pidfile, socket, log). */
  readonly dir: string;
  /** dockerd's pid when the lab was (re)started. */
  readonly pid: number;
  /** The host's hostname (`ct-h1`, ...), which is also its swarm node's hostname. */
  readonly hostname: string;
  /** The host's docker0 address and prefix (`172.17.1.1/24`, ...): where `host-gateway` points. */
  readonly docker0: string;
  /** The dockerd log. */
  readonly log: string;
  /** The host's swarm role. */
  readonly role: "manager" | "worker";
  /** The host's swarm node id. */
  readonly nodeId: string;
}

/** A lab host with a client of its engine. */
export interface LabHost extends LabHostInfo {
  /** A dockerode client on the host's socket. */
  readonly docker: Docker;
}

/** The running lab. */
export interface Lab {
  /** The base dir (`CT_HOSTS_DIR`, default /tmp/container-topology-hosts). */
  readonly dir: string;
  /** The bridge's namespace, name, address and subnet. */
  readonly lab: { readonly netns: string; readonly bridge: string; readonly address: string; readonly subnet: string };
  /** The swarm's cluster id and the manager's `address:2377`. */
  readonly swarm: { readonly clusterId: string; readonly manager: string };
  /** The hosts by name. */
  readonly hosts: Readonly<Record<HostName, LabHost>>;
  /** The hosts in order h1, h2, h3. */
  readonly list: readonly LabHost[];
  /** Seconds the start took (a few when warm, about 7 cold). */
  readonly startSeconds: number;
}

/** The lab's base dir: `CT_HOSTS_DIR`, as in scripts/hosts-common.sh. */
export function hostsDir(): string {
  return process.env.CT_HOSTS_DIR ?? "/tmp/container-topology-hosts";
}

/**
 * True when e2e runs (`E2E` is not `skip`) and the lab is not turned off with
 * `CT_HOSTS=skip`. The lab needs root, network namespaces and a kernel with
 * vxlan (see docs/multi-host.md).
 */
export function labEnabled(): boolean {
  return e2eEnabled() && process.env.CT_HOSTS !== "skip";
}

/** `describe` when {@link labEnabled}, else `describe.skip` (undefined outside a test file). */
export const describeLab: jest.Describe = (
  typeof describe === "undefined" ? undefined : labEnabled() ? describe : describe.skip
) as jest.Describe;

/** The last `lines` lines of host `name`'s dockerd log, for error messages. */
export function hostLogTail(name: HostName, lines = 30): string {
  try {
    const text = fs.readFileSync(path.join(hostsDir(), name, "dockerd.log"), "utf8");
    return text.split("\n").slice(-lines - 1).join("\n");
  } catch (err) {
    return `(no dockerd log: ${(err as Error).message})`;
  }
}

/** Runs scripts/<name> with args; returns stdout, or throws with the script's stderr. */
function runScript(name: string, args: readonly string[] = [], timeoutMs = 300_000): string {
  const r = spawnSync("bash", [path.join(REPO_ROOT, "scripts", name), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: process.env,
    timeout: timeoutMs,
  });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    throw new Error(`multi-host lab: scripts/${name} ${args.join(" ")} failed (${why})\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

function toLab(info: Omit<Lab, "hosts" | "list"> & { hosts: LabHostInfo[] }): Lab {
  const list = info.hosts.map((h) => ({ ...h, docker: new Docker({ socketPath: h.socket.replace(/^unix:\/\//, "") }) }));
  const hosts = Object.fromEntries(list.map((h) => [h.name, h])) as Record<HostName, LabHost>;
  for (const name of HOST_NAMES) {
    if (!hosts[name]) throw new Error(`multi-host lab: hosts-start.sh reported no host ${name}`);
  }
  return { dir: info.dir, lab: info.lab, swarm: info.swarm, hosts, list, startSeconds: info.startSeconds };
}

/**
 * Starts the lab (idempotent: a running lab is reused in about a second, a
 * host stopped by {@link stopHostEngine} is restarted and rejoins the swarm)
 * and returns its hosts with a docker client each. Synchronous, so it works
 * in a jest globalSetup. Throws with the script's message, which names the
 * failed step and what to do.
 * @param timeoutSec - `CT_HOSTS_TIMEOUT` for the script. @default 180
 */
export function startLab(timeoutSec = 180): Lab {
  const prev = process.env.CT_HOSTS_TIMEOUT;
  process.env.CT_HOSTS_TIMEOUT = String(timeoutSec);
  let out: string;
  try {
    out = runScript("hosts-start.sh", [], (timeoutSec + 30) * 1000);
  } finally {
    if (prev === undefined) delete process.env.CT_HOSTS_TIMEOUT;
    else process.env.CT_HOSTS_TIMEOUT = prev;
  }
  const lines = out.trim().split("\n");
  const dir = lines.pop();
  if (dir !== hostsDir()) {
    throw new Error(`multi-host lab: hosts-start.sh printed ${JSON.stringify(dir)} last, expected ${hostsDir()}`);
  }
  return toLab(JSON.parse(lines.pop() ?? "{}"));
}

/**
 * The running lab as last reported in `$CT_HOSTS_DIR/hosts.json`, without
 * starting anything; undefined when there is none.
 */
export function currentLab(): Lab | undefined {
  try {
    return toLab(JSON.parse(fs.readFileSync(path.join(hostsDir(), "hosts.json"), "utf8")));
  } catch {
    return undefined;
  }
}

/**
 * Tears the lab down: leaves the swarm, stops the dockerds, kills what is
 * left, removes the namespaces, the bridge, the veths and the state dir. Safe
 * to call twice, with no lab, or after a half-started one; call it from
 * `afterAll` and from a jest globalTeardown. Throws when something is left
 * behind (the message says what).
 */
export function stopLab(): void {
  runScript("hosts-stop.sh", [], 180_000);
}

/**
 * {@link stopLab} when a lab (its state dir or its namespaces) exists,
 * otherwise nothing; for a jest globalTeardown that must not fail runs that
 * never started a lab.
 */
export function teardownLab(): void {
  const exists = fs.existsSync(hostsDir()) || ["ct-lab", "ct-h1", "ct-h2", "ct-h3"].some((ns) => fs.existsSync(`/run/netns/${ns}`));
  if (exists) stopLab();
}

/**
 * Takes one host's engine down for a fault test (scripts/hosts-stop-engine.sh).
 * {@link startLab} brings it back.
 * @param mode - @default "term"
 */
export function stopHostEngine(name: HostName, mode: HostStopMode = HostStopMode.Term): void {
  runScript("hosts-stop-engine.sh", [name.slice(1), `--${mode}`], 120_000);
}

/**
 * Runs a command in a running container on a host (a string runs through
 * `sh -c`); resolves with its exit code and output.
 */
export function execIn(host: LabHost, container: string, cmd: readonly string[] | string): Promise<ExecResult> {
  return exec(host.docker, container, cmd);
}

/**
 * Runs a command in a host's network namespace (not in a container): what a
 * process on that host sees, e.g. `["busybox", "nc", "-w2", "10.77.0.12", "8080", "-e", "true"]`.
 * @param timeoutSec - killed after this. @default 30
 */
export function execOnHost(host: LabHostInfo, argv: readonly string[], timeoutSec = 30): ExecResult {
  const r = spawnSync("ip", ["netns", "exec", host.netns, ...argv], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: timeoutSec * 1000,
  });
  return { exitCode: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error?.message ?? "") };
}

/**
 * True when a process in the host's netns opens a TCP connection to
 * address:port within `timeoutSec` (busybox nc; a published port seen from
 * that host).
 */
export function hostCanConnect(host: LabHostInfo, address: string, port: number, timeoutSec = 2): boolean {
  return execOnHost(host, ["busybox", "nc", "-w", String(timeoutSec), address, String(port), "-e", "true"], timeoutSec + 5)
    .exitCode === 0;
}

/**
 * The IPv4 addresses `name` resolves to from a container on a host (through
 * Docker's embedded DNS); empty when it does not resolve within `timeoutSec`.
 */
export async function resolveFrom(host: LabHost, container: string, name: string, timeoutSec = 1): Promise<string[]> {
  const r = await execIn(host, container, ["timeout", String(timeoutSec), "nslookup", name]);
  const out = r.stdout.split("\n");
  // the answer follows the "Name:" line; the server's own Address line comes first
  const start = out.findIndex((l) => l.startsWith("Name:"));
  if (start < 0) return [];
  return out
    .slice(start)
    .filter((l) => l.startsWith("Address:"))
    .map((l) => l.replace(/^Address:\s*/, "").trim())
    .filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
}

/**
 * Whether this machine's kernel has IPsec ESP with AES-GCM, what Docker's encrypted overlays use
 * between hosts: an SA is added in a throwaway network namespace (every lab host shares this
 * kernel). Without it Docker still creates the network and attaches containers, and drops their
 * cross-host traffic (docs/multi-host.md).
 */
export function kernelCarriesEsp(): boolean {
  const ns = `ct-esp-probe-${process.pid}`;
  if (spawnSync("ip", ["netns", "add", ns]).status !== 0) return false;
  try {
    const key = `0x${"11".repeat(20)}`; // a 128-bit AES key and the 32-bit salt rfc4106 appends
    const r = spawnSync("ip", ["-n", ns, "xfrm", "state", "add", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "esp", "spi", "0x100", "reqid", "1", "mode", "transport", "aead", "rfc4106(gcm(aes))", key, "128"]);
    return r.status === 0;
  } finally {
    spawnSync("ip", ["netns", "del", ns]);
  }
}
