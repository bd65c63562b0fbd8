import { addressPlan, FamilyPlan } from "../docker/address-plan";
import { error, Issue, IssueCode } from "../errors";
import { Family, parseIp } from "../ip";
import { joinPath } from "../paths";
import { NetworkSpec } from "../types";
import { readIp } from "./address-checks";
import { Rule } from "./rule";

const FIELD: Record<Family, "ipv4Address" | "ipv6Address"> = { ipv4: "ipv4Address", ipv6: "ipv6Address" };
const SUBNET_FIELD: Record<Family, string> = { ipv4: "subnet", ipv6: "ipv6Subnet" };

/** Why an address is not available to a container, or undefined when it is. */
function reserved(ip: bigint, text: string, plan: FamilyPlan, network: NetworkSpec, family: Family): string | undefined {
  if (text === plan.gateway) return `${text} is the gateway of networks.${network.key}`;
  if (ip === plan.subnet.first) return `${text} is the network address of ${plan.subnet.text}`;
  if (family === "ipv4" && ip === plan.subnet.last) return `${text} is the broadcast address of ${plan.subnet.text}`;
  const aux = Object.keys(network.auxAddresses).length === 0 ? undefined : Object.entries(network.auxAddresses).find(([, value]) => parseIp(value)?.text === text);
  if (aux) return `${text} is reserved by networks.${network.key}.auxAddresses.${aux[0]}`;
  return undefined;
}

/** Static addresses parse, need a declared subnet, lie in it, avoid the gateway/network/broadcast/aux addresses, and are used once per network. */
export const staticAddresses: Rule = {
  id: "static-addresses",
  summary: "static ipv4Address/ipv6Address are valid, inside a declared subnet, not reserved, and unique per network",
  check({ topology, networks }) {
    const issues: Issue[] = [];
    const plan = addressPlan(topology);
    const owners = new Map<string, string>();
    for (const service of topology.services) {
      for (const attachment of service.attachments) {
        const network = networks.get(attachment.network);
        for (const family of ["ipv4", "ipv6"] as const) {
          const value = attachment[FIELD[family]];
          if (value === undefined) continue;
          // Built only for an issue (thousands of addresses, rarely a bad one).
          const path = () => joinPath("services", service.key, "networks", attachment.network, FIELD[family]);
          const ip = readIp(path, value, family, issues);
          if (!ip || !network) continue;
          if (network.external) {
            issues.push(error(IssueCode.StaticIpWithoutSubnet, path(), `networks.${network.key} is external: its subnet is its owner's and not known here, so no address can be checked or reserved on it. Remove ${FIELD[family]} (Docker picks one)`));
            continue;
          }
          if (family === "ipv6" && !network.ipv6) {
            issues.push(error(IssueCode.Ipv6Disabled, path(), `networks.${network.key} does not enable IPv6. Set ipv6: true and an ipv6Subnet there`));
            continue;
          }
          const pool = network.pools.find((p) => p.family === family);
          const familyPlan = plan.get(network.key)?.[family];
          if (!pool || pool.origin !== "declared") {
            issues.push(error(IssueCode.StaticIpWithoutSubnet, path(), `networks.${network.key} declares no ${SUBNET_FIELD[family]}; Docker assigns static addresses only on networks with a user-configured subnet. Declare ${SUBNET_FIELD[family]} on networks.${network.key}`));
            continue;
          }
          if (!familyPlan) continue;
          if (ip.value < familyPlan.subnet.first || ip.value > familyPlan.subnet.last) {
            issues.push(error(IssueCode.OutsideSubnet, path(), `${ip.text} is outside the subnet ${familyPlan.subnet.text} of networks.${network.key}`));
            continue;
          }
          const why = reserved(ip.value, ip.text, familyPlan, network, family);
          if (why) {
            issues.push(error(IssueCode.StaticIpReserved, path(), `${why}; pick another address`));
            continue;
          }
          const key = `${network.key}|${ip.text}`;
          const owner = owners.get(key);
          if (owner) issues.push(error(IssueCode.StaticIpDuplicate, path(), `${ip.text} is already assigned to services.${owner} on networks.${network.key}`));
          else owners.set(key, service.key);
        }
      }
    }
    return issues;
  },
};
