/** A closed range of addresses. */
export interface Interval {
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * A union of address ranges kept as sorted, disjoint intervals, so "does this
 * block overlap anything taken?" is a binary search instead of a scan over
 * every taken block.
 */
export class IntervalUnion {
  private readonly items: Interval[] = [];

  /** Index of the last interval starting at or before `value`, or -1. */
  private lastStartingBefore(value: bigint): number {
    let low = 0;
    let high = this.items.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.items[mid]!.first <= value) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }

  /** The taken interval overlapping [first, last] (merged with its neighbours), or undefined. */
  overlapping(first: bigint, last: bigint): Interval | undefined {
    const index = this.lastStartingBefore(last);
    const candidate = index >= 0 ? this.items[index] : undefined;
    return candidate && candidate.last >= first ? candidate : undefined;
  }

  /** Adds [first, last], merging it with every interval it touches. */
  add(first: bigint, last: bigint): void {
    let start = this.lastStartingBefore(first);
    if (start < 0 || this.items[start]!.last + 1n < first) start += 1;
    let end = start;
    let merged: Interval = { first, last };
    while (end < this.items.length && this.items[end]!.first <= merged.last + 1n) {
      const item = this.items[end]!;
      merged = { first: item.first < merged.first ? item.first : merged.first, last: item.last > merged.last ? item.last : merged.last };
      end += 1;
    }
    this.items.splice(start, end - start, merged);
  }
}
