import { z } from "zod";
import { error, Issue, IssueCode, TopologyError } from "./errors";
import { joinPath, PathSegment } from "./paths";
import { driverSchema, isDeferred, KNOWN_KEYS_MARKER, NETWORK_KEYS_BY_DRIVER, networkSchemas, registrySchema, serviceSchema, topologySchema } from "./schema";
import { RawRegistry } from "./registry/types";
import { closest, didYouMean, listValues, quote } from "./suggest";
import { parseKubernetes } from "./kubernetes/schema";
import { NetworkDeclaration, NetworkDriver, RawService, RawTopology } from "./types";

/** Keys declared in the input, including entries whose shape is broken (so references to them are not reported as unknown). */
export interface DeclaredKeys {
  readonly networks: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  /** `kubernetes.services` keys. @default - the normalized ones */
  readonly clusterServices?: ReadonlySet<string>;
  /** `kubernetes.bridges` keys. @default - the normalized ones */
  readonly bridges?: ReadonlySet<string>;
}

/** What parsing yields: the well-formed entries, every shape issue, and every declared key. */
export interface ParseResult {
  readonly raw: RawTopology;
  readonly issues: readonly Issue[];
  readonly declared: DeclaredKeys;
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a map",
  record: "a map",
  "port mapping": `a port mapping: {target, published, hostIp, protocol} or a string such as "127.0.0.1:8080:80/tcp"`,
  "host mapping": `a host mapping: {host, ip} or a string such as "db.local:10.0.0.5"`,
  port: `a port: a number or a string such as "9000/udp"`,
  "network key": "a network key (a string)",
  "network list": "a list of network keys or a map of network key -> {aliases, ipv4Address...}",
  "bridge reference": `a bridge key, or {bridge, env} to name the environment variable`,
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (typeof value === "bigint") return `bigint ${String(value)}`;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "object") {
    // Class instances are named, so that "must be a map, got a Map" is no riddle.
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name}` : "a map";
  }
  if (typeof value === "string") return `the string ${quote(value)}`;
  return `${typeof value} ${quote(value)}`;
}

/** Maps whose values are free-form strings: a bare number or boolean there only needs quotes. */
const STRING_MAPS: ReadonlySet<PathSegment> = new Set(["env", "labels", "options"]);

function typeHint(expected: string, input: unknown, segments: readonly PathSegment[] = []): string {
  if (input instanceof Map) return ". Use a plain object, e.g. Object.fromEntries(map)";
  if (input instanceof Set) return ". Use an array, e.g. [...set]";
  if (expected === "string" && (typeof input === "number" || typeof input === "boolean") && STRING_MAPS.has(segments[segments.length - 2]!)) {
    return `. Quote it: "${String(input)}"`;
  }
  if (typeof input !== "string") return "";
  if ((expected === "number" || expected === "int") && /^-?\d+(\.\d+)?$/.test(input)) return `. Write ${input} without quotes`;
  if (expected === "boolean" && /^(true|false)$/i.test(input)) return `. Write ${input.toLowerCase()} without quotes`;
  return "";
}

function unknownKeyMessage(key: string, marker: string): string {
  const { keys, driver } = JSON.parse(marker.slice(KNOWN_KEYS_MARKER.length)) as { keys: string[]; driver?: NetworkDriver };
  if (driver) {
    const owners = (Object.keys(NETWORK_KEYS_BY_DRIVER) as NetworkDriver[]).filter((d) => NETWORK_KEYS_BY_DRIVER[d].includes(key));
    if (owners.length > 0) return `applies to ${owners.join("/")} networks only; this network's driver is ${quote(driver)}`;
  }
  // docker compose spellings (environment, network_mode...) point to the key they mean here.
  const aliases = Object.keys(COMPOSE_NAMES).filter((alias) => keys.includes(COMPOSE_NAMES[alias]!));
  const match = closest(key, [...keys, ...aliases]);
  const suggestion = match === undefined ? "" : didYouMean(COMPOSE_NAMES[match] ?? match, [COMPOSE_NAMES[match] ?? match]);
  return suggestion ? `unknown key${suggestion}` : `unknown key. Allowed keys: ${[...keys].sort().join(", ")}`;
}

