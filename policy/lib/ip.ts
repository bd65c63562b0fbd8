/**
 * Addresses and CIDR blocks as the policy pack reads them from provider inputs: the model's own
 * parsing and arithmetic (model/ip.ts, the same code that validates declarations), plus the spellings
 * Docker and the provider accept that a declaration never holds (`[::1]`, a `%zone` suffix,
 * IPv4-mapped IPv6 such as `::ffff:127.0.0.1`).
 */
import * as ipaddr from "ipaddr.js";
import { Cidr as ModelCidr, cidrsOverlap as blocksOverlap, isLoopback as isLoopbackText, parseCidr as parseBlock, parseIp, ParsedIp } from "../../model/ip";

export type { Family, ParsedIp } from "../../model/ip";

/** A CIDR block; `text` is what was written (host bits and all), for messages. */
export type Cidr = ModelCidr;

/** Strips `[` `]` around an IPv6 literal and a `%zone` suffix. */
function bare(text: string): string {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, "$1");
  const zone = trimmed.indexOf("%");
  return zone >= 0 ? trimmed.slice(0, zone) : trimmed;
}

/** Parses an address; IPv4-mapped IPv6 addresses become IPv4. `undefined` when it is not an address. */
export function parseAddress(text: string): ParsedIp | undefined {
  const s = bare(text);
  const direct = parseIp(s);
  if (direct) return direct;
  if (!ipaddr.IPv6.isValid(s)) return undefined;
  const v6 = ipaddr.IPv6.parse(s);
  return v6.isIPv4MappedAddress() ? parseIp(v6.toIPv4Address().toString()) : undefined;
}

/** Parses `a.b.c.d/n` or `x::/n` (host bits may be set). `undefined` when it is not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const s = text.trim();
  const block = parseBlock(s);
  return block ? { ...block, text: s } : undefined;
}

/** True when the two ranges share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return blocksOverlap(a, b);
}

/** The unspecified address of a family: `0.0.0.0` or `::`. */
export function isUnspecified(address: ParsedIp): boolean {
  return address.value === 0n;
}

/** `127.0.0.0/8` or `::1`. */
export function isLoopback(address: ParsedIp): boolean {
  return isLoopbackText(address.text);
}

/** True for a host name that always means this machine: `localhost` or `*.localhost` (RFC 6761). */
export function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h.endsWith(".localhost");
}
