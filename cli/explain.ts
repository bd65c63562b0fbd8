import { managerOf } from "../model/hosts/normalize";
import { networkAliases } from "../model/names";
import { creationOrder } from "../model/docker/namespaces";
import { REGISTRY_DEFAULTS } from "../model/registry/args";
import { registryServiceSpec } from "../model/registry/normalize";
import { RegistrySpec } from "../model/registry/types";
import { HealthcheckSpec, NetworkSpec, ServiceSpec, TopologySpec } from "../model/types";

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: as is when safe, else single-quoted (POSIX sh). */
export function shellQuote(word: string): string {
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const command = (words: readonly string[]) => words.map(shellQuote).join(" ");
/** A pass-through value (image, env) only known at deployment. */
const plain = (value: unknown) => (typeof value === "string" ? value : "<computed>");
const bracket = (ip: string) => (ip.includes(":") ? `[${ip}]` : ip);

/** `docker network create ...` for one network, in the flags Docker's documentation uses. */
export function networkCommand(network: NetworkSpec): string {
  const words = ["docker", "network", "create", "--driver", network.driver];
  for (const pool of network.pools) {
    if (pool.subnet === undefined) continue;
    words.push("--subnet", pool.subnet);
    if (pool.gateway !== undefined) words.push("--gateway", pool.gateway);
    if (pool.ipRange !== undefined) words.push("--ip-range", pool.ipRange);
  }
  for (const [name, ip] of Object.entries(network.auxAddresses)) words.push("--aux-address", `${name}=${ip}`);
  for (const [key, value] of Object.entries(network.driverOptions)) words.push("-o", `${key}=${value}`);
  if (network.internal) words.push("--internal");
  if (network.attachable) words.push("--attachable");
  if (network.ipv6) words.push("--ipv6");
  for (const [key, value] of Object.entries(network.labels)) words.push("--label", `${key}=${value}`);
  words.push(network.dockerName);
  return command(words);
}

function healthFlags(hc: HealthcheckSpec): string[] {
  const [kind, ...rest] = hc.test;
  if (kind === "NONE") return ["--no-healthcheck"];
  const cmd = kind === "CMD-SHELL" ? rest.join(" ") : kind === "CMD" ? rest.map(shellQuote).join(" ") : hc.test.map(shellQuote).join(" ");
  return ["--health-cmd", cmd, "--health-interval", hc.interval, "--health-timeout", hc.timeout, "--health-retries", String(hc.retries), "--health-start-period", hc.startPeriod];
}

/** Docker names by declaration key, to refer to other objects. */
export interface DockerNames {
  readonly services: ReadonlyMap<string, string>;
  readonly networks: ReadonlyMap<string, string>;
}

/**
 * `docker run -d ...` for one service, then `docker network connect` for each
 * network after the first (`docker run` joins one network only).
 */
export function serviceCommands(service: ServiceSpec, names: DockerNames, volumes: readonly string[] = []): string[] {
  const words = ["docker", "run", "-d", "--name", service.dockerName];
  const [first, ...others] = service.mode.kind === "networks" ? service.attachments : [];
  switch (service.mode.kind) {
    case "networks":
      break;
    case "default-bridge":
      words.push("--network", "bridge");
      break;
    case "host":
    case "none":
      words.push("--network", service.mode.kind);
      break;
    case "container":
      words.push("--network", `container:${names.services.get(service.mode.service) ?? service.mode.service}`);
      break;
    default: {
      const unreachable: never = service.mode;
      throw new Error(`unhandled network mode ${JSON.stringify(unreachable)}`);
    }
  }
  const networkName = (key: string) => names.networks.get(key) ?? key;
  if (first) {
    words.push("--network", networkName(first.network));
    for (const alias of networkAliases(service, first)) words.push("--network-alias", alias);
    if (first.ipv4Address !== undefined) words.push("--ip", first.ipv4Address);
    if (first.ipv6Address !== undefined) words.push("--ip6", first.ipv6Address);
  }
  if (service.hostname !== undefined) words.push("--hostname", service.hostname);
  for (const port of service.ports) words.push("-p", `${bracket(port.hostIp)}:${port.published ?? ""}:${port.target}/${port.protocol}`);
  for (const expose of service.expose) words.push("--expose", `${expose.port}/${expose.protocol}`);
  for (const volume of volumes) words.push("-v", volume);
  for (const host of service.extraHosts) words.push("--add-host", `${host.host}:${host.ip}`);
  for (const dns of service.dns) words.push("--dns", dns);
  for (const search of service.dnsSearch) words.push("--dns-search", search);
  for (const option of service.dnsOptions) words.push("--dns-option", option);
  words.push("--restart", service.restart);
  for (const [key, value] of Object.entries(service.env)) words.push("-e", `${key}=${plain(value)}`);
  for (const [key, value] of Object.entries(service.labels)) words.push("--label", `${key}=${value}`);
  if (service.privileged) words.push("--privileged");
  for (const cap of service.capAdd) words.push("--cap-add", cap);
  for (const cap of service.capDrop) words.push("--cap-drop", cap);
  if (service.healthcheck) words.push(...healthFlags(service.healthcheck));
  const [entrypoint, ...entrypointArgs] = service.entrypoint ?? [];
  if (entrypoint !== undefined) words.push("--entrypoint", entrypoint);
  words.push(plain(service.image), ...entrypointArgs, ...(service.command ?? []));
  const commands = [command(words)];
  for (const attachment of others) {
    const connect = ["docker", "network", "connect"];
    for (const alias of networkAliases(service, attachment)) connect.push("--alias", alias);
    if (attachment.ipv4Address !== undefined) connect.push("--ip", attachment.ipv4Address);
    if (attachment.ipv6Address !== undefined) connect.push("--ip6", attachment.ipv6Address);
    connect.push(networkName(attachment.network), service.dockerName);
    commands.push(command(connect));
  }
  return commands;
}

/**
 * A local registry: `docker volume create` for its storage, then its
 * `docker run` with the volume mounted (and, with auth, the htpasswd file the
 * component generates, here a file of yours).
 */
export function registryCommands(registry: RegistrySpec, names: DockerNames): string[] {
  const labels = Object.entries(registryServiceSpec(registry).labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]);
  const volumes = [`${registry.volumeName}:${REGISTRY_DEFAULTS.storagePath}`, ...(registry.auth ? [`/path/to/htpasswd:${REGISTRY_DEFAULTS.htpasswdPath}:ro`] : [])];
  return [command(["docker", "volume", "create", ...labels, registry.volumeName]), ...serviceCommands(registryServiceSpec(registry), names, volumes)];
}

