/**
 * unique-subnets: no two Docker networks on the same engine have overlapping subnets.
 *
 * Docker refuses the second network at apply time ("Pool overlaps with other one on this address
 * space"), half-way through an update; with macvlan/ipvlan or networks created outside Docker's
 * default pools the overlap is accepted and routing becomes ambiguous. A stack policy sees every
 * network at once and says so at preview.
 */
import { allowNames, displayName, DockerType } from "../lib/docker";
import { cidrsOverlap } from "../lib/ip";
import { matchesAny } from "../lib/match";
import { Pool, poolsOf } from "../lib/network";
import { stackRule } from "../lib/rule";
import { allowList } from "../lib/schema";
import type { ResourceView } from "../lib/rule";

export interface UniqueSubnetsConfig {
  readonly allow: readonly string[];
}

interface Owned extends Pool {
  readonly network: ResourceView;
}

export const uniqueSubnets = stackRule<UniqueSubnetsConfig>({
  name: "unique-subnets",
  description: "Docker networks that share an engine (provider) have non-overlapping ipamConfigs subnets.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Give each network its own subnet.",
  types: [DockerType.Network],
  config: {
    allow: allowList("Networks (globs over the Docker or Pulumi name) whose subnets may overlap others."),
  },
  check: (networks, config, findings) => {
    const byEngine = new Map<string, Owned[]>();
    for (const network of networks) {
      if (matchesAny(config.allow, allowNames(network))) continue;
      const subject = `network ${displayName(network)}`;
      const engine = network.provider ?? "";
      const owned = byEngine.get(engine) ?? [];
      for (const pool of poolsOf(network, findings, subject)) owned.push({ ...pool, network });
      byEngine.set(engine, owned);
    }
    for (const pools of byEngine.values()) {
      pools.forEach((b, j) => {
        const a = pools.slice(0, j).find((p) => cidrsOverlap(p.cidr, b.cidr));
        if (!a) return;
        const same = a.network === b.network;
        findings.violation(
          `network ${displayName(b.network)} ${b.path}: ${b.cidr.text} overlaps ${a.cidr.text} of ` +
            `${same ? "the same network" : `network ${displayName(a.network)}`} (${a.path}). Give each network its own subnet`,
          b.network.urn,
        );
      });
    }
  },
});
