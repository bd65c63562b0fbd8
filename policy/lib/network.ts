/** Reading Docker networks: driver and IPAM pools. */
import type { Findings, ResourceView } from "./rule";
import { Cidr, parseCidr } from "./ip";
import { isUnknown } from "./unknown";
import { list, record, str } from "./values";

export interface Pool {
  readonly path: string;
  readonly cidr: Cidr;
}

/**
 * The parsed `ipamConfigs[].subnet` and `.ipRange` values of a network. Unknowns are recorded on
 * `findings` (with `subject` for stack rules); values that are not CIDRs are left to the provider.
 */
export function poolsOf(resource: ResourceView, findings: Findings, subject?: string, fields: readonly string[] = ["subnet"]): Pool[] {
  const raw = resource.props["ipamConfigs"];
  if (isUnknown(raw)) {
    findings.unknown(raw, subject);
    return [];
  }
  const pools: Pool[] = [];
  (list(raw) ?? []).forEach((item, i) => {
    if (isUnknown(item)) {
      findings.unknown(item, subject);
      return;
    }
    const config = record(item);
    for (const field of fields) {
      const value = str(config?.[field]);
      if (isUnknown(value)) {
        findings.unknown(value, subject);
        continue;
      }
      const cidr = value === undefined ? undefined : parseCidr(value);
      if (cidr) pools.push({ path: `ipamConfigs[${i}].${field}`, cidr });
    }
  });
  return pools;
}
