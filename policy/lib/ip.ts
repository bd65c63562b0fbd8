/** Address and CIDR helpers over ipaddr.js. */
import * as ipaddr from "ipaddr.js";

export type Family = "ipv4" | "ipv6";

export interface Cidr {
  readonly text: string;
  readonly family: Family;
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  readonly bits: number;
}

/** Strips `[` `]` around an IPv6 literal and a `%zone` suffix. */
function bare(text: string): string {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, "$1");
  const zone = trimmed.indexOf("%");
  return zone >= 0 ? trimmed.slice(0, zone) : trimmed;
}

/** Parses an address; IPv4-mapped IPv6 addresses become IPv4. `undefined` when it is not an address. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const s = bare(text);
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (!ipaddr.IPv6.isValid(s)) return undefined;
  const v6 = ipaddr.IPv6.parse(s);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/** Parses `a.b.c.d/n` or `x::/n` (host bits may be set). `undefined` when it is not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const s = text.trim();
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(s)) {
    const [address, bits] = ipaddr.IPv4.parseCIDR(s);
    return { text: s, family: "ipv4", address, bits };
  }
  if (ipaddr.IPv6.isValidCIDR(s)) {
    const [address, bits] = ipaddr.IPv6.parseCIDR(s);
    return { text: s, family: "ipv6", address, bits };
  }
  return undefined;
}

/** True when the two ranges share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const bits = Math.min(a.bits, b.bits);
  if (a.address.kind() === "ipv4" && b.address.kind() === "ipv4") {
    return (a.address as ipaddr.IPv4).match(b.address as ipaddr.IPv4, bits);
  }
  return (a.address as ipaddr.IPv6).match(b.address as ipaddr.IPv6, bits);
}

/** The unspecified address of a family: `0.0.0.0` or `::`. */
export function isUnspecified(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.range() === "unspecified";
}

/** `127.0.0.0/8` or `::1`. */
export function isLoopback(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.range() === "loopback";
}

/** True for a host name that always means this machine: `localhost` or `*.localhost` (RFC 6761). */
export function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h.endsWith(".localhost");
}
