import { Issue } from "../errors";
import { DeclaredKeys } from "../parse";
import { NetworkSpec, ServiceSpec, TopologySpec } from "../types";

/** What every rule sees: the normalized topology, lookups, and the keys declared (including entries whose shape was broken). */
export interface RuleContext {
  readonly topology: TopologySpec;
  readonly declared: DeclaredKeys;
  readonly networks: ReadonlyMap<string, NetworkSpec>;
  readonly services: ReadonlyMap<string, ServiceSpec>;
}

/** A validation rule: one concern, any number of issue codes. */
export interface Rule {
  /** Stable kebab-case id (also its file name). */
  readonly id: string;
  /** One line on what it checks, for docs. */
  readonly summary: string;
  /** Every issue this rule finds; never throws. */
  check(context: RuleContext): Issue[];
}

/** Builds the context once for all rules. */
export function ruleContext(topology: TopologySpec, declared?: DeclaredKeys): RuleContext {
  return {
    topology,
    declared: declared ?? {
      networks: new Set(topology.networks.map((n) => n.key)),
      services: new Set(topology.services.map((s) => s.key)),
    },
    networks: new Map(topology.networks.map((n) => [n.key, n])),
    services: new Map(topology.services.map((s) => [s.key, s])),
  };
}
