import { IntervalUnion } from "../interval-union";
import { formatCidr, parseCidr } from "../ip";
import { AddressPoolDeclaration } from "../types";

/** A network as the allocator sees it. */
export interface AllocationRequest {
  readonly key: string;
  /** Declared IPv4 subnet, if any (taken as reserved when it parses). */
  readonly subnet?: string;
  /** Whether this network may get a subnet from the pools. */
  readonly allocatable: boolean;
}

/** One pool as a row of equal blocks, numbered globally across the pools (`offset` is its first block's number). */
interface BlockRow {
  readonly first: bigint;
  readonly last: bigint;
  readonly size: number;
  readonly step: bigint;
  readonly count: bigint;
  readonly offset: bigint;
}

/** FNV-1a (32 bits) of a key: where its search for a free block starts. */
function slotOf(key: string, total: bigint): bigint {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return BigInt(hash) % total;
}

/**
 * Gives each allocatable network without a subnet a free block of the pools,
 * never overlapping a declared subnet, the default bridge or another
 * allocation. Deterministic, and stable under change: a network's search
 * starts at a block chosen by a hash of its key (wrapping around over the
 * pools' blocks in order) and takes the first free one from there, so adding
 * or removing a network does not move the others (which would replace them and
 * their containers) unless their blocks collide. Networks are served in key
 * order. Networks left without a block (pools exhausted or invalid) are absent
 * from the result.
 */
export function allocateSubnets(requests: readonly AllocationRequest[], pools: readonly AddressPoolDeclaration[]): Map<string, string> {
  const result = new Map<string, string>();
  const taken = new IntervalUnion();
  for (const r of requests) {
    const cidr = r.subnet === undefined ? undefined : parseCidr(r.subnet);
    if (cidr?.family === "ipv4") taken.add(cidr.first, cidr.last);
  }
  const rows: BlockRow[] = [];
  let total = 0n;
  for (const pool of pools) {
    const base = parseCidr(pool.base);
    const size = pool.size ?? 24;
    if (!base || base.family !== "ipv4" || base.hostBitsSet || !Number.isInteger(size) || size < base.prefix || size > 30) continue;
    const step = 1n << BigInt(32 - size);
    const count = (base.last - base.first + 1n) / step;
    rows.push({ first: base.first, last: base.last, size, step, count, offset: total });
    total += count;
  }
  if (total === 0n) return result;
  const wanting = requests.filter((r) => r.allocatable && r.subnet === undefined).map((r) => r.key).sort();
  for (const key of wanting) {
    let slot = slotOf(key, total);
    for (let searched = 0n; searched < total; ) {
      const row = rows.find((r) => slot >= r.offset && slot < r.offset + r.count)!;
      const candidate = parseCidr(formatCidr(row.first + (slot - row.offset) * row.step, row.size, "ipv4"))!;
      const clash = taken.overlapping(candidate.first, candidate.last);
      if (!clash) {
        taken.add(candidate.first, candidate.last);
        result.set(key, candidate.text);
        break;
      }
      // Skip every block of this row inside the clashing range at once (a declared /8 covers many).
      const lastInside = clash.last >= row.last ? row.count - 1n : (clash.last - row.first) / row.step;
      const skip = row.offset + lastInside + 1n - slot;
      slot = (slot + skip) % total;
      searched += skip;
    }
  }
  return result;
}
