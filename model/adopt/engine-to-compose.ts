/**
 * What runs on an engine, said as a Compose file: the containers and networks `import --from-engine`
 * adopts, from `docker inspect` of each (and of each container's image), in the Compose form that
 * model/compose/convert.ts turns into a declaration. Only what the container was given is written:
 * environment, labels, command, entrypoint, exposed ports and healthcheck it inherited unchanged
 * from its image are left out, as Docker's own `docker run` would have left them. Pure.
 */

/** The part of `docker network inspect` adoption reads. */
export interface InspectedNetwork {
  readonly Id: string;
  readonly Name: string;
  readonly Driver: string;
  readonly Internal?: boolean;
  readonly Attachable?: boolean;
  readonly EnableIPv6?: boolean;
  readonly IPAM?: { readonly Driver?: string; readonly Config?: readonly { readonly Subnet?: string; readonly Gateway?: string; readonly IPRange?: string; readonly AuxiliaryAddresses?: Readonly<Record<string, string>> | null }[] | null };
  readonly Options?: Readonly<Record<string, string>> | null;
  readonly Labels?: Readonly<Record<string, string>> | null;
}

/** A healthcheck as Docker stores it (durations in nanoseconds). */
export interface InspectedHealthcheck {
  readonly Test?: readonly string[] | null;
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly Retries?: number;
  readonly StartPeriod?: number;
}

/** The part of an image's config adoption compares a container with. */
export interface InspectedImageConfig {
  readonly Cmd?: readonly string[] | null;
  readonly Entrypoint?: readonly string[] | null;
  readonly Env?: readonly string[] | null;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
  readonly Healthcheck?: InspectedHealthcheck | null;
}

/** The part of `docker container inspect` adoption reads. */
export interface InspectedContainer {
  readonly Id: string;
  /** With Docker's leading `/`. */
  readonly Name: string;
  readonly Config: InspectedImageConfig & { readonly Image: string; readonly Hostname?: string };
  readonly HostConfig: {
    readonly NetworkMode?: string;
    readonly ExtraHosts?: readonly string[] | null;
    readonly Dns?: readonly string[] | null;
    readonly DnsSearch?: readonly string[] | null;
    readonly DnsOptions?: readonly string[] | null;
    readonly RestartPolicy?: { readonly Name?: string; readonly MaximumRetryCount?: number };
    readonly CapAdd?: readonly string[] | null;
    readonly CapDrop?: readonly string[] | null;
    readonly Privileged?: boolean;
  };
  readonly NetworkSettings: {
    readonly Ports?: Readonly<Record<string, readonly { readonly HostIp: string; readonly HostPort: string }[] | null>> | null;
    readonly Networks?: Readonly<Record<string, { readonly Aliases?: readonly string[] | null; readonly IPAMConfig?: { readonly IPv4Address?: string; readonly IPv6Address?: string } | null }>> | null;
  };
  readonly State?: { readonly Running?: boolean };
  readonly Mounts?: readonly { readonly Type?: string; readonly Destination?: string }[] | null;
}

/** A container to adopt, with its image's config (undefined when the image is gone). */
export interface AdoptedContainer {
  readonly container: InspectedContainer;
  readonly image?: InspectedImageConfig;
}

/** The Compose document, the Docker ID of each adopted object by its key, and what could not be said. */
export interface EngineAsCompose {
  readonly compose: { readonly services: Record<string, Record<string, unknown>>; readonly networks: Record<string, Record<string, unknown>> };
  /** Docker ID by service key. */
  readonly containerIds: Readonly<Record<string, string>>;
  /** Docker ID by network key (adopted networks only; the others are external). */
  readonly networkIds: Readonly<Record<string, string>>;
  /** Service keys whose container has host.docker.internal mapped to the host gateway. */
  readonly hostGateway: ReadonlySet<string>;
  /** Each with its path in the declaration and why. */
  readonly unmapped: readonly { readonly path: string; readonly reason: string }[];
}

const BUILT_IN_MODES = new Set(["", "default", "bridge", "host", "none"]);
const HOST_GATEWAY_ENTRY = "host.docker.internal:host-gateway";

