import { addressPlan } from "../docker/address-plan";
import { error, Issue, IssueCode } from "../errors";
import { Cidr, parseCidr } from "../ip";
import { joinPath } from "../paths";
import { Rule } from "./rule";

interface Block {
  readonly cidr: Cidr;
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

/** No two networks (nor a network and the engine's default bridge) share addresses. */
export const subnetOverlap: Rule = {
  id: "subnet-overlap",
  summary: "subnets of different networks, and of the default bridge, do not overlap",
  check({ topology }) {
    const issues: Issue[] = [];
    const plan = addressPlan(topology);
    const byFamily: Record<"ipv4" | "ipv6", Block[]> = { ipv4: [], ipv6: [] };
    for (const network of topology.networks) {
      for (const pool of network.pools) {
        const cidr = plan.get(network.key)?.[pool.family]?.subnet;
        if (!cidr || pool.origin === "docker") continue;
        const field = pool.family === "ipv4" ? "subnet" : "ipv6Subnet";
        byFamily[pool.family].push({ cidr, path: joinPath("networks", network.key, field), owner: `networks.${network.key}` });
      }
    }
    const docker0 = parseCidr(topology.defaultBridge.subnet);
    if (docker0 && !docker0.hostBitsSet) byFamily[docker0.family].push({ cidr: docker0, owner: "the engine's default bridge (docker0)" });
    sweep(byFamily.ipv4, issues);
    sweep(byFamily.ipv6, issues);
    return issues;
  },
};
