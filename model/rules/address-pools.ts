import { error, Issue, IssueCode } from "../errors";
import { joinPath } from "../paths";
import { readCidr } from "./address-checks";
import { Rule } from "./rule";

const MAX_SIZE = 30;

/** addressPools are valid IPv4 blocks with a usable size, and large enough for every network that needs a subnet from them. */
export const addressPools: Rule = {
  id: "address-pools",
  summary: "addressPools bases are IPv4 CIDRs, sizes fit them, and every bridge/overlay network without a subnet gets one",
  check({ topology }) {
    const issues: Issue[] = [];
    let usable = topology.addressPools.length > 0;
    topology.addressPools.forEach((pool, index) => {
      const base = readCidr(joinPath("addressPools", index, "base"), pool.base, "ipv4", issues);
      if (!base) {
        usable = false;
        return;
      }
      if (!Number.isInteger(pool.size) || pool.size < base.prefix || pool.size > MAX_SIZE) {
        usable = false;
        issues.push(error(IssueCode.InvalidValue, joinPath("addressPools", index, "size"), `${pool.size} is not a usable block size for ${base.text}: use ${base.prefix}-${MAX_SIZE}`));
      }
    });
    if (!usable) return issues;
    const pools = topology.addressPools.map((p) => `${p.base} (/${p.size})`).join(", ");
    for (const network of topology.networks) {
      const pool = network.pools.find((p) => p.family === "ipv4");
      const wanted = network.driver === "bridge" || network.driver === "overlay";
      if (wanted && pool?.origin === "docker") {
        issues.push(error(IssueCode.AddressPoolExhausted, joinPath("networks", network.key), `no free block is left in addressPools ${pools} for this network. Add a pool, use smaller blocks, or declare a subnet`));
      }
    }
    return issues;
  },
};
