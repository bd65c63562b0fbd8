/**
 * Applies what a Pulumi program rendered under the mock runtime
 * (`runOnMocks` in cli/mock-runtime.ts) to the real e2e engine through
 * dockerode, with exactly the recorded provider inputs, the way the
 * `@pulumi/docker` provider (terraform-provider-docker) would:
 *
 * - `docker:index/network:Network` -> `POST /networks/create` {Name, Driver,
 *   IPAM {Driver, Config: ipamConfigs -> Subnet, IPRange, Gateway,
 *   AuxiliaryAddresses, Options}, Options, Internal, Attachable, Ingress,
 *   EnableIPv6, Labels, CheckDuplicate}.
 * - `docker:index/volume:Volume` -> `POST /volumes/create` {Name, Driver,
 *   DriverOpts, Labels} (Docker returns the existing volume for a known name).
 * - `docker:index/container:Container` -> `POST /containers/create` with
 *   HostConfig.NetworkMode = `networkMode` (the provider's default: `bridge`);
 *   then, as the provider does, when `networksAdvanced` is set: disconnect
 *   `bridge` and `POST /networks/{name}/connect` each entry {Aliases,
 *   IPAMConfig {IPv4Address, IPv6Address}}; then the uploads (a tar at `/`),
 *   then start, then wait until it runs (`mustRun`).
 *
 * Other resources (components, providers, random, kubernetes, images) are not
 * applied and are returned in `skipped`. An input this applier does not know
 * throws instead of being ignored, so a new rendered field cannot go unnoticed.
 */
import Docker from "dockerode";
import { RenderedResource } from "../../../cli/mock-runtime";

/** Type tokens of the resources this applier creates. */
export const APPLIED_TYPES = {
  network: "docker:index/network:Network",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
} as const;
const HANDLED = new Set<string>(Object.values(APPLIED_TYPES));

/** Options of {@link apply}, {@link teardown} and {@link applyUpdate}. */
export interface ApplyOptions {
  /** Receives one line per engine operation (`create network x`, ...). @default - silent */
  readonly log?: (line: string) => void;
}

/** What {@link apply} did. */
export interface ApplyResult {
  /** The resources created, in creation order. */
  readonly applied: readonly RenderedResource[];
  /** Resources this applier does not create (components, providers, non-Docker types). */
  readonly skipped: readonly RenderedResource[];
  /** One line per engine operation, in order. */
  readonly operations: readonly string[];
}

type Inputs = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const list = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const obj = (v: unknown): Inputs => (v && typeof v === "object" && !Array.isArray(v) ? (v as Inputs) : {});
const labelMap = (v: unknown) => Object.fromEntries(list<{ label: string; value: string }>(v).map((l) => [l.label, l.value]));
const strMap = (v: unknown) => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x)]));
/** The Docker name of a rendered resource (its `name` input). */
export const dockerName = (r: RenderedResource): string => str(r.inputs.name) ?? r.name;

/** Go's time.ParseDuration, in nanoseconds ("1m30s", "500ms", "0s"). */
export function goDurationNs(text: string): number {
  if (text === "0") return 0;
  const unit: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * unit[m[2]!]!;
    end = re.lastIndex;
  }
  if (end !== text.length || text.length === 0) throw new Error(`apply: ${JSON.stringify(text)} is not a Go duration`);
  return Math.round(total);
}