/** Docker's duration (nanoseconds) as a Go duration string in whole seconds or milliseconds. */
function duration(ns: number | undefined): string {
  if (!ns) return "0s";
  return ns % 1e9 === 0 ? `${ns / 1e9}s` : `${Math.round(ns / 1e6)}ms`;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function own<T extends string>(values: readonly T[] | null | undefined, inherited: readonly T[] | null | undefined): T[] {
  const from = new Set(inherited ?? []);
  return (values ?? []).filter((v) => !from.has(v));
}

function ownLabels(labels: Readonly<Record<string, string>> | null | undefined, inherited: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([k, v]) => inherited?.[k] !== v));
}

function network(n: InspectedNetwork): Record<string, unknown> {
  const configs = (n.IPAM?.Config ?? []).map((c) => ({
    ...(c.Subnet ? { subnet: c.Subnet } : {}),
    ...(c.Gateway ? { gateway: c.Gateway } : {}),
    ...(c.IPRange ? { ip_range: c.IPRange } : {}),
    ...(c.AuxiliaryAddresses && Object.keys(c.AuxiliaryAddresses).length > 0 ? { aux_addresses: c.AuxiliaryAddresses } : {}),
  }));
  const labels = n.Labels ?? {};
  const options = n.Options ?? {};
  return {
    name: n.Name,
    driver: n.Driver,
    ...(configs.length > 0 ? { ipam: { ...(n.IPAM?.Driver && n.IPAM.Driver !== "default" ? { driver: n.IPAM.Driver } : {}), config: configs } } : {}),
    ...(n.Internal ? { internal: true } : {}),
    ...(n.Attachable ? { attachable: true } : {}),
    ...(n.EnableIPv6 ? { enable_ipv6: true } : {}),
    ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
    ...(Object.keys(options).length > 0 ? { driver_opts: { ...options } } : {}),
  };
}

/** Every field written out, 0 as "0s": Docker stores 0 for "its default", and reads it back as 0, not as the default. */
function healthcheck(hc: InspectedHealthcheck): Record<string, unknown> {
  return {
    test: [...(hc.Test ?? [])],
    interval: duration(hc.Interval),
    timeout: duration(hc.Timeout),
    retries: hc.Retries ?? 0,
    start_period: duration(hc.StartPeriod),
  };
}

/**
 * Says adopted containers and networks as a Compose file. `networks` is every network the engine has
 * (by Docker name); those in `adopt` are adopted, any other one a container joins is written as
 * external. Each object's key is its Docker name.
 */
