/**
 * e2e helpers for registries: render a program on Pulumi's mock runtime with a
 * stand-in for @pulumi/random (a real password and its bcrypt hash, as the
 * provider computes them), apply the rendered Docker inputs to the engine
 * (network, volume, container with uploads), and push/pull/fetch against a
 * registry from the host.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import Docker from "dockerode";

/** One resource the program registered, with the inputs the provider would get (secrets unwrapped). */
export interface Rendered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Removes the secret wrappers the mock monitor leaves in inputs. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/**
 * A bcrypt hash (`$2b$05$...`) of `password`, through the C library's crypt(3)
 * (libxcrypt) via perl: what random_password's `bcrypt_hash` holds.
 */
export function bcryptHash(password: string): string {
  const salt = Array.from(randomBytes(22), (b) => BCRYPT_ALPHABET[b % 64]).join("");
  const hash = execFileSync("perl", ["-e", "print crypt($ARGV[0], $ARGV[1])", password, `$2b$05$${salt}`], { encoding: "utf8" });
  if (!hash.startsWith("$2b$05$")) throw new Error(`bcryptHash: crypt(3) has no bcrypt here (got ${JSON.stringify(hash)})`);
  return hash;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/**
 * Runs a program on the mock runtime and returns what it registered. RandomPassword
 * gets a real 32-character result and its bcrypt hash; every other resource's
 * outputs are its inputs. Sequential only (the mock runtime is process-global).
 */
export async function renderProgram<T>(program: () => T, stack = "e2e"): Promise<{ value: T; resources: Rendered[] }> {
  const resources: Rendered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
        resources.push({ type: args.type, name: args.name, inputs });
        if (args.type === "random:index/randomPassword:RandomPassword") {
          const result = randomBytes(24).toString("base64url").slice(0, 32);
          return { id: `${args.name}-id`, state: { ...args.inputs, result, bcryptHash: bcryptHash(result) } };
        }
        return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "container-topology",
    stack,
    false,
  );
  const value = program();
  await settings.waitForRPCs();
  return { value, resources };
}

/** The resolved value of an Output (after {@link renderProgram}). */
export function resolve<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((done) => pulumi.output(output).apply((v) => done(v as T)));
}

/** The one rendered resource of a type and name. */
export function rendered(resources: readonly Rendered[], type: string, name: string): Rendered {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name}; have ${resources.map((r) => `${r.type}:${r.name}`).join(", ")}`);
  return found;
}

type Label = { label: string; value: string };
const labelMap = (labels: unknown) => Object.fromEntries(((labels as Label[] | undefined) ?? []).map((l) => [l.label, l.value]));

/** Creates a docker.Network's rendered inputs on the engine (bridge, IPAM config). */
export async function applyNetwork(docker: Docker, inputs: Record<string, unknown>): Promise<void> {
  const ipam = (inputs.ipamConfigs as { subnet?: string; gateway?: string }[] | undefined) ?? [];
  await docker.createNetwork({
    Name: inputs.name as string,
    Driver: (inputs.driver as string | undefined) ?? "bridge",
    Labels: labelMap(inputs.labels),
    ...(ipam.length > 0 ? { IPAM: { Config: ipam.map((c) => ({ Subnet: c.subnet, Gateway: c.gateway })) } } : {}),
  });
}

/** Creates a docker.Volume's rendered inputs on the engine, unless it exists (a retained volume). */
export async function applyVolume(docker: Docker, inputs: Record<string, unknown>): Promise<void> {
  const name = inputs.name as string;
  const existing = await docker.getVolume(name).inspect().catch(() => undefined);
  if (!existing) await docker.createVolume({ Name: name, Labels: labelMap(inputs.labels) });
}

interface ContainerInputs {
  name: string;
  image: string;
  envs?: string[];
  labels?: Label[];
  ports?: { internal: number; external?: number; ip?: string; protocol?: string }[];
  networksAdvanced?: { name: string; aliases?: string[] }[];
  networkMode?: string;
  hosts?: { host: string; ip: string }[];
  volumes?: { volumeName: string; containerPath: string }[];
  uploads?: { file: string; content: string; permissions?: string }[];
  restart?: string;
}

/** A tar stream with one file per upload, as the provider's `uploads` copies them to "/". */
function uploadArchive(uploads: NonNullable<ContainerInputs["uploads"]>): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-e2e-upload-"));
  try {
    for (const upload of uploads) {
      const target = path.join(dir, upload.file.replace(/^\/+/, ""));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, upload.content, { mode: parseInt(upload.permissions ?? "0644", 8) });
    }
    return execFileSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", dir, "-c", "."]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Creates and starts a docker.Container from its rendered inputs: env, labels,
 * published ports, networks with aliases, extra hosts, volume mounts, uploads
 * (copied in before start), restart policy.
 */
export async function applyContainer(docker: Docker, raw: Record<string, unknown>): Promise<Docker.Container> {
  const inputs = raw as unknown as ContainerInputs;
  const [first, ...others] = inputs.networksAdvanced ?? [];
  const exposed: Record<string, object> = {};
  const bindings: Docker.PortMap = {};
  for (const p of inputs.ports ?? []) {
    const key = `${p.internal}/${p.protocol ?? "tcp"}`;
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), { HostIp: p.ip ?? "", HostPort: p.external !== undefined ? String(p.external) : "" }];
  }
  const container = await docker.createContainer({
    name: inputs.name,
    Image: inputs.image,
    Env: inputs.envs ?? [],
    Labels: labelMap(inputs.labels),
    ExposedPorts: exposed,
    HostConfig: {
      NetworkMode: inputs.networkMode ?? first?.name ?? "bridge",
      PortBindings: bindings,
      ExtraHosts: (inputs.hosts ?? []).map((h) => `${h.host}:${h.ip}`),
      Mounts: (inputs.volumes ?? []).map((v) => ({ Type: "volume" as const, Source: v.volumeName, Target: v.containerPath })),
      RestartPolicy: { Name: inputs.restart ?? "no" },
    },
    ...(first ? { NetworkingConfig: { EndpointsConfig: { [first.name]: { Aliases: first.aliases ?? [] } } } } : {}),
  });
  for (const other of others) await docker.getNetwork(other.name).connect({ Container: container.id, EndpointConfig: { Aliases: other.aliases ?? [] } });
  if (inputs.uploads && inputs.uploads.length > 0) await container.putArchive(uploadArchive(inputs.uploads), { path: "/" });
  await container.start();
  return container;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Basic-auth credentials. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** GET from the host: status and body. */
export function httpGet(url: string, credentials?: Credentials, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const auth = credentials ? { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}` } : {};
  return new Promise((done, fail) => {
    const req = http.get(url, { headers: { ...headers, ...auth }, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", fail);
  });
}

/** Polls `GET <registry>/v2/` until the registry answers (200 or 401). */
export async function waitForRegistry(address: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await httpGet(`http://${address}/v2/`);
      if (res.status === 200 || res.status === 401) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`registry at ${address} did not answer within ${timeoutMs} ms (${last})`);
}

