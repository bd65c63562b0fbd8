/**
 * Values that are unknown during `pulumi preview`.
 *
 * How the engine passes them (verified in @pulumi/policy 1.21 `server.js`, `deserialize.js`, `proxy.js`):
 * the CLI marshals resource properties with `KeepUnknowns`, so a value that is only known after apply
 * arrives as one of seven sentinel strings (one per kind: string, number, boolean, array, object,
 * asset, archive). The policy SDK wraps the deserialized properties in `unknownCheckingProxy`; reading
 * a property whose value is a sentinel throws `UnknownValueError`. When that error escapes a
 * validation callback, the SDK reports an *advisory* diagnostic
 * "can't run policy '<id>' from policy pack '<pack>@v<version>' during preview: <error message>"
 * whatever the policy's own enforcement level is.
 *
 * This module turns the proxied properties into plain data once, up front (`snapshot`), replacing each
 * unknown with an {@link Unknown} marker that remembers its path. Rules then decide field by field, and
 * {@link UndecidedError} carries the list of fields they could not decide back through the same SDK
 * path, so the note is advisory and never a false violation.
 */
import * as policySdk from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";

/** The parts of @pulumi/policy that its published typings leave out (they are marked internal). */
interface UnknownValueErrorInstance extends Error {
  readonly unknownTypeSentinel: string;
  readonly props: PropertyKey[];
}
interface UnknownValueErrorClass {
  new (unknownTypeSentinel: string, props: PropertyKey[]): UnknownValueErrorInstance;
}
const sdk = policySdk as unknown as {
  UnknownValueError: UnknownValueErrorClass;
  unknownCheckingProxy<T>(value: T): T;
};
const sentinels = proxyModule as unknown as Record<
  | "unknownBooleanValue"
  | "unknownNumberValue"
  | "unknownStringValue"
  | "unknownArrayValue"
  | "unknownAssetValue"
  | "unknownArchiveValue"
  | "unknownObjectValue",
  string
>;

/** The SDK's own error class: `instanceof` against it is how the policy server recognises an unknown. */
export const UnknownValueError: UnknownValueErrorClass = sdk.UnknownValueError;

/** The SDK's own proxy, exactly as the policy server applies it to resource properties. */
export const unknownCheckingProxy: <T>(value: T) => T = sdk.unknownCheckingProxy;

/** The sentinels the engine sends for unknown values, by kind (the SDK's own constants). */
export const UNKNOWN_SENTINELS = {
  boolean: sentinels.unknownBooleanValue,
  number: sentinels.unknownNumberValue,
  string: sentinels.unknownStringValue,
  array: sentinels.unknownArrayValue,
  asset: sentinels.unknownAssetValue,
  archive: sentinels.unknownArchiveValue,
  object: sentinels.unknownObjectValue,
} as const;

const sentinelSet: ReadonlySet<unknown> = new Set<unknown>(Object.values(UNKNOWN_SENTINELS));

/** True for one of the engine's unknown sentinels (a raw value, not read through the proxy). */
export function isUnknownSentinel(value: unknown): value is string {
  return sentinelSet.has(value);
}

/** A value that is unknown until apply, found at `path` (dotted, with `[i]` for array items). */
export class Unknown {
  constructor(
    readonly path: string,
    readonly sentinel: string,
  ) {}
}

/** Resource properties as plain data, with unknowns made explicit. */
export type Value = null | boolean | number | string | Unknown | readonly Value[] | ValueRecord;
export interface ValueRecord {
  readonly [key: string]: Value;
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

/**
 * Reads resource properties (proxied by the SDK or raw) into plain data. An unknown anywhere becomes
 * an {@link Unknown} at that spot; everything else is copied as is. Never throws `UnknownValueError`.
 */
export function snapshot(props: unknown): ValueRecord {
  const value = copy(props, "");
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !isUnknown(value)) {
    return value as ValueRecord;
  }
  return {};
}

function read(container: Record<PropertyKey, unknown>, key: string | number, path: string): unknown {
  try {
    const value = container[key];
    return isUnknownSentinel(value) ? new Unknown(path, value) : value;
  } catch (e) {
    if (e instanceof UnknownValueError) return new Unknown(path, e.unknownTypeSentinel);
    throw e;
  }
}

function copy(value: unknown, path: string): Value {
  if (value === undefined || value === null) return null;
  if (isUnknown(value)) return value;
  if (isUnknownSentinel(value)) return new Unknown(path, value);
  switch (typeof value) {
    case "boolean":
    case "number":
    case "string":
      return value;
    case "object":
      break;
    default:
      return null;
  }
  const source = value as Record<PropertyKey, unknown>;
  if (Array.isArray(value)) {
    const out: Value[] = [];
    for (let i = 0; i < value.length; i++) {
      const itemPath = joinPath(path, i);
      out.push(copy(read(source, i, itemPath), itemPath));
    }
    return out;
  }
  const out: Record<string, Value> = {};
  for (const key of Object.keys(value)) {
    const keyPath = joinPath(path, key);
    const item = read(source, key, keyPath);
    if (item !== undefined) out[key] = copy(item, keyPath);
  }
  return out;
}

/**
 * Thrown by a rule after it has reported every violation it could decide, when some fields it decides
 * on are unknown. It is an `UnknownValueError`, so the policy server turns it into one advisory
 * diagnostic naming those fields, instead of a violation at the rule's level.
 */
export class UndecidedError extends UnknownValueError {
  readonly fields: readonly string[];
  constructor(unknowns: readonly { readonly field: string; readonly sentinel: string }[]) {
    const first = unknowns[0];
    if (first === undefined) throw new Error("UndecidedError needs at least one unknown field");
    super(first.sentinel, first.field.split("."));
    this.fields = unknowns.map((u) => u.field);
    this.name = "UndecidedError";
    this.message = undecidedMessage(this.fields);
  }
}

/** `could not decide: ports[0].ip is unknown until apply` (fields joined with ", "). */
export function undecidedMessage(fields: readonly string[]): string {
  const verb = fields.length === 1 ? "is" : "are";
  return `could not decide: ${fields.join(", ")} ${verb} unknown until apply`;
}
