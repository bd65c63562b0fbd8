/**
 * A Compose file (the Compose specification, as `docker compose config` prints it) converted into
 * a topology declaration: networks with IPAM, services with image, command, environment, ports (short
 * and long forms), expose, networks with aliases and static addresses, extra_hosts, dns,
 * network_mode, healthcheck, restart, labels, hostname and capabilities, and external networks.
 * Compose's own semantics are kept: a port without an address is published on 0.0.0.0, and services
 * without networks join the project's `default` network. Everything that cannot be mapped is listed
 * with its Compose path and why; nothing is dropped silently. Pure: the file is parsed elsewhere.
 */
import { joinPath, PathSegment } from "../paths";

/** Something of the Compose file the declaration does not carry. */
export interface Unmapped {
  /** Compose path, e.g. `services.web.volumes`. */
  readonly path: string;
  readonly reason: string;
}

/** The conversion's result. */
export interface ComposeConversion {
  /** The declaration (the value of `container-topology:topology`). */
  readonly declaration: Record<string, unknown>;
  /** What was left out, each with its Compose path and why. */
  readonly unmapped: readonly Unmapped[];
  /** Conversions that keep Compose's meaning but differ from this tool's defaults (e.g. ports on 0.0.0.0). */
  readonly notes: readonly Unmapped[];
}

type Map = Record<string, unknown>;
const isMap = (v: unknown): v is Map => typeof v === "object" && v !== null && !Array.isArray(v);
const DRIVERS = ["bridge", "macvlan", "ipvlan", "overlay"];
const RESTART = ["no", "always", "unless-stopped", "on-failure"];

/** Compose network fields taken as they are, by their name here. */
const NETWORK_FIELDS: Readonly<Record<string, string>> = { name: "name", internal: "internal", attachable: "attachable", enable_ipv6: "ipv6" };
/** Compose service fields taken as they are, by their name here. */
const SERVICE_FIELDS: Readonly<Record<string, string>> = { container_name: "name", hostname: "hostname", dns_opt: "dnsOptions", cap_add: "capAdd", cap_drop: "capDrop", privileged: "privileged" };
/** Compose service fields that are a string or a list, always a list here. */
const SERVICE_LISTS: Readonly<Record<string, string>> = { dns: "dns", dns_search: "dnsSearch" };
/** Compose service fields left out on purpose, and why. */
const SERVICE_SKIPPED: Readonly<Record<string, string>> = {
  depends_on: "start order is not modeled: Pulumi creates what a container needs first (its networks, the container whose namespace it shares), and a healthcheck makes up wait for it",
  volumes: "storage is not part of a network topology: mount it with the Docker provider",
  tmpfs: "storage is not part of a network topology: mount it with the Docker provider",
  build: "the image is used as named: build it first (docker compose build)",
};

/** A label map from either of Compose's spellings; a label without a value is empty. */
function labels(value: unknown): Record<string, string> {
  return Object.fromEntries(pairs(value, "=").map(([k, v]) => [k, v ?? ""]));
}

/** Compose's two spellings of a string map: `{K: V}` or `["K=V"]`; values null/absent are returned as undefined. */
function pairs(value: unknown, separator: "=" | ":"): [string, string | undefined][] {
  if (isMap(value)) return Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]);
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const text = String(entry);
    const at = separator === "=" ? text.indexOf("=") : text.indexOf(":");
    return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
  });
}

