/**
 * `npm run bench`: the cost of declaring large topologies (issue 9).
 *
 * In one run of this script, on the Pulumi SDK's mock runtime:
 * - N services over N/20 networks through Topology against the same Docker
 *   resources declared by hand with @pulumi/docker (N = 250, 1000, 4000):
 *   `overhead_ratio_N` (time per registered resource, ours over theirs),
 *   `absolute_ratio_N`, `scaling_4000_over_1000`;
 * - validateTopology + computeReachability alone: `validation_share` (over the
 *   whole Topology run, N = 1000) and `validation_scaling_10x` (10,000 services
 *   on 1,000 networks over 1,000 on 100);
 * - the peak RSS of every case (each in a child process: see rss.ts).
 *
 * Prints `key=value` lines on stdout (progress on stderr), writes
 * bench/results.md, and exits 1 when a target is missed.
 */
import * as os from "os";
import * as path from "path";
import * as v8 from "v8";
import { NAME, prepareProgram, programShape, ProgramResult, Side } from "./cases";
import { firstDifference } from "./equivalence";
import { fixed, median, Sample, timed } from "./measure";
import { Figure, Target, writeResults } from "./report";
import { isRssChild, measurePeakRss, RssKind, runRssChild } from "./rss";
import { scaling10x as validationScaling, timeValidation } from "./validation";

const SIZES = [250, 1000, 4000] as const;
const SIDES: readonly Side[] = ["topology", "handwritten"];
/** Runs per size (median taken); BENCH_REPEATS overrides them all. */
const REPEATS: Record<number, number> = { 250: 5, 1000: 5, 4000: 3 };
const VALIDATION_REPEATS = 11;

const repeats = (n: number) => Math.max(1, Number(process.env.BENCH_REPEATS) || REPEATS[n]!);
const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function main(): Promise<void> {
  if (isRssChild(process.argv)) return runRssChild(process.argv);
  const started = new Date();
  const loadAtStart = os.loadavg();
  const figures: Figure[] = [];
  const print = (key: string, value: string | number) => {
    const text = typeof value === "number" ? fixed(value) : value;
    figures.push({ key, value: text });
    process.stdout.write(`${key}=${text}\n`);
  };
  print("cores", String(os.cpus().length));
  print("node", process.version);
  print("node_flags", process.execArgv.join(" "));
  print("heap_limit_mb", fixed(v8.getHeapStatistics().heap_size_limit / 2 ** 20, 0));

  // Like with like: both sides must register the same Docker resources.
  const difference = await firstDifference({ services: 100, networks: 5 });
  print("inputs_match", String(difference === undefined));
  if (difference) {
    process.stderr.write(`the hand-written program no longer matches what Topology renders:\n${difference}\n`);
    process.exitCode = 1;
    return;
  }

  // validate + computeReachability alone (fast: done first, on a quiet heap).
  const validation = await timeValidation(VALIDATION_REPEATS);
  progress(`validation: ${Object.entries(validation).map(([k, v]) => `${k} ${fixed(median(v), 1)}ms`).join(", ")}`);

  // The programs, both sides alternating first, after a warm-up of each.
  for (const side of SIDES) await prepareProgram(side, programShape(250))();
  const programs = new Map<string, Sample<ProgramResult>[]>();
  for (const n of SIZES) {
    for (let r = 0; r < repeats(n); r++) {
      for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        const sample = await timed(prepareProgram(side, programShape(n)));
        progress(`${side} N=${n} run ${r + 1}/${repeats(n)}: cpu ${seconds(sample.cpuMs)}, wall ${seconds(sample.wallMs)}, ${sample.value.registered} resources`);
        const key = `${side}_${n}`;
        programs.set(key, [...(programs.get(key) ?? []), sample]);
      }
    }
  }
  const cpu = (side: Side, n: number) => median(programs.get(`${side}_${n}`)!.map((s) => s.cpuMs));
  const wall = (side: Side, n: number) => median(programs.get(`${side}_${n}`)!.map((s) => s.wallMs));
  const registered = (side: Side, n: number) => programs.get(`${side}_${n}`)![0]!.value.registered;
  const overhead = (n: number) => cpu("topology", n) / registered("topology", n) / (cpu("handwritten", n) / registered("handwritten", n));

  for (const n of SIZES) {
    for (const side of SIDES) {
      print(`resources_${side}_${n}`, String(registered(side, n)));
      print(`cpu_ms_${side}_${n}`, fixed(cpu(side, n), 0));
      print(`wall_ms_${side}_${n}`, fixed(wall(side, n), 0));
    }
    print(`edges_${n}`, String(programs.get(`topology_${n}`)![0]!.value.edges));
    print(`overhead_ratio_${n}`, overhead(n));
    print(`absolute_ratio_${n}`, cpu("topology", n) / cpu("handwritten", n));
  }
  const scaling = cpu("topology", 4000) / cpu("topology", 1000);
  print("scaling_4000_over_1000", scaling);
  print("scaling_4000_over_1000_handwritten", cpu("handwritten", 4000) / cpu("handwritten", 1000));

  print("validation_ms_1000", fixed(median(validation.share), 1));
  const share = median(validation.share) / cpu("topology", 1000);
  print("validation_share", fixed(share, 4));
  print("validation_ms_1000_on_100", fixed(median(validation.small), 1));
  print("validation_ms_10000_on_1000", fixed(median(validation.large), 1));
  const scaling10x = validationScaling(validation);
  print("validation_scaling_10x", scaling10x);

  // Peak RSS, one process per case.
  const script = process.argv[1]!;
  const rssCases: [RssKind, number][] = [...SIZES.flatMap((n) => SIDES.map((side) => [side, n] as [RssKind, number])), ["validation", 1000], ["validation", 10000]];
  const rss: { kind: RssKind; n: number; baselineMb: number; peakMb: number }[] = [];
  for (const [kind, n] of rssCases) {
    const figures = measurePeakRss(script, kind, n);
    progress(`peak RSS ${kind} N=${n}: ${fixed(figures.peakMb, 0)} MiB (baseline ${fixed(figures.baselineMb, 0)} MiB)`);
    rss.push({ kind, n, ...figures });
    print(`peak_rss_mb_${kind}_${n}`, fixed(figures.peakMb, 0));
  }
  // Issue 19's figure (its target is checked by bench:real): Topology's peak over the hand-written one.
  const peakOf = (kind: RssKind, n: number) => rss.find((r) => r.kind === kind && r.n === n)!.peakMb;
  for (const n of SIZES) print(`peak_rss_ratio_${n}`, peakOf("topology", n) / peakOf("handwritten", n));

  const targets: Target[] = [
    { key: "overhead_ratio_1000", value: overhead(1000), limit: 1.15 },
    { key: "scaling_4000_over_1000", value: scaling, limit: 4.4 },
    { key: "validation_share", value: share, limit: 0.05 },
    { key: "validation_scaling_10x", value: scaling10x, limit: 12 },
  ];
  const met = targets.every((t) => t.value <= t.limit);
  print("targets_met", String(met));
  const file = path.resolve(__dirname, "..", "..", "bench", "results.md");
  writeResults(file, { started, finished: new Date(), loadAtStart, loadAtEnd: os.loadavg(), name: NAME, repeats: Object.fromEntries(SIZES.map((n) => [n, repeats(n)])), validationRepeats: VALIDATION_REPEATS, figures, targets, rss });
  progress(`wrote ${path.relative(process.cwd(), file)}`);
  if (!met) {
    for (const t of targets.filter((x) => x.value > x.limit)) process.stderr.write(`target missed: ${t.key}=${fixed(t.value)} > ${t.limit}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
