/** Timing helpers: collect garbage, time a run in CPU and wall-clock time, take medians. */

const collect = (globalThis as { gc?: () => void }).gc;

/** One timed run. */
export interface Sample<T> {
  /** CPU time of the process (user + system, every thread) in milliseconds: what the ratios use. */
  readonly cpuMs: number;
  /** Wall-clock milliseconds, for reference (on a shared machine it includes waiting for a core). */
  readonly wallMs: number;
  readonly value: T;
}

/**
 * Collects garbage twice (the second pass frees what the first finalized) and
 * pauses so V8's background sweeping of the previous run's garbage finishes
 * before the next run starts: no run pays for the one before it.
 */
export async function settle(): Promise<void> {
  if (!collect) throw new Error("run node with --expose-gc (npm run bench does)");
  collect();
  collect();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Times one run after {@link settle}. */
export async function timed<T>(run: () => T | Promise<T>): Promise<Sample<T>> {
  await settle();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await run();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs, value };
}

/** The median of the samples. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A figure with a fixed number of decimals. */
export const fixed = (x: number, digits = 3) => x.toFixed(digits);