/** docker compose's names for keys spelled differently here. */
const COMPOSE_NAMES: Readonly<Record<string, string>> = {
  environment: "env",
  container_name: "name",
  network_mode: "networkMode",
  extra_hosts: "extraHosts",
  cap_add: "capAdd",
  cap_drop: "capDrop",
  dns_search: "dnsSearch",
  dns_opt: "dnsOptions",
  ipv4_address: "ipv4Address",
  ipv6_address: "ipv6Address",
  host_ip: "hostIp",
  start_period: "startPeriod",
};

const DEFERRED_MESSAGE =
  "is a pulumi Output or Promise, but this field decides what gets created and must be a plain value. Pass a literal, or resolve it before building the declaration (only image and env values may be Outputs)";

function deferredIssue(path: string): Issue {
  return error(IssueCode.DeferredValue, path, DEFERRED_MESSAGE);
}

/** Converts one zod issue (at `prefix`) to our issues. */
function fromZod(issue: z.core.$ZodIssue, prefix: readonly PathSegment[]): Issue[] {
  const segments = [...prefix, ...(issue.path as PathSegment[])];
  const path = joinPath(...segments);
  const input = (issue as { input?: unknown }).input;
  // An Output or Promise fails every check of a plain field; say what it is, once.
  if (isDeferred(input)) return [deferredIssue(path)];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => error(IssueCode.UnknownKey, joinPath(...segments, key), unknownKeyMessage(key, issue.message)));
    case "invalid_type": {
      if (input === undefined) return [error(IssueCode.MissingField, path, "is required")];
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return [error(IssueCode.InvalidType, path, `must be ${expected}, got ${describe(input)}${typeHint(issue.expected, input, segments)}`)];
    }
    case "invalid_value": {
      const allowed = issue.values.map(String);
      return [error(IssueCode.InvalidValue, path, `must be ${listValues(allowed)}, got ${quote(input)}${typeof input === "string" ? didYouMean(input, allowed) : ""}`)];
    }
    case "too_small":
      return [error(IssueCode.InvalidValue, path, "must not be empty")];
    case "invalid_union": {
      if (input === undefined) return [error(IssueCode.MissingField, path, "is required")];
      // The types the branches expected at this very path (a string, a list...), in order.
      const types = [...new Set(issue.errors.flatMap((branch) => branch.filter((i) => i.code === "invalid_type" && i.path.length === 0).map((i) => (i as { expected: string }).expected)))];
      if (types.length === 0) return [error(IssueCode.InvalidType, path, `has the wrong type: got ${describe(input)}`)];
      const hint = types.length === 1 ? typeHint(types[0]!, input, segments) : "";
      return [error(IssueCode.InvalidType, path, `must be ${types.map((t) => EXPECTED[t] ?? t).join(" or ")}, got ${describe(input)}${hint}`)];
    }
    case "custom": {
      const code = (issue.params?.code as Issue["code"] | undefined) ?? IssueCode.InvalidValue;
      return [error(code, path, issue.message)];
    }
    default:
      return [error(IssueCode.InvalidValue, path, issue.message)];
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isDeferred(value);
}

function run<T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PathSegment[], issues: Issue[]): T | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  issues.push(...withoutEchoes(result.error.issues.flatMap((issue) => fromZod(issue, prefix))));
  return undefined;
}

