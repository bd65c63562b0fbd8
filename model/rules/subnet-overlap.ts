import { addressPlan } from "../docker/address-plan";
import { error, Issue, IssueCode } from "../errors";
import { Cidr, parseCidr } from "../ip";
import { joinPath } from "../paths";
import { Rule } from "./rule";

interface Block {
  readonly cidr: Cidr;
  /** The host of a local network; undefined for an overlay (swarm-wide) and on one implicit host. */
  readonly host?: string;
  /** Path reported when this block overlaps an earlier one; undefined for blocks that are not ours to change. */
  readonly path?: string;
  /** How messages name the block's owner. */
  readonly owner: string;
}

/**
 * Sort and sweep: O(n log n). Each block that overlaps one before it (by first
 * address, then path) is reported once, naming the widest-reaching earlier block.
 */
function sweep(blocks: Block[], issues: Issue[]) {
  blocks.sort((a, b) => (a.cidr.first < b.cidr.first ? -1 : a.cidr.first > b.cidr.first ? 1 : (a.path ?? "").localeCompare(b.path ?? "")));
  let reach: Block | undefined;
  for (const block of blocks) {
    if (reach && block.cidr.first <= reach.cidr.last) {
      const [reported, other] = block.path !== undefined ? [block, reach] : [reach, block];
      if (reported.path !== undefined) {
        issues.push(error(IssueCode.SubnetOverlap, reported.path, `${reported.cidr.text} overlaps ${other.cidr.text} of ${other.owner}. Docker refuses overlapping pools on one host: pick a block outside it`));
      }
    }
    if (!reach || block.cidr.last > reach.cidr.last) reach = block;
  }
}

/**
 * The blocks of each address space: one per host (its local networks, the swarm's overlays and its
 * docker0); with one implicit host, all of them. Local networks of two hosts never meet.
 */
function addressSpaces(blocks: readonly Block[], hosts: readonly string[]): Block[][] {
  if (hosts.length === 0) return [[...blocks]];
  return hosts.map((host) => blocks.filter((b) => b.host === undefined || b.host === host));
}

/** No two networks (nor a network and the engine's default bridge) share addresses on one host; overlays share none with any host. */
export const subnetOverlap: Rule = {
  id: "subnet-overlap",
  summary: "subnets of different networks, and of the default bridge, do not overlap on a host; an overlay overlaps no network of any host",
  check({ topology }) {
    const found: Issue[] = [];
    const plan = addressPlan(topology);
    const byFamily: Record<"ipv4" | "ipv6", Block[]> = { ipv4: [], ipv6: [] };
    for (const network of topology.networks) {
      for (const pool of network.pools) {
        const cidr = plan.get(network.key)?.[pool.family]?.subnet;
        if (!cidr || pool.origin === "docker") continue;
        const field = pool.family === "ipv4" ? "subnet" : "ipv6Subnet";
        byFamily[pool.family].push({ cidr, path: joinPath("networks", network.key, field), owner: `networks.${network.key}`, ...(network.host !== undefined ? { host: network.host } : {}) });
      }
    }
    const docker0 = parseCidr(topology.defaultBridge.subnet);
    if (docker0 && !docker0.hostBitsSet) byFamily[docker0.family].push({ cidr: docker0, owner: "the engine's default bridge (docker0)" });
    const hosts = (topology.hosts ?? []).map((h) => h.key);
    for (const family of [byFamily.ipv4, byFamily.ipv6]) for (const space of addressSpaces(family, hosts)) sweep(space, found);
    // An overlap of two overlays (or of an overlay and docker0) is found in every host's space: said once.
    const seen = new Set<string>();
    return found.filter((i) => !seen.has(`${i.path}|${i.message}`) && seen.add(`${i.path}|${i.message}`) !== undefined);
  },
};