/** A one-file ustar archive (what the provider's `upload` sends to `PUT /containers/{id}/archive?path=/`). */
function tarOf(file: string, content: Buffer, mode: number): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text, offset, length, "utf8");
  const name = file.replace(/^\/+/, "");
  if (Buffer.byteLength(name) > 100) throw new Error(`apply: upload path ${file} longer than 100 bytes`);
  put(name, 0, 100);
  put(`${mode.toString(8).padStart(7, "0")}\0`, 100, 8);
  put("0000000\0", 108, 8);
  put("0000000\0", 116, 8);
  put(`${content.length.toString(8).padStart(11, "0")}\0`, 124, 12);
  put(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, "0")}\0`, 136, 12);
  put("        ", 148, 8);
  put("0", 156, 1);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

/** Container inputs the applier understands (anything else throws). */
const CONTAINER_KEYS = new Set([
  "name", "image", "command", "entrypoints", "envs", "labels", "ports", "networkMode", "networksAdvanced", "hosts",
  "dns", "dnsOpts", "dnsSearches", "hostname", "domainname", "restart", "maxRetryCount", "healthcheck", "privileged",
  "capabilities", "user", "workingDir", "tty", "stdinOpen", "stopSignal", "stopTimeout", "readOnly", "rm",
  "publishAllPorts", "logDriver", "logOpts", "tmpfs", "sysctls", "securityOpts", "groupAdds", "shmSize", "memory",
  "memorySwap", "cpuShares", "cpuSet", "pidMode", "ipcMode", "usernsMode", "runtime", "init", "ulimits", "volumes",
  "mounts", "uploads", "start", "mustRun", "wait", "waitTimeout", "attach", "logs", "removeVolumes",
  "destroyGraceSeconds", "containerReadRefreshTimeoutMilliseconds",
]);
const NETWORK_KEYS = new Set(["name", "driver", "ipamConfigs", "ipamDriver", "ipamOptions", "options", "internal", "attachable", "ingress", "ipv6", "labels", "checkDuplicate"]);
const VOLUME_KEYS = new Set(["name", "driver", "driverOpts", "labels"]);

function checkKeys(r: RenderedResource, known: ReadonlySet<string>): void {
  const unknown = Object.keys(r.inputs).filter((k) => !known.has(k) && r.inputs[k] !== undefined);
  if (unknown.length > 0) throw new Error(`apply: ${r.type} ${dockerName(r)}: inputs ${unknown.join(", ")} are not supported by the e2e applier (tests/e2e/support/apply.ts)`);
}

/** `POST /networks/create` body for a rendered docker.Network. */
export function networkCreateBody(r: RenderedResource): Docker.NetworkCreateOptions {
  checkKeys(r, NETWORK_KEYS);
  const i = r.inputs;
  const configs = list<Inputs>(i.ipamConfigs).map((c) => ({
    Subnet: str(c.subnet) ?? "",
    IPRange: str(c.ipRange) ?? "",
    Gateway: str(c.gateway) ?? "",
    AuxiliaryAddresses: strMap(c.auxAddress),
  }));
  return {
    Name: dockerName(r),
    CheckDuplicate: i.checkDuplicate === true,
    Driver: str(i.driver) ?? "bridge",
    // the provider's ipam_driver defaults to "default", so IPAM is always sent
    IPAM: { Driver: str(i.ipamDriver) ?? "default", Config: configs, Options: strMap(i.ipamOptions) },
    Options: strMap(i.options),
    Internal: i.internal === true,
    Attachable: i.attachable === true,
    Ingress: i.ingress === true,
    EnableIPv6: i.ipv6 === true,
    Labels: labelMap(i.labels),
  };
}

/** `POST /containers/create` body for a rendered docker.Container (networksAdvanced are connected afterwards). */
export function containerCreateBody(r: RenderedResource): Docker.ContainerCreateOptions {
  checkKeys(r, CONTAINER_KEYS);
  const i = r.inputs;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of list<Inputs>(i.ports)) {
    const key = `${Number(p.internal)}/${str(p.protocol) ?? "tcp"}`;
    exposed[key] = {};
    const external = Number(p.external ?? 0);
    (bindings[key] ??= []).push({ HostIp: str(p.ip) ?? "0.0.0.0", HostPort: external > 0 ? String(external) : "" });
  }
  const volumes: Record<string, object> = {};
  const binds: string[] = [];
  const volumesFrom: string[] = [];
  for (const v of list<Inputs>(i.volumes)) {
    const ro = v.readOnly === true ? ":ro" : "";
    if (str(v.fromContainer)) volumesFrom.push(str(v.fromContainer)!);
    else if (str(v.containerPath) && (str(v.volumeName) || str(v.hostPath))) binds.push(`${str(v.volumeName) ?? str(v.hostPath)}:${str(v.containerPath)}${ro}`);
    else if (str(v.containerPath)) volumes[str(v.containerPath)!] = {};
  }
  const mounts = list<Inputs>(i.mounts).map((m) => {
    const vo = obj(m.volumeOptions);
    const to = obj(m.tmpfsOptions);
    return {
      Type: str(m.type),
      Target: str(m.target),
      Source: str(m.source) ?? "",
      ReadOnly: m.readOnly === true,
      ...(m.bindOptions ? { BindOptions: { Propagation: str(obj(m.bindOptions).propagation) } } : {}),
      ...(m.volumeOptions ? { VolumeOptions: { NoCopy: vo.noCopy === true, Labels: labelMap(vo.labels), ...(str(vo.driverName) ? { DriverConfig: { Name: str(vo.driverName), Options: strMap(vo.driverOptions) } } : {}) } } : {}),
      ...(m.tmpfsOptions ? { TmpfsOptions: { SizeBytes: Number(to.sizeBytes ?? 0), Mode: Number(to.mode ?? 0) } } : {}),
    };
  });
  const hc = i.healthcheck ? obj(i.healthcheck) : undefined;
  const caps = obj(i.capabilities);
  const mb = (v: unknown) => (typeof v === "number" && v > 0 ? v * 1024 * 1024 : undefined);
  const nonEmpty = <T>(xs: T[]) => (xs.length > 0 ? xs : undefined);
  return {
    name: dockerName(r),
    Image: String(i.image),
    Hostname: str(i.hostname),
    Domainname: str(i.domainname),
    Tty: i.tty === true,
    OpenStdin: i.stdinOpen === true,
    Env: nonEmpty(list<string>(i.envs)),
    Cmd: nonEmpty(list<string>(i.command)),
    Entrypoint: nonEmpty(list<string>(i.entrypoints)),
    User: str(i.user),
    WorkingDir: str(i.workingDir),
    StopSignal: str(i.stopSignal),
    StopTimeout: typeof i.stopTimeout === "number" ? i.stopTimeout : undefined,
    ExposedPorts: Object.keys(exposed).length > 0 ? exposed : undefined,
    Volumes: Object.keys(volumes).length > 0 ? volumes : undefined,
    Labels: labelMap(i.labels),
    Healthcheck: hc
      ? {
          Test: list<string>(hc.tests),
          Interval: goDurationNs(str(hc.interval) ?? "0s"),
          Timeout: goDurationNs(str(hc.timeout) ?? "0s"),
          StartPeriod: goDurationNs(str(hc.startPeriod) ?? "0s"),
          Retries: Number(hc.retries ?? 0),
        }
      : undefined,
    HostConfig: {
      NetworkMode: str(i.networkMode) ?? "bridge",
      Privileged: i.privileged === true,
      PublishAllPorts: i.publishAllPorts === true,
      RestartPolicy: { Name: str(i.restart) ?? "no", MaximumRetryCount: Number(i.maxRetryCount ?? 0) },
      AutoRemove: i.rm === true,
      ReadonlyRootfs: i.readOnly === true,
      LogConfig: { Type: str(i.logDriver) ?? "", Config: strMap(i.logOpts) },
      Mounts: mounts as Docker.MountSettings[],
      PortBindings: Object.keys(bindings).length > 0 ? bindings : undefined,
      ExtraHosts: nonEmpty(list<Inputs>(i.hosts).map((h) => `${String(h.host)}:${String(h.ip)}`)),
      Binds: nonEmpty(binds),
      VolumesFrom: nonEmpty(volumesFrom),
      Tmpfs: i.tmpfs ? strMap(i.tmpfs) : undefined,
      Sysctls: i.sysctls ? strMap(i.sysctls) : undefined,
      Ulimits: nonEmpty(list<Inputs>(i.ulimits).map((u) => ({ Name: String(u.name), Soft: Number(u.soft), Hard: Number(u.hard) }))),
      CapAdd: nonEmpty(list<string>(caps.adds)),
      CapDrop: nonEmpty(list<string>(caps.drops)),
      Dns: nonEmpty(list<string>(i.dns)),
      DnsOptions: nonEmpty(list<string>(i.dnsOpts)),
      DnsSearch: nonEmpty(list<string>(i.dnsSearches)),
      SecurityOpt: nonEmpty(list<string>(i.securityOpts)),
      GroupAdd: nonEmpty(list<string>(i.groupAdds)),
      Memory: mb(i.memory),
      MemorySwap: typeof i.memorySwap === "number" ? (i.memorySwap > 0 ? i.memorySwap * 1024 * 1024 : i.memorySwap) : undefined,
      ShmSize: mb(i.shmSize),
      CpuShares: typeof i.cpuShares === "number" ? i.cpuShares : undefined,
      CpusetCpus: str(i.cpuSet),
      PidMode: str(i.pidMode),
      IpcMode: str(i.ipcMode),
      UsernsMode: str(i.usernsMode),
      Runtime: str(i.runtime),
      Init: i.init === true,
    },
  };
}

/** URNs a resource needs to exist first: its recorded dependencies, replaceWith, and the Docker objects its inputs name. */
function prerequisites(r: RenderedResource, named: (type: string, name: string | undefined) => RenderedResource | undefined): string[] {
  const refs: (RenderedResource | undefined)[] = [];
  if (r.type === APPLIED_TYPES.container) {
    const owner = str(r.inputs.networkMode)?.match(/^container:(.+)$/)?.[1];
    refs.push(named(APPLIED_TYPES.container, owner));
    for (const n of list<Inputs>(r.inputs.networksAdvanced)) refs.push(named(APPLIED_TYPES.network, str(n.name)));
    for (const v of list<Inputs>(r.inputs.volumes)) refs.push(named(APPLIED_TYPES.volume, str(v.volumeName)));
    for (const m of list<Inputs>(r.inputs.mounts)) if (m.type === "volume") refs.push(named(APPLIED_TYPES.volume, str(m.source)));
  }
  return [...r.options.dependencies, ...r.options.replaceWith, ...refs.filter((x): x is RenderedResource => x !== undefined && x !== r).map((x) => x.urn)];
}

/** The Docker resources of a run in dependency order (registration order breaks ties); throws on a cycle. */
export function creationOrder(resources: readonly RenderedResource[]): RenderedResource[] {
  const docker = resources.filter((r) => r.custom && HANDLED.has(r.type));
  const byUrn = new Map(docker.map((r) => [r.urn, r]));
  const byName = new Map(docker.map((r) => [`${r.type} ${dockerName(r)}`, r]));
  const named = (type: string, name: string | undefined) => (name === undefined ? undefined : byName.get(`${type} ${name}`));
  const state = new Map<string, "visiting" | "done">();
  const order: RenderedResource[] = [];
  const visit = (r: RenderedResource, path: readonly string[]) => {
    const s = state.get(r.urn);
    if (s === "done") return;
    if (s === "visiting") throw new Error(`apply: dependency cycle: ${[...path, dockerName(r)].join(" -> ")}`);
    state.set(r.urn, "visiting");
    for (const urn of prerequisites(r, named)) {
      const dep = byUrn.get(urn);
      if (dep) visit(dep, [...path, dockerName(r)]);
    }
    state.set(r.urn, "done");
    order.push(r);
  };
  for (const r of docker) visit(r, []);
  return order;
}

/** URNs of every resource in `resources` that depends on `root`, directly or not (by the same rules as {@link creationOrder}). */
export function dependentsOf(root: RenderedResource, resources: readonly RenderedResource[]): Set<string> {
  const docker = resources.filter((r) => r.custom && HANDLED.has(r.type));
  const byName = new Map(docker.map((r) => [`${r.type} ${dockerName(r)}`, r]));
  const named = (type: string, name: string | undefined) => (name === undefined ? undefined : byName.get(`${type} ${name}`));
  const found = new Set<string>([root.urn]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of docker) {
      if (found.has(r.urn)) continue;
      if (prerequisites(r, named).some((u) => found.has(u))) {
        found.add(r.urn);
        grew = true;
      }
    }
  }
  found.delete(root.urn);
  return found;
}

async function waitRunning(docker: Docker, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await docker.getContainer(name).inspect();
    if (info.State.Running) return;
    if (info.State.Status === "exited" || info.State.Status === "dead" || Date.now() > deadline) {
      const logs = await docker.getContainer(name).logs({ stdout: true, stderr: true, tail: 20 }).catch(() => "");
      throw new Error(`apply: container ${name} is ${info.State.Status} (exit ${info.State.ExitCode}${info.State.Error ? `, ${info.State.Error}` : ""}): container exited immediately\n${String(logs)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates one rendered Docker resource on the engine, as the provider's Create would. */
export async function createResource(docker: Docker, r: RenderedResource, record: (line: string) => void): Promise<void> {
  const name = dockerName(r);
  switch (r.type) {
    case APPLIED_TYPES.network:
      record(`create network ${name}`);
      await docker.createNetwork(networkCreateBody(r));
      return;
    case APPLIED_TYPES.volume:
      checkKeys(r, VOLUME_KEYS);
      record(`create volume ${name}`);
      await docker.createVolume({ Name: name, Driver: str(r.inputs.driver) ?? "local", DriverOpts: strMap(r.inputs.driverOpts), Labels: labelMap(r.inputs.labels) });
      return;
    case APPLIED_TYPES.container: {
      record(`create container ${name}`);
      const container = await docker.createContainer(containerCreateBody(r));
      const attachments = list<Inputs>(r.inputs.networksAdvanced);
      if (attachments.length > 0) {
        await docker.getNetwork("bridge").disconnect({ Container: container.id, Force: false }).catch((err: Error) => {
          if (!/is not connected to the network bridge|not connected/.test(err.message)) throw err;
        });
        for (const a of attachments) {
          record(`connect container ${name} to network ${String(a.name)}`);
          await docker.getNetwork(String(a.name)).connect({
            Container: container.id,
            EndpointConfig: {
              Aliases: list<string>(a.aliases),
              IPAMConfig: { IPv4Address: str(a.ipv4Address) ?? "", IPv6Address: str(a.ipv6Address) ?? "" },
            },
          });
        }
      }
      for (const u of list<Inputs>(r.inputs.uploads)) {
        const content = str(u.content) !== undefined ? Buffer.from(String(u.content)) : str(u.contentBase64) !== undefined ? Buffer.from(String(u.contentBase64), "base64") : undefined;
        if (!content) throw new Error(`apply: container ${name}: upload ${String(u.file)} needs content or contentBase64 (source is not supported)`);
        const mode = str(u.permissions) ? parseInt(String(u.permissions), 8) : u.executable === true ? 0o744 : 0o644;
        record(`upload ${String(u.file)} to container ${name}`);
        await container.putArchive(tarOf(String(u.file), content, mode), { path: "/" });
      }
      if (r.inputs.start !== false) {
        record(`start container ${name}`);
        await container.start();
        if (r.inputs.mustRun !== false) await waitRunning(docker, name, Number(r.inputs.containerReadRefreshTimeoutMilliseconds ?? 15_000));
      }
      return;
    }
    default:
      throw new Error(`apply: ${r.type} is not applied`);
  }
}

const notFound = (err: { statusCode?: number }) => err.statusCode === 404;

/** Deletes one rendered Docker resource, as the provider's Delete would (missing objects are fine). */
export async function deleteResource(docker: Docker, r: RenderedResource, record: (line: string) => void): Promise<void> {
  const name = dockerName(r);
  const retry = async (what: () => Promise<unknown>, busy: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await what();
        return;
      } catch (err) {
        const e = err as { statusCode?: number; message: string };
        if (notFound(e)) return;
        if (!busy.test(e.message) || Date.now() > deadline) throw new Error(`apply: cannot delete ${r.type} ${name}: ${e.message}`);
        await new Promise((res) => setTimeout(res, 250));
      }
    }
  };
  switch (r.type) {
    case APPLIED_TYPES.container: {
      record(`delete container ${name}`);
      const grace = Number(r.inputs.destroyGraceSeconds ?? 0);
      if (grace > 0) await docker.getContainer(name).stop({ t: grace }).catch(() => undefined);
      await retry(() => docker.getContainer(name).remove({ force: true, v: r.inputs.removeVolumes !== false }), /removal of container .* is already in progress/, 15_000);
      return;
    }
    case APPLIED_TYPES.network:
      record(`delete network ${name}`);
      // the provider retries while endpoints are still attached (30 s)
      await retry(() => docker.getNetwork(name).remove(), /has active endpoints/, 30_000);
      return;
    case APPLIED_TYPES.volume:
      record(`delete volume ${name}`);
      await retry(() => docker.getVolume(name).remove(), /volume is in use/, 30_000);
      return;
    default:
      throw new Error(`apply: ${r.type} is not deleted`);
  }
}

