import { Issue, sortIssues } from "./errors";
import { DeclaredKeys } from "./parse";
import { addressPools } from "./rules/address-pools";
import { aliases } from "./rules/aliases";
import { capabilities } from "./rules/capabilities";
import { drivers } from "./rules/drivers";
import { extraHosts } from "./rules/extra-hosts";
import { healthchecks } from "./rules/healthchecks";
import { hosts } from "./rules/hosts";
import { KUBERNETES_RULES } from "./kubernetes/rules";
import { names } from "./rules/names";
import { networkAddresses } from "./rules/network-addresses";
import { networkMode } from "./rules/network-mode";
import { portClash } from "./rules/port-clash";
import { portRanges } from "./rules/port-ranges";
import { references } from "./rules/references";
import { registries } from "./rules/registries";
import { Rule, ruleContext } from "./rules/rule";
import { staticAddresses } from "./rules/static-addresses";
import { subnetOverlap } from "./rules/subnet-overlap";
import { unreachablePublish } from "./rules/unreachable-publish";
import { TopologySpec } from "./types";

/** Every validation rule, in the order they are documented. */
export const RULES: readonly Rule[] = [
  names,
  references,
  networkMode,
  extraHosts,
  networkAddresses,
  subnetOverlap,
  addressPools,
  staticAddresses,
  aliases,
  portRanges,
  portClash,
  unreachablePublish,
  healthchecks,
  capabilities,
  drivers,
  registries,
  hosts,
  ...KUBERNETES_RULES,
];

/**
 * Runs every rule over a normalized topology and returns every issue (errors
 * and warnings), sorted by path. Never throws: see {@link checkTopology}.
 * `declared` lists keys whose entries failed to parse, so references to them
 * are not reported twice.
 */
export function validateTopology(topology: TopologySpec, declared?: DeclaredKeys): Issue[] {
  const context = ruleContext(topology, declared);
  return sortIssues(RULES.flatMap((rule) => rule.check(context)));
}
