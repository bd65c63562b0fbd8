import { z } from "zod";
import { SwarmRole } from "./hosts/types";
import { parseExposeString, parseHostString, parsePortString, ShortSyntaxResult } from "./short-syntax";
import { didYouMean } from "./suggest";
import {
  IpvlanFlag,
  IpvlanMode,
  MacvlanMode,
  NetworkDriver,
  Protocol,
  RestartPolicy,
} from "./types";

/**
 * zod schemas for the declaration's shape. Values (addresses, ranges,
 * references) are checked later by the validation rules, so that every
 * problem gets a precise code; here only types, keys and closed sets.
 */

/** Marker carried in the message of an `unrecognized_keys` issue: the keys the object allows. */
export const KNOWN_KEYS_MARKER = "known-keys:";

/** A strict object whose unknown-key issues carry the allowed keys (and the network driver), for did-you-mean. */
export function strict<T extends z.ZodRawShape>(shape: T, driver?: string) {
  const known = JSON.stringify({ keys: Object.keys(shape), driver });
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${KNOWN_KEYS_MARKER}${known}` : undefined),
  });
}

/** True for a pulumi Output or a Promise: a value only known at deployment. */
export function isDeferred(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return (value as { __pulumiOutput?: unknown }).__pulumiOutput === true || typeof (value as { then?: unknown }).then === "function";
}

const NETWORK_MODE = /^(bridge|host|none|container:.+)$/;

/** A map written as an object literal or read from YAML/JSON (not a Map, a Date, an Output...). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || isDeferred(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
/**
 * JSON Schema of the schemas zod cannot describe itself (short syntax read by a transform, network
 * lists or maps, pulumi Outputs); model/json-schema.ts applies them when it generates the editor schema.
 */
export const JSON_SCHEMA_HINTS = new WeakMap<z.ZodType, () => Record<string, unknown>>();

/** What `z.toJSONSchema` gives for the input side of a schema, without the `$schema` header. */
export function inputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", override: applyJsonSchemaHints }) as Record<string, unknown>;
  return rest;
}

/** `override` for `z.toJSONSchema`: replaces a node by its hint. */
export function applyJsonSchemaHints(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const hint = JSON_SCHEMA_HINTS.get(ctx.zodSchema as z.ZodType);
  if (!hint) return;
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, hint());
}

/** A pulumi Output or Promise: a TypeScript-only value, never in a stack file. */
const deferred = z.custom<never>((v) => isDeferred(v));
JSON_SCHEMA_HINTS.set(deferred, () => ({ not: {}, description: "a pulumi Output (TypeScript only)" }));
const text = z.string().min(1);
const passthroughText = z.union([text, deferred]);
const stringMap = z.record(z.string(), z.string());
const stringList = z.array(text);
const port = z.number().int();

/** Reads a short-syntax string or a full object, reporting the short-syntax problem as an invalid value. */
export function shortOrObject<T>(
  read: (s: string) => ShortSyntaxResult<T>,
  object: z.ZodType<T>,
  expected: string,
  fromNumber?: (n: number) => T,
) {
  const schema = z.unknown().transform((value, ctx): T => {
    if (fromNumber && typeof value === "number" && Number.isInteger(value)) return fromNumber(value);
    if (typeof value === "string") {
      const result = read(value);
      if (result.ok) return result.value;
      ctx.issues.push({ code: "custom", message: `${JSON.stringify(value)} ${result.problem}`, input: value, params: { code: "invalid-value" } });
      return z.NEVER;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      ctx.issues.push({ code: "invalid_type", expected: expected as "object", input: value, message: "" });
      return z.NEVER;
    }
    const parsed = object.safeParse(value, { reportInput: true });
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.issues.push({ ...issue } as never);
    return z.NEVER;
  });
  JSON_SCHEMA_HINTS.set(schema, () => ({
    anyOf: [
      { type: "string", minLength: 1, description: `${expected}, short syntax` },
      ...(fromNumber ? [{ type: "integer" }] : []),
      inputJsonSchema(object),
    ],
  }));
  return schema;
}

/** A port mapping as an object (`{target, published, hostIp, protocol}`); see parsePortString for the short form. */
export const portObject = strict({
  target: port,
  published: port.optional(),
  hostIp: text.optional(),
  protocol: z.enum(Protocol).optional(),
});

const exposeObject = strict({ port, protocol: z.enum(Protocol).optional() });
/** An extra host as an object (`{host, ip}`); see {@link shortOrObject} for the `"host:ip"` form. */
export const hostMapping = strict({ host: text, ip: text });

// Aliases may be empty here: the aliases rule reports every alias that is not a DNS name, "" included, beside the good ones.
const aliasList = z.array(z.string());
const attachment = strict({
  aliases: aliasList.optional(),
  sharedAliases: aliasList.optional(),
  ipv4Address: text.optional(),
  ipv6Address: text.optional(),
});

/** `networks:` as a list of keys or a map of key -> attachment (null meaning none); services and registries. */
function networkKeys<A extends z.ZodType<object>>(attachmentSchema: A) {
  const schema = z.unknown().transform((value, ctx): Record<string, z.infer<A>> => {
  // Maps, not plain objects, collect the keys: a network named "toString" or "__proto__" is a network like any other.
  const out = new Map<string, z.infer<A>>();
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      if (typeof entry !== "string" || entry === "") {
        ctx.issues.push({ code: "invalid_type", expected: "network key" as "string", input: entry, path: [index], message: "" });
      } else if (out.has(entry)) {
        ctx.issues.push({ code: "custom", input: entry, path: [index], message: `network ${JSON.stringify(entry)} is listed twice`, params: { code: "duplicate-name" } });
      } else {
        out.set(entry, {} as z.infer<A>);
      }
    });
    return Object.fromEntries(out);
  }
  if (!isPlainObject(value)) {
    ctx.issues.push({ code: "invalid_type", expected: "network list" as "object", input: value, message: "" });
    return z.NEVER;
  }
  let broken = false;
  for (const [key, entry] of Object.entries(value)) {
    const parsed = attachmentSchema.nullable().safeParse(entry, { reportInput: true });
    if (parsed.success) out.set(key, (parsed.data ?? {}) as z.infer<A>);
    else {
      broken = true;
      for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, path: [key, ...issue.path] } as never);
    }
  }
  return broken ? z.NEVER : Object.fromEntries(out);
  });
  JSON_SCHEMA_HINTS.set(schema, () => ({
    anyOf: [
      { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, description: "network keys" },
      { type: "object", additionalProperties: { anyOf: [inputJsonSchema(attachmentSchema), { type: "null" }] }, description: "network key -> attachment" },
    ],
  }));
  return schema;
}
const serviceNetworks = networkKeys(attachment);

const healthcheck = strict({
  test: z.union([text, stringList]).transform((t) => (typeof t === "string" ? ["CMD-SHELL", t] : t)),
  interval: text.optional(),
  timeout: text.optional(),
  retries: z.number().int().optional(),
  startPeriod: text.optional(),
});

const connectEntry = z.union([text, strict({ to: text, optional: z.boolean().optional() })]);
const envIntents = z.union([z.boolean(), strict({ ignore: stringList })]);

/** One service. */
export const serviceSchema = strict({
  image: passthroughText,
  name: text.optional(),
  adopt: z.union([text, z.literal(true)]).optional(),
  host: text.optional(),
  command: stringList.optional(),
  entrypoint: stringList.optional(),
  env: z.record(z.string(), z.union([z.string(), deferred])).optional(),
  ports: z.array(shortOrObject(parsePortString, portObject, "port mapping")).optional(),
  expose: z.array(shortOrObject(parseExposeString, exposeObject, "port", (p) => ({ port: p }))).optional(),
  networks: serviceNetworks.optional(),
  networkMode: text
    .refine((mode) => NETWORK_MODE.test(mode), {
      error: (issue) =>
        `must be "bridge", "host", "none" or "container:<service>", got ${JSON.stringify(issue.input)}${(typeof issue.input === "string" && didYouMean(issue.input, ["bridge", "host", "none"])) || "."} To join declared networks, list them under networks`,
      params: { code: "invalid-value" },
    })
    .optional(),
  extraHosts: z.array(shortOrObject(parseHostString, hostMapping, "host mapping")).optional(),
  hostGateway: z.boolean().optional(),
  dns: stringList.optional(),
  dnsSearch: stringList.optional(),
  dnsOptions: stringList.optional(),
  hostname: text.optional(),
  restart: z.enum(RestartPolicy).optional(),
  healthcheck: healthcheck.optional(),
  labels: stringMap.optional(),
  privileged: z.boolean().optional(),
  capAdd: stringList.optional(),
  capDrop: stringList.optional(),
  connects: z.array(connectEntry).optional(),
  envIntents: envIntents.optional(),
  /** Bridges to cluster services (`kubernetes.bridges` keys), each optionally with the env var name for its URL. */
  consumes: z
    .array(
      shortOrObject<{ bridge: string; env?: string }>(
        (s) => (s === "" ? { ok: false, problem: "is not a bridge key" } : { ok: true, value: { bridge: s } }),
        strict({ bridge: text, env: text.optional() }),
        "bridge reference",
      ),
    )
    .optional(),
});

const commonNetwork = {
  name: text.optional(),
  external: z.boolean().optional(),
  adopt: z.union([text, z.literal(true)]).optional(),
  host: text.optional(),
  subnet: text.optional(),
  ipRange: text.optional(),
  gateway: text.optional(),
  auxAddresses: stringMap.optional(),
  ipv6: z.boolean().optional(),
  ipv6Subnet: text.optional(),
  ipv6IpRange: text.optional(),
  ipv6Gateway: text.optional(),
  mtu: z.number().int().optional(),
  internal: z.boolean().optional(),
  attachable: z.boolean().optional(),
  labels: stringMap.optional(),
  options: stringMap.optional(),
};

/** One schema per network driver: a field of another driver is an unknown key here. */
export const networkSchemas = {
  bridge: strict(
    {
      ...commonNetwork,
      driver: z.literal("bridge").optional(),
      icc: z.boolean().optional(),
      ipMasquerade: z.boolean().optional(),
      bridgeName: text.optional(),
      hostBindingIpv4: text.optional(),
    },
    "bridge",
  ),
  macvlan: strict(
    { ...commonNetwork, driver: z.literal("macvlan"), parent: text.optional(), mode: z.enum(MacvlanMode).optional() },
    "macvlan",
  ),
  ipvlan: strict(
    {
      ...commonNetwork,
      driver: z.literal("ipvlan"),
      parent: text.optional(),
      mode: z.enum(IpvlanMode).optional(),
      flag: z.enum(IpvlanFlag).optional(),
    },
    "ipvlan",
  ),
  overlay: strict({ ...commonNetwork, driver: z.literal("overlay"), encrypted: z.boolean().optional() }, "overlay"),
} as const satisfies Record<NetworkDriver, z.ZodType>;

/** The keys each driver's networks accept, for "applies to bridge networks only". */
export const NETWORK_KEYS_BY_DRIVER: Readonly<Record<NetworkDriver, readonly string[]>> = Object.fromEntries(
  Object.entries(networkSchemas).map(([driver, schema]) => [driver, Object.keys(schema.shape)]),
) as unknown as Record<NetworkDriver, readonly string[]>;

/** Only the driver, to pick the network schema. */
export const driverSchema = z.object({ driver: z.enum(NetworkDriver).optional() });

const hostService = strict({ host: text.optional(), address: text, port, protocol: z.enum(Protocol).optional() });
const dockerHost = strict({
  host: text.optional(),
  address: text.optional(),
  swarm: z.enum(SwarmRole).optional(),
  tls: strict({ ca: text, cert: text, key: text }).optional(),
  ipsec: z.boolean().optional(),
});
const addressPool = strict({ base: text, size: z.number().int().optional() });
const defaultBridge = strict({ subnet: text.optional(), gateway: text.optional() });

/** The top level; networks are parsed one by one with their driver's schema. */
export const topologySchema = strict({
  hosts: z.record(z.string(), dockerHost).optional(),
  networks: z.record(z.string(), z.unknown()).optional(),
  services: z.record(z.string(), z.unknown()).optional(),
  kubernetes: z.unknown().optional(),
  registries: z.record(z.string(), z.unknown()).optional(),
  hostServices: z.record(z.string(), hostService).optional(),
  addressPools: z.array(addressPool).optional(),
  defaultBridge: defaultBridge.optional(),
});

/** One local registry (`registries.<key>`). */
export const registrySchema = strict({
  host: text.optional(),
  image: passthroughText.optional(),
  name: text.optional(),
  port: port.optional(),
  hostIp: text.optional(),
  networks: networkKeys(strict({ aliases: stringList.optional() })).optional(),
  retainStorage: z.boolean().optional(),
  volumeName: text.optional(),
  auth: z.union([z.boolean(), strict({ username: text.optional() })]).optional(),
  env: z.record(z.string(), z.union([z.string(), deferred])).optional(),
  labels: stringMap.optional(),
});