/** Follows a push/pull stream; rejects with the first error the engine reports. */
function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((done, fail) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: { error?: string; errorDetail?: { message?: string } }[]) => {
        const failed = events?.find((e) => e.error || e.errorDetail);
        if (err) fail(err);
        else if (failed) fail(new Error(failed.error ?? failed.errorDetail?.message ?? "push failed"));
        else done();
      },
    );
  });
}

/** Pushes `reference` from the engine, with credentials for its registry or anonymously. */
export async function push(docker: Docker, reference: string, credentials?: Credentials): Promise<void> {
  const serveraddress = reference.split("/")[0]!;
  const image = docker.getImage(reference) as unknown as { push(options: object): Promise<NodeJS.ReadableStream> };
  const stream = await image.push({ authconfig: credentials ? { ...credentials, serveraddress } : { serveraddress } });
  await follow(docker, stream);
}

/** Pulls `reference` into the engine. */
export async function pull(docker: Docker, reference: string, credentials?: Credentials): Promise<void> {
  const serveraddress = reference.split("/")[0]!;
  const stream = (await docker.pull(reference, credentials ? { authconfig: { ...credentials, serveraddress } } : {})) as NodeJS.ReadableStream;
  await follow(docker, stream);
}

/** Removes an image tag, ignoring "not found". */
export async function untag(docker: Docker, reference: string): Promise<void> {
  await docker
    .getImage(reference)
    .remove({ noprune: true })
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
}

/** Applies a docker.Tag's rendered inputs: tags `sourceImage` as `targetImage`. */
export async function applyTag(docker: Docker, inputs: Record<string, unknown>): Promise<string> {
  const target = inputs.targetImage as string;
  const colon = target.lastIndexOf(":");
  await docker.getImage(inputs.sourceImage as string).tag({ repo: target.slice(0, colon), tag: target.slice(colon + 1) });
  return target;
}

/**
 * Applies a docker.RegistryImage's rendered inputs as the provider does: pushes
 * `name` with the auth config's credentials, then reads the digest from
 * `<authConfig.address>/v2/<repo>/manifests/<tag>` (the scheme of the address
 * decides HTTP or HTTPS, which is how a plain-HTTP registry stays readable on
 * refresh). Returns the digest.
 */
export async function applyRegistryImage(docker: Docker, inputs: Record<string, unknown>): Promise<string> {
  const name = inputs.name as string;
  const auth = inputs.authConfig as { address: string; username?: string; password?: string };
  if (!auth.address.startsWith("http://")) throw new Error(`applyRegistryImage: ${auth.address} is not a plain-HTTP address`);
  const credentials = auth.username !== undefined && auth.password !== undefined ? { username: auth.username, password: auth.password } : undefined;
  await push(docker, name, credentials);
  const path = name.slice(name.indexOf("/") + 1);
  const colon = path.lastIndexOf(":");
  const res = await httpGet(`${auth.address}/v2/${path.slice(0, colon)}/manifests/${path.slice(colon + 1)}`, credentials, {
    Accept: "application/vnd.docker.distribution.manifest.v2+json",
  });
  const digest = res.headers["docker-content-digest"];
  if (res.status !== 200 || typeof digest !== "string") throw new Error(`applyRegistryImage: digest lookup answered ${res.status}`);
  return digest;
}