/**
 * Creates every Docker network, volume and container a program rendered, in
 * dependency order, with exactly the recorded inputs. Stops at the first
 * engine error (thrown, with the operations done so far in the message); call
 * {@link teardown} with the same resources afterwards in any case.
 */
export async function apply(docker: Docker, resources: readonly RenderedResource[], options: ApplyOptions = {}): Promise<ApplyResult> {
  const order = creationOrder(resources);
  const operations: string[] = [];
  const record = (line: string) => {
    operations.push(line);
    options.log?.(line);
  };
  const applied: RenderedResource[] = [];
  for (const r of order) {
    try {
      await createResource(docker, r, record);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n(after: ${operations.join("; ")})`);
    }
    applied.push(r);
  }
  return { applied, skipped: resources.filter((r) => !order.includes(r)), operations };
}

/** Options of {@link teardown}. */
export interface TeardownOptions extends ApplyOptions {
  /** Keep resources rendered with `retainOnDelete` (what `pulumi destroy` does). @default false: remove everything (test hygiene) */
  readonly honorRetainOnDelete?: boolean;
}

/**
 * Removes what {@link apply} created from the same rendered resources, in
 * reverse dependency order (containers, then the networks and volumes they
 * used). Missing objects are fine; every failure is collected and thrown once
 * at the end, after everything else was attempted.
 */
export async function teardown(docker: Docker, resources: readonly RenderedResource[], options: TeardownOptions = {}): Promise<void> {
  const failures: string[] = [];
  const record = (line: string) => options.log?.(line);
  for (const r of creationOrder(resources).reverse()) {
    if (options.honorRetainOnDelete && r.options.retainOnDelete) {
      record(`retain ${dockerName(r)}`);
      continue;
    }
    await deleteResource(docker, r, record).catch((err: Error) => failures.push(err.message));
  }
  if (failures.length > 0) throw new Error(`teardown: ${failures.join("\n")}`);
}

// applyUpdate lives beside this file (kept under ~400 lines each); import it from here.
export { applyUpdate, planUpdate } from "./apply-update";
export type { UpdateOp, UpdatePlan, UpdateResult, UpdateStep } from "./apply-update";