/** Splits a command string as Compose does (shell words, quotes; no shell). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

class Converter {
  readonly unmapped: Unmapped[] = [];
  readonly notes: Unmapped[] = [];
  /** Set when a port named no address, so Compose's 0.0.0.0 was written out. */
  private everyAddress = false;

  skip(path: readonly PathSegment[], reason: string): void {
    this.unmapped.push({ path: joinPath(...path), reason });
  }

  note(path: readonly PathSegment[], reason: string): void {
    this.notes.push({ path: joinPath(...path), reason });
  }

  /** Reports `${VAR}` left in a value: Compose would interpolate it, this converter does not. */
  interpolated(path: readonly PathSegment[], value: unknown): void {
    const text = JSON.stringify(value) ?? "";
    if (/\$\{?[A-Za-z_]/.test(text.replace(/\$\$/g, ""))) {
      this.note(path, "holds a ${VARIABLE} that Compose interpolates from the environment and this import keeps as written: import the output of `docker compose config` to resolve it");
    }
  }

  network(key: string, net: unknown): Map | undefined {
    const at = (...rest: PathSegment[]) => ["networks", key, ...rest];
    if (net === null || net === undefined) return {};
    if (!isMap(net)) {
      this.skip(at(), "is not a map of network settings");
      return undefined;
    }
    const external = net["external"];
    if (external === true || isMap(external)) {
      const name = (isMap(external) ? external["name"] : undefined) ?? net["name"];
      for (const field of Object.keys(net)) if (!["external", "name", "driver"].includes(field)) this.skip(at(field), "belongs to the external network's owner: an external network is joined as it is");
      const driver = typeof net["driver"] === "string" && DRIVERS.includes(net["driver"]) ? { driver: net["driver"] } : {};
      return { external: true, ...(typeof name === "string" ? { name } : {}), ...driver };
    }
    const out: Map = {};
    for (const [field, value] of Object.entries(net)) {
      if (NETWORK_FIELDS[field] !== undefined) {
        out[NETWORK_FIELDS[field]] = value;
        continue;
      }
      switch (field) {
        case "driver":
          if (typeof value === "string" && DRIVERS.includes(value)) out["driver"] = value;
          else this.skip(at(field), `driver ${JSON.stringify(value)} is not one this tool models (${DRIVERS.join(", ")})`);
          break;
        case "labels":
          out["labels"] = labels(value);
          break;
        case "driver_opts":
          this.driverOptions(value, out);
          break;
        case "ipam":
          this.ipam(key, value, out);
          break;
        case "external":
          break;
        default:
          this.skip(at(field), field.startsWith("x-") ? "an extension field" : "not a network setting this tool models");
      }
    }
    return out;
  }

  driverOptions(value: unknown, out: Map): void {
    const options: Record<string, string> = {};
    for (const [option, v] of pairs(value, "=")) {
      if (option === "parent") out["parent"] = v;
      else if (option === "macvlan_mode" || option === "ipvlan_mode") out["mode"] = v;
      else if (option === "ipvlan_flag") out["flag"] = v;
      else if (option === "com.docker.network.driver.mtu") out["mtu"] = Number(v);
      else options[option] = v ?? "";
    }
    if (Object.keys(options).length > 0) out["options"] = options;
  }

  ipam(key: string, value: unknown, out: Map): void {
    const at = (...rest: PathSegment[]) => ["networks", key, "ipam", ...rest];
    if (!isMap(value)) return;
    if (value["driver"] !== undefined && value["driver"] !== "default") this.skip(at("driver"), "only Docker's default IPAM driver is modeled");
    if (value["options"] !== undefined) this.skip(at("options"), "IPAM driver options are not modeled");
    const configs = Array.isArray(value["config"]) ? value["config"] : [];
    configs.forEach((config: unknown, index) => {
      if (!isMap(config)) return;
      const v6 = typeof config["subnet"] === "string" && config["subnet"].includes(":");
      const field = (name: string) => (v6 ? `ipv6${name[0]!.toUpperCase()}${name.slice(1)}` : name);
      if (v6 && out["ipv6Subnet"] !== undefined) return this.skip(at("config", index), "a second IPv6 pool: one per family is modeled");
      if (!v6 && out["subnet"] !== undefined) return this.skip(at("config", index), "a second IPv4 pool: one per family is modeled");
      if (config["subnet"] !== undefined) out[field("subnet")] = config["subnet"];
      if (config["gateway"] !== undefined) out[field("gateway")] = config["gateway"];
      if (config["ip_range"] !== undefined) out[field("ipRange")] = config["ip_range"];
      if (config["aux_addresses"] !== undefined) {
        if (v6) this.skip(at("config", index, "aux_addresses"), "aux addresses are modeled for the IPv4 pool only");
        else out["auxAddresses"] = config["aux_addresses"];
      }
      if (v6) out["ipv6"] = true;
    });
  }

  port(path: readonly PathSegment[], entry: unknown): unknown {
    if (typeof entry === "number") {
      this.everyAddress = true;
      return { target: entry, hostIp: "0.0.0.0" };
    }
    if (isMap(entry)) {
      if (entry["mode"] === "ingress" && entry["published"] !== undefined) this.note(path, "mode ingress is a swarm routing-mesh port: imported as a host publish");
      const published = entry["published"] === undefined ? undefined : Number(entry["published"]);
      if (typeof entry["host_ip"] !== "string") this.everyAddress = true;
      if (typeof entry["published"] === "string" && entry["published"].includes("-")) return this.skip(path, "port ranges are not supported: declare each port as its own entry");
      return {
        target: Number(entry["target"]),
        ...(published !== undefined ? { published } : {}),
        hostIp: typeof entry["host_ip"] === "string" ? entry["host_ip"] : "0.0.0.0",
        ...(typeof entry["protocol"] === "string" ? { protocol: entry["protocol"] } : {}),
      };
    }
    const text = String(entry);
    if (/\d-\d/.test(text)) return this.skip(path, "port ranges are not supported: declare each port as its own entry");
    // Compose publishes on every address when the mapping names none; this tool defaults to 127.0.0.1.
    const hasAddress = text.startsWith("[") || text.split("/")[0]!.split(":").length === 3;
    if (hasAddress) return text;
    this.everyAddress = true;
    return text.includes(":") ? `0.0.0.0:${text}` : `0.0.0.0::${text}`;
  }

  healthcheck(path: readonly PathSegment[], value: unknown): Map | undefined {
    if (!isMap(value)) return undefined;
    if (value["disable"] === true) return { test: ["NONE"] };
    const out: Map = {};
    for (const [field, v] of Object.entries(value)) {
      if (field === "test") out["test"] = typeof v === "string" ? ["CMD-SHELL", v] : v;
      else if (field === "interval" || field === "timeout" || field === "retries") out[field] = v;
      else if (field === "start_period") out["startPeriod"] = v;
      else this.skip([...path, field], field === "start_interval" ? "start_interval is not modeled (the Docker provider has no such field)" : "not a healthcheck setting");
    }
    return out;
  }

  service(key: string, svc: unknown, networkKeys: Set<string>): Map | undefined {
    const at = (...rest: PathSegment[]) => ["services", key, ...rest];
    if (!isMap(svc)) {
      this.skip(at(), "is not a map of service settings");
      return undefined;
    }
    const out: Map = {};
    if (svc["image"] === undefined) {
      this.skip(at(), svc["build"] !== undefined ? "builds its image: build it first (docker compose build) and set image, which a container needs" : "has no image");
      return undefined;
    }
    for (const [field, value] of Object.entries(svc)) {
      this.interpolated(at(field), value);
      if (SERVICE_FIELDS[field] !== undefined) {
        out[SERVICE_FIELDS[field]] = value;
        continue;
      }
      if (SERVICE_LISTS[field] !== undefined) {
        out[SERVICE_LISTS[field]] = typeof value === "string" ? [value] : value;
        continue;
      }
      if (SERVICE_SKIPPED[field] !== undefined) {
        this.skip(at(field), SERVICE_SKIPPED[field]);
        continue;
      }
      switch (field) {
        case "image":
          out["image"] = String(value);
          break;
        case "command":
        case "entrypoint":
          out[field] = typeof value === "string" ? shellWords(value) : value;
          break;
        case "environment": {
          const env: Record<string, string> = {};
          for (const [name, v] of pairs(value, "=")) {
            if (v === undefined) this.skip(at("environment", name), "takes its value from the shell that runs docker compose: set the value here");
            else env[name] = v;
          }
          if (Object.keys(env).length > 0) out["env"] = env;
          break;
        }
        case "ports": {
          this.everyAddress = false;
          const ports = (Array.isArray(value) ? value : []).flatMap((p, i) => {
            const port = this.port(at("ports", i), p);
            return port === undefined ? [] : [port];
          });
          if (ports.length > 0) out["ports"] = ports;
          if (this.everyAddress) this.note(at("ports"), "published on 0.0.0.0 where no address was given, as Compose does; write 127.0.0.1 (this tool's default) unless other machines must reach them");
          break;
        }
        case "expose":
          out["expose"] = (Array.isArray(value) ? value : []).map((e) => (typeof e === "number" ? e : String(e)));
          break;
        case "networks": {
          const nets: Record<string, Map> = {};
          const entries: [string, unknown][] = Array.isArray(value) ? value.map((n) => [String(n), {}]) : isMap(value) ? Object.entries(value) : [];
          for (const [net, attachment] of entries) {
            networkKeys.add(net);
            const a: Map = {};
            for (const [f, v] of Object.entries(isMap(attachment) ? attachment : {})) {
              if (f === "aliases") a["aliases"] = v;
              else if (f === "ipv4_address") a["ipv4Address"] = v;
              else if (f === "ipv6_address") a["ipv6Address"] = v;
              else this.skip(at("networks", net, f), "not an attachment setting this tool models");
            }
            nets[net] = a;
          }
          out["networks"] = nets;
          break;
        }
        case "network_mode": {
          const mode = String(value);
          if (["host", "none", "bridge"].includes(mode)) out["networkMode"] = mode;
          else if (mode.startsWith("service:")) out["networkMode"] = `container:${mode.slice("service:".length)}`;
          else this.skip(at(field), `${JSON.stringify(mode)}: only host, none, bridge and service:<name> are modeled (a container outside the file is not)`);
          break;
        }
        case "extra_hosts":
          out["extraHosts"] = pairs(value, Array.isArray(value) && value.every((h) => String(h).includes("=")) ? "=" : ":").map(([host, ip]) => `${host}:${ip ?? ""}`);
          break;
        case "restart": {
          const policy = String(value).split(":")[0]!;
          if (RESTART.includes(policy)) out["restart"] = policy;
          else this.skip(at(field), `${JSON.stringify(value)} is not a restart policy`);
          if (String(value).includes(":")) this.skip(at(field), "the on-failure retry count is not modeled: restarts are unlimited");
          break;
        }
        case "healthcheck": {
          const hc = this.healthcheck(at(field), value);
          if (hc) out["healthcheck"] = hc;
          break;
        }
        case "labels":
          out["labels"] = labels(value);
          break;
        default:
          this.skip(at(field), field.startsWith("x-") ? "an extension field" : "not a setting this tool models");
      }
    }
    const joins = out["networks"] !== undefined || out["networkMode"] !== undefined;
    // Compose puts every service without networks (or a network mode) on the project's default network.
    if (!joins) {
      out["networks"] = { default: {} };
      networkKeys.add("default");
    }
    return out;
  }
}

