import * as ipaddr from "ipaddr.js";

/** Address family. */
export type Family = "ipv4" | "ipv6";

/** A parsed address, as a number for interval arithmetic. */
export interface ParsedIp {
  readonly family: Family;
  readonly value: bigint;
  /** Canonical text (`::1`, `10.0.0.1`). */
  readonly text: string;
}

/** A parsed CIDR block. */
export interface Cidr {
  readonly family: Family;
  readonly prefix: number;
  /** First address (the network address). */
  readonly first: bigint;
  /** Last address (the broadcast address for IPv4). */
  readonly last: bigint;
  /** True when the address part had bits set beyond the prefix (`10.0.0.5/24`). */
  readonly hostBitsSet: boolean;
  /** Canonical text of the network (`10.0.0.0/24`). */
  readonly text: string;
}

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

function toBigInt(bytes: number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function fromBigInt(value: bigint, family: Family): string {
  const length = BITS[family] / 8;
  const bytes: number[] = [];
  for (let i = length - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** Parses an IPv4 (dotted quad only) or IPv6 address (no zone); undefined when invalid. */
export function parseIp(text: string): ParsedIp | undefined {
  if (typeof text !== "string") return undefined;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const address = ipaddr.IPv4.parse(text);
    return { family: "ipv4", value: toBigInt(address.toByteArray()), text: address.toString() };
  }
  if (!text.includes("%") && ipaddr.IPv6.isValid(text)) {
    const address = ipaddr.IPv6.parse(text);
    if (address.isIPv4MappedAddress()) return undefined;
    return { family: "ipv6", value: toBigInt(address.toByteArray()), text: address.toString() };
  }
  return undefined;
}

/** Parses `address/prefix`; undefined when either part is invalid. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== "string") return undefined;
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = BITS[address.family];
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << hostBits) - 1n);
  const first = address.value & mask;
  const last = first | ((1n << hostBits) - 1n);
  return {
    family: address.family,
    prefix,
    first,
    last,
    hostBitsSet: first !== address.value,
    text: `${fromBigInt(first, address.family)}/${prefix}`,
  };
}

/** True when `ip` lies in `cidr` (same family). */
export function cidrContains(cidr: Cidr, ip: ParsedIp): boolean {
  return cidr.family === ip.family && ip.value >= cidr.first && ip.value <= cidr.last;
}

/** True when `inner` lies entirely within `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.last <= outer.last;
}

/** True when two blocks share an address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** The `index`-th address of a block as text (0 = network address). */
export function addressAt(cidr: Cidr, index: bigint): string {
  return fromBigInt(cidr.first + index, cidr.family);
}

/** Number of addresses in a block. */
export function blockSize(cidr: Cidr): bigint {
  return cidr.last - cidr.first + 1n;
}

/** The default gateway Docker picks for a subnet: its first usable address. */
export function defaultGateway(cidr: Cidr): string {
  return addressAt(cidr, 1n);
}

/** True for `0.0.0.0` and `::` (every interface). */
export function isWildcard(ip: string): boolean {
  const parsed = parseIp(ip);
  return parsed !== undefined && parsed.value === 0n;
}

/** True for an address in 127.0.0.0/8 or `::1`. */
export function isLoopback(ip: string): boolean {
  const parsed = parseIp(ip);
  if (!parsed) return false;
  return parsed.family === "ipv4" ? parsed.value >> 24n === 127n : parsed.value === 1n;
}

/** Canonical text of an address, or the input when it does not parse. */
export function canonicalIp(ip: string): string {
  return parseIp(ip)?.text ?? ip;
}

/** Renders a block from its first address and prefix. */
export function formatCidr(first: bigint, prefix: number, family: Family): string {
  return `${fromBigInt(first, family)}/${prefix}`;
}
