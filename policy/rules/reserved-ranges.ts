/**
 * reserved-ranges: network subnets stay clear of configured corporate and VPN ranges.
 *
 * A bridge network whose subnet overlaps a route the host needs (the office LAN, a VPN, a cloud VPC
 * peering) installs a more specific route on the host and silently blackholes that range for every
 * process on the machine.
 */
import { allowNames, displayName, DockerType } from "../lib/docker";
import { Cidr, cidrsOverlap, parseCidr } from "../lib/ip";
import { matchesAny } from "../lib/match";
import { poolsOf } from "../lib/network";
import { resourceRule } from "../lib/rule";
import { allowList } from "../lib/schema";

export interface ReservedRangesConfig {
  /** `"<cidr>"` or `"<cidr> <label words>"`. */
  readonly ranges: readonly string[];
  readonly allow: readonly string[];
}

export const DEFAULT_RESERVED_RANGES: readonly string[] = [
  "127.0.0.0/8 loopback",
  "169.254.0.0/16 link-local",
  "100.64.0.0/10 carrier-grade NAT (Tailscale and other VPNs)",
  "224.0.0.0/4 multicast",
  "::1/128 loopback",
  "fe80::/10 link-local",
  "ff00::/8 multicast",
];

interface Reserved {
  readonly cidr: Cidr;
  readonly label?: string;
}

function parseRanges(entries: readonly string[]): Reserved[] {
  return entries.map((entry) => {
    const text = entry.trim();
    const space = text.search(/\s/);
    const cidrText = space < 0 ? text : text.slice(0, space);
    const label = space < 0 ? undefined : text.slice(space).trim();
    const cidr = parseCidr(cidrText);
    if (!cidr) {
      throw new Error(`reserved-ranges: config ranges entry ${JSON.stringify(entry)} does not start with a CIDR such as "10.8.0.0/16"`);
    }
    return label ? { cidr, label } : { cidr };
  });
}

export const reservedRanges = resourceRule<ReservedRangesConfig>({
  name: "reserved-ranges",
  description: "Network subnets do not overlap the reserved ranges in config (corporate, VPN, loopback, link-local).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Pick a subnet outside the reserved ranges (e.g. from 172.16.0.0/12 or fd00::/8).",
  types: [DockerType.Network],
  config: {
    ranges: {
      type: "array",
      items: { type: "string", minLength: 1 },
      default: [...DEFAULT_RESERVED_RANGES],
      description:
        'Reserved ranges, each "<cidr>" or "<cidr> <label>" (e.g. "10.8.0.0/16 office VPN"). Setting it replaces the defaults; list them again to keep them.',
    },
    allow: allowList("Networks (globs over the Docker or Pulumi name) that may use reserved ranges."),
  },
  check: (resource, config, findings) => {
    const reserved = parseRanges(config.ranges);
    if (matchesAny(config.allow, allowNames(resource))) return;
    for (const pool of poolsOf(resource, findings)) {
      for (const r of reserved) {
        if (!cidrsOverlap(pool.cidr, r.cidr)) continue;
        findings.violation(
          `network ${displayName(resource)} ${pool.path}: ${pool.cidr.text} overlaps reserved range ${r.cidr.text}` +
            `${r.label ? ` (${r.label})` : ""}. Choose a range outside it, or allow-list ${JSON.stringify(resource.name)}`,
        );
      }
    }
  },
});