/** Converts a parsed Compose file. */
export function convertCompose(doc: unknown): ComposeConversion {
  const c = new Converter();
  if (!isMap(doc)) {
    c.skip([], "the file is not a Compose map");
    return { declaration: {}, unmapped: c.unmapped, notes: c.notes };
  }
  const networks: Map = {};
  const services: Map = {};
  const used = new Set<string>();
  for (const [key, value] of Object.entries(isMap(doc["services"]) ? doc["services"] : {})) {
    const service = c.service(key, value, used);
    if (service) services[key] = service;
  }
  const declared = isMap(doc["networks"]) ? doc["networks"] : {};
  for (const [key, value] of Object.entries(declared)) {
    const network = c.network(key, value);
    if (network) networks[key] = network;
  }
  // Compose's implicit default network (a bridge it names <project>_default).
  if (used.has("default") && networks["default"] === undefined) networks["default"] = {};
  for (const [field] of Object.entries(doc)) {
    if (field === "services" || field === "networks") continue;
    if (field === "version") c.note([field], "obsolete in the Compose specification, and ignored by Compose too");
    else if (field === "name") c.note([field], "the project name: Docker names here are prefixed with the stack name instead");
    else c.skip([field], field.startsWith("x-") ? "an extension field" : field === "volumes" ? "named volumes are storage, not network topology" : `top-level ${field} is not modeled`);
  }
  return {
    declaration: { ...(Object.keys(networks).length > 0 ? { networks } : {}), services },
    unmapped: c.unmapped,
    notes: c.notes,
  };
}
