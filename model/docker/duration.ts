/**
 * Go durations, the grammar Docker reads healthcheck intervals with (`time.ParseDuration`), and the
 * spelling Docker and the docker provider read them back in (`time.Duration.String()`): `"90s"` is
 * read back as `"1m30s"`, so rendering the canonical form keeps a second `pulumi up` free of diffs.
 */

const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n, // µ MICRO SIGN
  "\u03bcs": 1_000n, // μ GREEK SMALL LETTER MU
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** The units `time.ParseDuration` accepts, for messages. */
export const GO_DURATION_UNITS = "ns, us, ms, s, m, h";

const MAX_NS = (1n << 63n) - 1n;
const PART = /([0-9]*)(?:\.([0-9]*))?([a-zµμ]+)/gy;

/**
 * Nanoseconds of a Go duration (`"1m30s"`, `"1.5h"`, `"300ms"`, `"0"`), or undefined when
 * `time.ParseDuration` would refuse it.
 */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let sign = 1n;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1n;
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") return undefined;
  let total = 0n;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let m = PART.exec(s); m !== null && m.index === consumed; m = PART.exec(s)) {
    const [whole, intPart = "", fracPart, unit = ""] = m;
    if (intPart === "" && (fracPart === undefined || fracPart === "")) return undefined;
    const scale = UNIT_NS[unit];
    if (scale === undefined) return undefined;
    let value = BigInt(intPart || "0") * scale;
    if (fracPart) value += (BigInt(fracPart) * scale) / 10n ** BigInt(fracPart.length);
    total += value;
    if (total > MAX_NS + (sign < 0n ? 1n : 0n)) return undefined;
    consumed += whole.length;
  }
  return consumed === s.length ? sign * total : undefined;
}

function fraction(value: bigint, unit: bigint, digits: number): string {
  const whole = value / unit;
  const rest = (value % unit).toString().padStart(digits, "0").replace(/0+$/, "");
  return rest === "" ? whole.toString() : `${whole}.${rest}`;
}

/** Go's `time.Duration.String()` of a number of nanoseconds. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const sign = ns < 0n ? "-" : "";
  const u = ns < 0n ? -ns : ns;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 1_000n, 3)}\u00b5s`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 1_000_000n, 6)}ms`;
  const hours = u / 3_600_000_000_000n;
  const minutes = (u / 60_000_000_000n) % 60n;
  const seconds = fraction(u % 60_000_000_000n, 1_000_000_000n, 9);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** The canonical spelling of a Go duration, or the text unchanged when it is not one (validation reports it). */
export function canonicalGoDuration(text: string): string {
  const ns = parseGoDuration(text);
  return ns === undefined ? text : formatGoDuration(ns);
}
