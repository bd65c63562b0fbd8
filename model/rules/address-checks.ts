import { error, Issue, IssueCode } from "../errors";
import { Cidr, cidrContains, Family, parseCidr, parseIp, ParsedIp } from "../ip";
import { quote } from "../suggest";

const EXAMPLE_CIDR: Record<Family, string> = { ipv4: "172.30.0.0/16", ipv6: "fd00:30::/64" };
const FAMILY_NAME: Record<Family, string> = { ipv4: "IPv4", ipv6: "IPv6" };

/** Parses a CIDR field of the given family, pushing invalid-cidr / wrong-family issues; undefined when unusable. */
export function readCidr(path: string, value: string, family: Family, issues: Issue[], otherField?: string): Cidr | undefined {
  const cidr = parseCidr(value);
  if (!cidr) {
    issues.push(error(IssueCode.InvalidCidr, path, `${quote(value)} is not a valid ${FAMILY_NAME[family]} CIDR block. Write it as address/prefix, e.g. ${quote(EXAMPLE_CIDR[family])}`));
    return undefined;
  }
  if (cidr.family !== family) {
    const where = otherField ? `. Put it under ${otherField}` : "";
    issues.push(error(IssueCode.WrongFamily, path, `${quote(value)} is an ${FAMILY_NAME[cidr.family]} block; this field takes ${FAMILY_NAME[family]}${where}`));
    return undefined;
  }
  if (cidr.hostBitsSet) {
    issues.push(error(IssueCode.InvalidCidr, path, `${quote(value)} has host bits set. Did you mean ${quote(cidr.text)}?`));
    return undefined;
  }
  return cidr;
}

/** Answers remembered by {@link parseIpOnce}; emptied when full, so it stays small. */
const parsedIps = new Map<string, ParsedIp | undefined>();
const PARSED_IPS_MAX = 4096;

/**
 * {@link parseIp}, remembering recent answers: a topology names the same few host IPs (127.0.0.1)
 * once per port, thousands of times, and parsing is the costly part of the rules that read them.
 * The answer is the same readonly value each time.
 */
export function parseIpOnce(text: string): ParsedIp | undefined {
  if (parsedIps.has(text)) return parsedIps.get(text);
  const ip = parseIp(text);
  if (typeof text === "string") {
    if (parsedIps.size >= PARSED_IPS_MAX) parsedIps.clear();
    parsedIps.set(text, ip);
  }
  return ip;
}

/** A field path, or a function that builds it only when an issue needs it (hot loops). */
export type LazyPath = string | (() => string);
const pathOf = (path: LazyPath) => (typeof path === "string" ? path : path());

/** Parses an address field, pushing invalid-ip / wrong-family issues; `family` undefined accepts both. */
export function readIp(lazyPath: LazyPath, value: string, family: Family | undefined, issues: Issue[]): ParsedIp | undefined {
  const ip = parseIpOnce(value);
  if (ip && (!family || ip.family === family)) return ip;
  const path = pathOf(lazyPath);
  const mapped = ip ? undefined : /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value)?.[1];
  if (mapped !== undefined && parseIp(mapped)) {
    // Docker stores ::ffff:a.b.c.d as the IPv4 address it wraps: say so rather than "not a valid address".
    const where = path.endsWith("ipv6Address") ? "under ipv4Address" : "instead";
    issues.push(error(family === "ipv6" ? IssueCode.WrongFamily : IssueCode.InvalidIp, path, `${quote(value)} is an IPv4-mapped IPv6 address; write ${quote(mapped)} ${where}`));
    return undefined;
  }
  if (!ip) {
    const example = family === "ipv6" ? "fd00:30::10" : "172.30.0.10";
    issues.push(error(IssueCode.InvalidIp, path, `${quote(value)} is not a valid ${family ? FAMILY_NAME[family] : "IP"} address, e.g. ${quote(example)}`));
    return undefined;
  }
  if (family && ip.family !== family) {
    issues.push(error(IssueCode.WrongFamily, path, `${quote(value)} is an ${FAMILY_NAME[ip.family]} address; this field takes ${FAMILY_NAME[family]}`));
    return undefined;
  }
  return ip;
}

/** Pushes outside-subnet when the address is not in the block. */
export function requireInside(path: string, ip: ParsedIp, subnet: Cidr, issues: Issue[]): boolean {
  if (cidrContains(subnet, ip)) return true;
  issues.push(error(IssueCode.OutsideSubnet, path, `${ip.text} is outside the subnet ${subnet.text}`));
  return false;
}
