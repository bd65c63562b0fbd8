import { Cidr, cidrContains, defaultGateway, Family, parseCidr, parseIp } from "../ip";
import { NetworkSpec, TopologySpec } from "../types";

/** The usable addressing of one network family: only values that parse and fit. */
export interface FamilyPlan {
  readonly subnet: Cidr;
  /** Declared gateway when valid, else Docker's default (first address). */
  readonly gateway: string;
  readonly ipRange?: Cidr;
}

/** Usable addressing of a network, per family; absent when Docker allocates or the declaration is invalid. */
export interface NetworkPlan {
  readonly ipv4?: FamilyPlan;
  readonly ipv6?: FamilyPlan;
}

function familyPlan(network: NetworkSpec, family: Family): FamilyPlan | undefined {
  const pool = network.pools.find((p) => p.family === family);
  const subnet = pool?.subnet === undefined ? undefined : parseCidr(pool.subnet);
  if (!pool || !subnet || subnet.family !== family || subnet.hostBitsSet) return undefined;
  const declaredGateway = pool.gateway === undefined ? undefined : parseIp(pool.gateway);
  const gateway = declaredGateway && cidrContains(subnet, declaredGateway) ? declaredGateway.text : defaultGateway(subnet);
  const range = pool.ipRange === undefined ? undefined : parseCidr(pool.ipRange);
  return { subnet, gateway, ...(range && range.family === family ? { ipRange: range } : {}) };
}

const cache = new WeakMap<TopologySpec, ReadonlyMap<string, NetworkPlan>>();

/** Parsed addressing of every network, computed once per topology value. */
export function addressPlan(topology: TopologySpec): ReadonlyMap<string, NetworkPlan> {
  let plan = cache.get(topology);
  if (!plan) {
    plan = new Map(
      topology.networks.map((n) => {
        const ipv4 = familyPlan(n, "ipv4");
        const ipv6 = familyPlan(n, "ipv6");
        return [n.key, { ...(ipv4 ? { ipv4 } : {}), ...(ipv6 ? { ipv6 } : {}) }];
      }),
    );
    cache.set(topology, plan);
  }
  return plan;
}