export function engineToCompose(containers: readonly AdoptedContainer[], networks: readonly InspectedNetwork[], adopt: ReadonlySet<string>): EngineAsCompose {
  const unmapped: { path: string; reason: string }[] = [];
  const byName = new Map(networks.map((n) => [n.Name, n]));
  const byId = new Map(containers.map(({ container }) => [container.Id, container.Name.replace(/^\//, "")]));
  const composeNetworks: Record<string, Record<string, unknown>> = {};
  const networkIds: Record<string, string> = {};
  const joinNetwork = (name: string) => {
    if (composeNetworks[name]) return;
    const n = byName.get(name);
    if (n && adopt.has(n.Id)) {
      composeNetworks[name] = network(n);
      networkIds[name] = n.Id;
    } else composeNetworks[name] = { external: true, name, ...(n ? { driver: n.Driver } : {}) };
  };
  for (const n of networks) if (adopt.has(n.Id)) joinNetwork(n.Name);

  const services: Record<string, Record<string, unknown>> = {};
  const containerIds: Record<string, string> = {};
  const hostGateway = new Set<string>();
  for (const { container: c, image } of containers) {
    const key = c.Name.replace(/^\//, "");
    const at = (field: string) => `services.${key}.${field}`;
    const s: Record<string, unknown> = { container_name: key, image: c.Config.Image };
    if (!same(c.Config.Cmd, image?.Cmd) && c.Config.Cmd) s["command"] = [...c.Config.Cmd];
    if (!same(c.Config.Entrypoint, image?.Entrypoint) && c.Config.Entrypoint) s["entrypoint"] = [...c.Config.Entrypoint];
    const env = own(c.Config.Env, image?.Env);
    if (env.length > 0) s["environment"] = env;
    const mode = c.HostConfig.NetworkMode ?? "default";
    const ports = Object.entries(c.NetworkSettings.Ports ?? {}).flatMap(([key, bindings]) => {
      const [target, protocol] = key.split("/");
      return (bindings ?? []).map((b) => ({ target: Number(target), published: Number(b.HostPort), host_ip: b.HostIp || "0.0.0.0", protocol: protocol ?? "tcp" }));
    });
    if (ports.length > 0) s["ports"] = ports;
    if (c.State?.Running === false && Object.keys(c.NetworkSettings.Ports ?? {}).length === 0) {
      unmapped.push({ path: at("ports"), reason: "the container is not running, and Docker reports a stopped container's published ports as none: start it before adopting it" });
    }
    const published = new Set(Object.keys(c.NetworkSettings.Ports ?? {}).filter((k) => (c.NetworkSettings.Ports?.[k] ?? []).length > 0));
    const expose = Object.keys(c.Config.ExposedPorts ?? {}).filter((p) => !published.has(p) && !Object.hasOwn(image?.ExposedPorts ?? {}, p));
    if (expose.length > 0) s["expose"] = expose.map((p) => (p.endsWith("/tcp") ? p.slice(0, -4) : p));
    if (mode.startsWith("container:")) {
      const owner = byId.get(mode.slice("container:".length));
      if (owner) s["network_mode"] = `service:${owner}`;
      else unmapped.push({ path: at("networkMode"), reason: `shares the namespace of container ${mode.slice("container:".length, "container:".length + 12)}, which is not adopted with it: adopt that one too (same label)` });
    } else if (BUILT_IN_MODES.has(mode)) {
      s["network_mode"] = mode === "default" || mode === "" ? "bridge" : mode;
    } else {
      const nets: Record<string, Record<string, unknown>> = {};
      for (const [name, ep] of Object.entries(c.NetworkSettings.Networks ?? {})) {
        joinNetwork(name);
        const aliases = (ep.Aliases ?? []).filter((a) => a !== "" && !c.Id.startsWith(a));
        nets[name] = {
          ...(aliases.length > 0 ? { aliases } : {}),
          ...(ep.IPAMConfig?.IPv4Address ? { ipv4_address: ep.IPAMConfig.IPv4Address } : {}),
          ...(ep.IPAMConfig?.IPv6Address ? { ipv6_address: ep.IPAMConfig.IPv6Address } : {}),
        };
      }
      s["networks"] = nets;
    }
    const extraHosts = (c.HostConfig.ExtraHosts ?? []).filter((h) => h !== HOST_GATEWAY_ENTRY);
    if ((c.HostConfig.ExtraHosts ?? []).includes(HOST_GATEWAY_ENTRY)) hostGateway.add(key);
    if (extraHosts.length > 0) s["extra_hosts"] = extraHosts;
    if (c.HostConfig.Dns?.length) s["dns"] = [...c.HostConfig.Dns];
    if (c.HostConfig.DnsSearch?.length) s["dns_search"] = [...c.HostConfig.DnsSearch];
    if (c.HostConfig.DnsOptions?.length) s["dns_opt"] = [...c.HostConfig.DnsOptions];
    const hostname = c.Config.Hostname;
    // host and container:X share the UTS namespace: the hostname is the host's or the owner's.
    if (hostname && !c.Id.startsWith(hostname) && mode !== "host" && !mode.startsWith("container:")) s["hostname"] = hostname;
    const restart = c.HostConfig.RestartPolicy;
    s["restart"] = restart?.Name ? (restart.MaximumRetryCount ? `${restart.Name}:${restart.MaximumRetryCount}` : restart.Name) : "no";
    if (c.Config.Healthcheck && !same(c.Config.Healthcheck, image?.Healthcheck)) s["healthcheck"] = healthcheck(c.Config.Healthcheck);
    const labels = ownLabels(c.Config.Labels, image?.Labels);
    if (Object.keys(labels).length > 0) s["labels"] = labels;
    if (c.HostConfig.CapAdd?.length) s["cap_add"] = [...c.HostConfig.CapAdd];
    if (c.HostConfig.CapDrop?.length) s["cap_drop"] = [...c.HostConfig.CapDrop];
    if (c.HostConfig.Privileged) s["privileged"] = true;
    for (const m of c.Mounts ?? []) {
      unmapped.push({ path: at("mounts"), reason: `${m.Type ?? "a"} mount on ${m.Destination ?? "?"} is not carried by the declaration (storage is not network topology); the container keeps it, but if the preview of the adoption shows a replacement, adopt this container with the Docker provider directly` });
    }
    if (image === undefined) unmapped.push({ path: at("image"), reason: `image ${c.Config.Image} is not on the engine any more: what the container inherited from it cannot be told from what it was given` });
    services[key] = s;
    containerIds[key] = c.Id;
  }
  return { compose: { services, networks: composeNetworks }, containerIds, networkIds, hostGateway, unmapped };
}
