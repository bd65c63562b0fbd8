import { z } from "zod";
import { error, Issue, IssueCode, TopologyError } from "./errors";
import { joinPath, PathSegment } from "./paths";
import { driverSchema, isDeferred, KNOWN_KEYS_MARKER, NETWORK_KEYS_BY_DRIVER, networkSchemas, serviceSchema, topologySchema } from "./schema";
import { didYouMean, listValues, quote } from "./suggest";
import { NetworkDeclaration, NetworkDriver, RawService, RawTopology } from "./types";

/** Keys declared in the input, including entries whose shape is broken (so references to them are not reported as unknown). */
export interface DeclaredKeys {
  readonly networks: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
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
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return `the string ${quote(value)}`;
  return `${typeof value} ${quote(value)}`;
}

function typeHint(expected: string, input: unknown): string {
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
  const suggestion = didYouMean(key, keys);
  return suggestion ? `unknown key${suggestion}` : `unknown key. Allowed keys: ${[...keys].sort().join(", ")}`;
}

/** Converts one zod issue (at `prefix`) to our issues. */
function fromZod(issue: z.core.$ZodIssue, prefix: readonly PathSegment[]): Issue[] {
  const segments = [...prefix, ...(issue.path as PathSegment[])];
  const path = joinPath(...segments);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => error(IssueCode.UnknownKey, joinPath(...segments, key), unknownKeyMessage(key, issue.message)));
    case "invalid_type": {
      if (input === undefined) return [error(IssueCode.MissingField, path, "is required")];
      if (isDeferred(input)) {
        return [
          error(
            IssueCode.DeferredValue,
            path,
            "is a pulumi Output or Promise, but this field decides what gets created and must be a plain value. Pass a literal, or resolve it before building the declaration (only image and env values may be Outputs)",
          ),
        ];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return [error(IssueCode.InvalidType, path, `must be ${expected}, got ${describe(input)}${typeHint(issue.expected, input)}`)];
    }
    case "invalid_value": {
      const allowed = issue.values.map(String);
      return [error(IssueCode.InvalidValue, path, `must be ${listValues(allowed)}, got ${quote(input)}${typeof input === "string" ? didYouMean(input, allowed) : ""}`)];
    }
    case "too_small":
      return [error(IssueCode.InvalidValue, path, "must not be empty")];
    case "invalid_union":
      return [error(IssueCode.InvalidType, path, `has the wrong type: got ${describe(input)}`)];
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
  for (const issue of result.error.issues) issues.push(...fromZod(issue, prefix));
  return undefined;
}

/**
 * Like {@link run}, but when the entry is broken, parses it again without the
 * offending fields so the rest still takes part in the semantic checks: one run
 * reports the bad port and the unknown network of the same service. `fill`
 * stands in for required fields that had to be dropped.
 */
function runLenient<T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PathSegment[], issues: Issue[], fill: Record<string, unknown> = {}): T | undefined {
  const before = issues.length;
  const parsed = run(schema, value, prefix, issues);
  if (parsed !== undefined || !isMap(value)) return parsed;
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const badKeys = new Set(result.error.issues.map((i) => i.path[0]).filter((k): k is string => typeof k === "string"));
  if (badKeys.size === 0 || issues.length === before) return undefined;
  const rest: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!badKeys.has(key)) rest[key] = field;
  for (const [key, field] of Object.entries(fill)) if (badKeys.has(key) || !(key in rest)) rest[key] = field;
  const retry = schema.safeParse(rest);
  return retry.success ? retry.data : undefined;
}

function parseNetwork(key: string, value: unknown, issues: Issue[]): NetworkDeclaration | undefined {
  const prefix = ["networks", key];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    issues.push(error(IssueCode.InvalidType, joinPath(...prefix), `must be a map of network settings, got ${describe(value)}`));
    return undefined;
  }
  const head = run(driverSchema, { driver: (value as { driver?: unknown }).driver }, prefix, issues);
  if (!head) return undefined;
  const driver = head.driver ?? "bridge";
  return runLenient(networkSchemas[driver] as z.ZodType<NetworkDeclaration>, value, prefix, issues);
}

/**
 * Checks the declaration's shape and expands short syntax, keeping every
 * well-formed entry and collecting every issue (never only the first).
 */
export function parseDeclaration(input: unknown): ParseResult {
  const issues: Issue[] = [];
  const top = run(topologySchema, input ?? {}, [], issues);
  // A bad top-level key must not hide the problems of the networks and services beside it.
  const source = (top ?? (isMap(input) ? input : {})) as { networks?: unknown; services?: unknown };
  const networkEntries = isMap(source.networks) ? Object.entries(source.networks) : [];
  const serviceEntries = isMap(source.services) ? Object.entries(source.services) : [];
  const networks: Record<string, NetworkDeclaration> = {};
  for (const [key, value] of networkEntries) {
    const parsed = parseNetwork(key, value, issues);
    if (parsed) networks[key] = parsed;
  }
  const services: Record<string, RawService> = {};
  for (const [key, value] of serviceEntries) {
    const parsed = runLenient(serviceSchema as unknown as z.ZodType<RawService>, value, ["services", key], issues, { image: "" });
    if (parsed) services[key] = parsed;
  }
  const raw: RawTopology = {
    ...(networkEntries.length > 0 ? { networks } : {}),
    ...(serviceEntries.length > 0 ? { services } : {}),
    ...(top?.hostServices ? { hostServices: top.hostServices } : {}),
    ...(top?.addressPools ? { addressPools: top.addressPools } : {}),
    ...(top?.defaultBridge ? { defaultBridge: top.defaultBridge } : {}),
  };
  return {
    raw,
    issues,
    declared: { networks: new Set(networkEntries.map(([k]) => k)), services: new Set(serviceEntries.map(([k]) => k)) },
  };
}

/** Parses a declaration (YAML-decoded config or a TypeScript object); throws one TopologyError listing every shape issue. */
export function parseTopology(input: unknown): RawTopology {
  const result = parseDeclaration(input);
  if (result.issues.length > 0) throw new TopologyError(result.issues, "invalid topology declaration");
  return result.raw;
}