/**
 * The Docker CLI commands equivalent to what the topology renders: every
 * `docker network create`, then every `docker run` (namespace owners first),
 * each followed by the `docker network connect` of its further networks, then
 * each registry's volume and container.
 * One command a line, words shell-quoted.
 */
export function explainTopology(model: TopologySpec): string[] {
  const names: DockerNames = {
    services: new Map(model.services.map((s) => [s.key, s.dockerName])),
    networks: new Map(model.networks.map((n) => [n.key, n.dockerName])),
  };
  // With several hosts each command goes to its host's engine (`docker --host`), an overlay's to the manager's.
  const hosts = new Map((model.hosts ?? []).map((h) => [h.key, h]));
  const manager = managerOf(model.hosts ?? [])?.key;
  const on = (host: string | undefined) => (commands: string[]) => {
    const url = hosts.size > 1 && host !== undefined ? hosts.get(host)?.host : undefined;
    return url === undefined ? commands : commands.map((c) => c.replace(/^docker /, `docker --host ${shellQuote(url)} `));
  };
  return [
    ...model.networks.flatMap((n) => on(n.driver === "overlay" && !n.external ? manager : n.host)([networkCommand(n)])),
    ...creationOrder(model.services).flatMap((s) => on(s.host)(serviceCommands(s, names))),
    ...(model.registries ?? []).flatMap((r) => on(r.host)(registryCommands(r, names))),
  ];
}
