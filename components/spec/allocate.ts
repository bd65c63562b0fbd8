import { cidrsOverlap, formatCidr, parseCidr } from "./ip";
import { AddressPoolDeclaration } from "./types";

/** A network as the allocator sees it. */
export interface AllocationRequest {
  readonly key: string;
  /** Declared IPv4 subnet, if any (taken as reserved when it parses). */
  readonly subnet?: string;
  /** Whether this network may get a subnet from the pools. */
  readonly allocatable: boolean;
}

/**
 * Gives each allocatable network without a subnet the first free block of the
 * pools, in key order, never overlapping a declared subnet or an earlier
 * allocation. Deterministic: the same declaration always gets the same subnets.
 * Networks left without a block (pools exhausted or invalid) are absent from the result.
 */
export function allocateSubnets(requests: readonly AllocationRequest[], pools: readonly AddressPoolDeclaration[]): Map<string, string> {
  const result = new Map<string, string>();
  if (pools.length === 0) return result;
  const taken = requests.flatMap((r) => {
    const cidr = r.subnet === undefined ? undefined : parseCidr(r.subnet);
    return cidr ? [cidr] : [];
  });
  const wanting = requests.filter((r) => r.allocatable && r.subnet === undefined).map((r) => r.key).sort();
  let next = 0;
  for (const pool of pools) {
    const base = parseCidr(pool.base);
    const size = pool.size ?? 24;
    if (!base || base.family !== "ipv4" || !Number.isInteger(size) || size < base.prefix || size > 30) continue;
    const step = 1n << BigInt(32 - size);
    for (let first = base.first; first + step - 1n <= base.last && next < wanting.length; first += step) {
      const candidate = parseCidr(formatCidr(first, size, "ipv4"))!;
      if (taken.some((t) => cidrsOverlap(t, candidate))) continue;
      taken.push(candidate);
      result.set(wanting[next++]!, candidate.text);
    }
  }
  return result;
}