/** Drops repeats, and what a deferred value drags along: "must not be empty" for the same field, the fields of an Output read as a map (themselves Outputs). */
function withoutEchoes(found: readonly Issue[]): Issue[] {
  const deferred = found.filter((i) => i.code === IssueCode.DeferredValue).map((i) => i.path);
  const below = (path: string, outer: string) => path !== outer && (outer === "" || path.startsWith(`${outer}.`) || path.startsWith(`${outer}[`));
  const seen = new Set<string>();
  return found.filter((i) => {
    if (deferred.some((d) => below(i.path, d) || (d === i.path && i.code !== IssueCode.DeferredValue))) return false;
    const key = `${i.code}|${i.path}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * List and map fields whose broken entries are set aside one at a time, so the
 * good entries are still checked: a stand-in parses in place of each broken
 * entry, then is removed again (`hole`: the index stays empty, so the entries
 * after it keep their paths; normalize skips holes) or kept (`keep`: a broken
 * attachment still joins its network, without its settings). In the list form
 * of `networks`, broken entries are left out (the result is a map).
 */
const ENTRYWISE: Readonly<Record<string, { readonly standIn: unknown; readonly then: "hole" | "keep" }>> = {
  ports: { standIn: { target: 1 }, then: "hole" },
  expose: { standIn: { port: 1 }, then: "hole" },
  networks: { standIn: {}, then: "keep" },
};

/** Options of {@link runLenient}. */
interface LenientOptions {
  /** Stands in for required fields that had to be dropped (the entry has issues, so it is never rendered). */
  readonly fill?: Readonly<Record<string, unknown>>;
  /** Fields that may be dropped while keeping the entry; a broken field outside it drops the whole entry. @default - every field */
  readonly droppable?: ReadonlySet<string>;
}

/**
 * Like {@link run}, but when the entry is broken, parses it again without the
 * offending fields (unknown keys included) and entries so the rest still takes
 * part in the semantic checks: one run reports the bad port and the unknown
 * network of the same service.
 */
function runLenient<T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PathSegment[], issues: Issue[], options: LenientOptions = {}): T | undefined {
  const before = issues.length;
  const parsed = run(schema, value, prefix, issues);
  if (parsed !== undefined || !isMap(value) || issues.length === before) return parsed;
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  // Per field: the broken entries, or "all" when the field itself is wrong.
  const broken = new Map<string, Set<PathSegment> | "all">();
  const unknown = new Set<string>();
  for (const issue of result.error.issues) {
    const [field, entry] = issue.path as PathSegment[];
    if (field === undefined) {
      if (issue.code !== "unrecognized_keys") return undefined;
      for (const key of issue.keys) unknown.add(key);
      continue;
    }
    const key = String(field);
    const seen = broken.get(key);
    if (seen === "all") continue;
    broken.set(key, entry === undefined || !(key in ENTRYWISE) ? "all" : (seen ?? new Set<PathSegment>()).add(entry));
  }
  if (options.droppable && [...broken.keys()].some((key) => !options.droppable!.has(key))) return undefined;
  const rest: Record<string, unknown> = {};
  const holes = new Map<string, number[]>();
  for (const [key, field] of Object.entries(value)) {
    const bad = broken.get(key);
    if (unknown.has(key) || bad === "all") continue;
    if (bad === undefined) {
      rest[key] = field;
      continue;
    }
    const { standIn, then } = ENTRYWISE[key]!;
    if (Array.isArray(field)) {
      const entries = Array.from(field, (entry: unknown, index) => (bad.has(index) ? standIn : entry));
      if (then === "hole") holes.set(key, [...bad].filter((i): i is number => typeof i === "number"));
      rest[key] = then === "hole" ? entries : entries.filter((_, index) => !bad.has(index));
    } else if (isMap(field)) {
      rest[key] = Object.fromEntries(Object.entries(field).map(([k, entry]) => [k, bad.has(k) ? standIn : entry]));
    }
  }
  for (const [key, field] of Object.entries(options.fill ?? {})) if (!(key in rest)) rest[key] = field;
  const retry = schema.safeParse(rest);
  if (!retry.success) return undefined;
  const out = retry.data as Record<string, unknown>;
  for (const [key, indexes] of holes) for (const index of indexes) delete (out[key] as unknown[])[index];
  return out as T;
}

/** Network fields whose loss changes nothing else: a network broken elsewhere (subnet, gateway, parent...) is left out whole, so no rule reports what follows from the loss (a static IP "without a subnet"). */
const NETWORK_DROPPABLE: ReadonlySet<string> = new Set(["name", "labels", "internal", "mtu", "icc", "ipMasquerade", "bridgeName", "hostBindingIpv4", "mode", "flag", "encrypted"]);

/** `docker network ls` lists these as drivers, but they are network modes of containers. */
const MODE_DRIVERS: Readonly<Record<string, string>> = { host: "host", none: "none", null: "none" };

function parseNetwork(key: string, value: unknown, issues: Issue[]): NetworkDeclaration | undefined {
  const prefix = ["networks", key];
  if (isDeferred(value)) {
    issues.push(deferredIssue(joinPath(...prefix)));
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    issues.push(error(IssueCode.InvalidType, joinPath(...prefix), `must be a map of network settings, got ${describe(value)}`));
    return undefined;
  }
  const declared = (value as { driver?: unknown }).driver;
  if (typeof declared === "string" && Object.hasOwn(MODE_DRIVERS, declared)) {
    const mode = MODE_DRIVERS[declared]!;
    issues.push(error(IssueCode.InvalidValue, joinPath(...prefix, "driver"), `must be ${listValues(Object.values(NetworkDriver))}, got ${quote(declared)}: that is a network mode, not a network. Remove this network and set networkMode: ${mode} on the services`));
    return undefined;
  }
  const head = run(driverSchema, { driver: declared }, prefix, issues);
  if (!head) return undefined;
  const driver = head.driver ?? "bridge";
  const parsed = runLenient(networkSchemas[driver] as z.ZodType<NetworkDeclaration>, value, prefix, issues, { droppable: NETWORK_DROPPABLE });
  if (parsed?.external !== true) return parsed;
  // Someone else's network: its settings are its owner's. Each one written here is reported and dropped.
  const settings = Object.keys(parsed).filter((field) => !EXTERNAL_NETWORK_FIELDS.includes(field));
  for (const field of settings) {
    issues.push(error(IssueCode.InvalidValue, joinPath(...prefix, field), `networks.${key} is external (it exists already and is not ours): its ${field} is its owner's, and nothing here can change it. Remove ${field}`));
  }
  return Object.fromEntries(Object.entries(parsed).filter(([field]) => EXTERNAL_NETWORK_FIELDS.includes(field))) as NetworkDeclaration;
}

/** What an external network declares: how to find it and what kind of network it is. */
const EXTERNAL_NETWORK_FIELDS = ["external", "name", "driver"];

type TopSection<K extends keyof typeof topologySchema.shape> = NonNullable<z.output<(typeof topologySchema.shape)[K]>>;

/**
 * The small sections, each kept apart from the others (their issues are already
 * reported by the top-level parse): every well-formed host service; the pools
 * only when all of them are (allocation depends on the whole list); the
 * default bridge without its broken fields.
 */
function otherSections(source: { hosts?: unknown; hostServices?: unknown; addressPools?: unknown; defaultBridge?: unknown }) {
  const shape = topologySchema.shape;
  const dockerHost = shape.hosts.unwrap().valueType;
  const hosts = isMap(source.hosts)
    ? (Object.fromEntries(Object.entries(source.hosts).flatMap(([key, value]) => {
        const parsed = dockerHost.safeParse(value ?? {});
        return parsed.success ? [[key, parsed.data]] : [];
      })) as TopSection<"hosts">)
    : undefined;
  const hostService = shape.hostServices.unwrap().valueType;
  const hostServices = isMap(source.hostServices)
    ? (Object.fromEntries(Object.entries(source.hostServices).flatMap(([key, value]) => {
        const parsed = hostService.safeParse(value);
        return parsed.success ? [[key, parsed.data]] : [];
      })) as TopSection<"hostServices">)
    : undefined;
  const pools = shape.addressPools.safeParse(source.addressPools);
  const addressPools = pools.success ? pools.data : undefined;
  const defaultBridge = source.defaultBridge === undefined ? undefined : runLenient(shape.defaultBridge.unwrap(), source.defaultBridge, [], []);
  return { hosts, hostServices, addressPools, defaultBridge };
}

/**
 * Checks the declaration's shape and expands short syntax, keeping every
 * well-formed entry and collecting every issue (never only the first).
 */
export function parseDeclaration(input: unknown): ParseResult {
  const issues: Issue[] = [];
  if (isDeferred(input)) return { raw: {}, issues: [deferredIssue("")], declared: { networks: new Set(), services: new Set() } };
  run(topologySchema, input ?? {}, [], issues);
  // A bad top-level key must not hide the problems of the sections beside it: each section is read
  // from the input itself (own keys, so an entry named "__proto__" is an entry, not a prototype).
  const source = (isMap(input) ? input : {}) as { hosts?: unknown; networks?: unknown; services?: unknown; kubernetes?: unknown; registries?: unknown; hostServices?: unknown; addressPools?: unknown; defaultBridge?: unknown };
  const networkEntries = isMap(source.networks) ? Object.entries(source.networks) : [];
  const serviceEntries = isMap(source.services) ? Object.entries(source.services) : [];
  const networks: Record<string, NetworkDeclaration> = Object.fromEntries(
    networkEntries.flatMap(([key, value]) => {
      const parsed = parseNetwork(key, value, issues);
      return parsed ? [[key, parsed]] : [];
    }),
  );
  const services: Record<string, RawService> = Object.fromEntries(
    serviceEntries.flatMap(([key, value]) => {
      if (isDeferred(value)) {
        issues.push(deferredIssue(joinPath("services", key)));
        return [];
      }
      const parsed = runLenient(serviceSchema as unknown as z.ZodType<RawService>, value, ["services", key], issues, { fill: { image: "(invalid)" } });
      return parsed ? [[key, parsed]] : [];
    }),
  );
  const { hosts, hostServices, addressPools, defaultBridge } = otherSections(source);
  const kubernetes = parseKubernetes(source.kubernetes, (schema, value, prefix) => run(schema, value, prefix, issues));
  const registryEntries = isMap(source.registries) ? Object.entries(source.registries) : [];
  const registries: Record<string, RawRegistry> = {};
  for (const [key, value] of registryEntries) {
    const parsed = runLenient(registrySchema as unknown as z.ZodType<RawRegistry>, value ?? {}, ["registries", key], issues);
    if (parsed) registries[key] = parsed;
  }
  const raw: RawTopology = {
    ...(hosts ? { hosts } : {}),
    ...(networkEntries.length > 0 ? { networks } : {}),
    ...(serviceEntries.length > 0 ? { services } : {}),
    ...(hostServices ? { hostServices } : {}),
    ...(addressPools ? { addressPools } : {}),
    ...(defaultBridge ? { defaultBridge } : {}),
    ...(kubernetes.raw ? { kubernetes: kubernetes.raw } : {}),
    ...(registryEntries.length > 0 ? { registries } : {}),
  };
  return {
    raw,
    issues,
    declared: {
      networks: new Set(networkEntries.map(([k]) => k)),
      services: new Set(serviceEntries.map(([k]) => k)),
      clusterServices: kubernetes.services,
      bridges: kubernetes.bridges,
    },
  };
}

/** Parses a declaration (YAML-decoded config or a TypeScript object); throws one TopologyError listing every shape issue. */
export function parseTopology(input: unknown): RawTopology {
  const result = parseDeclaration(input);
  if (result.issues.length > 0) throw new TopologyError(result.issues, "invalid topology declaration");
  return result.raw;
}
