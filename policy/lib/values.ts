/** Typed readers over {@link Value}: each returns `undefined` for an absent value or one of another kind. */
import { isUnknown, Unknown, Value, ValueRecord } from "./unknown";

export type Known<T> = T | Unknown | undefined;

export function record(value: Value | undefined): ValueRecord | undefined {
  if (value === null || value === undefined || typeof value !== "object") return undefined;
  if (Array.isArray(value) || isUnknown(value)) return undefined;
  return value as ValueRecord;
}

export function list(value: Value | undefined): readonly Value[] | undefined {
  return Array.isArray(value) ? (value as readonly Value[]) : undefined;
}

/** A string field: the string, the {@link Unknown} marker, or `undefined` when absent or not a string. */
export function str(value: Value | undefined): Known<string> {
  if (isUnknown(value)) return value;
  return typeof value === "string" ? value : undefined;
}

export function num(value: Value | undefined): Known<number> {
  if (isUnknown(value)) return value;
  return typeof value === "number" ? value : undefined;
}

export function bool(value: Value | undefined): Known<boolean> {
  if (isUnknown(value)) return value;
  return typeof value === "boolean" ? value : undefined;
}

/** Follows `keys` through records; stops at the first unknown (returned) or missing step (`undefined`). */
export function at(value: Value | undefined, ...keys: string[]): Value | undefined {
  let current: Value | undefined = value;
  for (const key of keys) {
    if (isUnknown(current)) return current;
    const rec = record(current);
    if (rec === undefined) return undefined;
    current = rec[key];
  }
  return current;
}

/** `"value"` in quotes for messages (JSON quoting, so odd characters stay visible). */
export function quote(value: string | number): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}
