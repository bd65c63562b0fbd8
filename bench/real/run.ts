/**
 * `npm run bench:real` (issue 19): what users wait on, measured side by side in one run on the private
 * dockerd with the real Pulumi toolchain, written to bench/results-real.md:
 *
 * - `preview_ratio_N` (N = 50, 200 services over N/10 networks): wall time per registered resource of
 *   `pulumi preview` of a Topology stack over the same Docker resources written by hand with
 *   @pulumi/docker in another project (the inputs compared first, on the mock runtime and in the
 *   real previews); `up_ratio_50`: the same for `pulumi up` (create), then both destroyed;
 * - `check_over_compose_config_1000`: `container-topology check` of a 1,000-service stack file over
 *   Compose's `config -q` of the equivalent Compose file, `check` reporting the planted errors Compose
 *   accepts;
 * - `plan_dev_wall_s`: `container-topology plan --stack dev` on the built package, median;
 * - `peak_rss_ratio_4000`: peak RSS of the Topology program over the hand-written one at 4,000
 *   services on the mock runtime (bench/rss.ts children of the mock benchmark's script);
 * - `validation_scaling_10x`, as `npm run bench` measures it.
 *
 * Prints `key=value` lines on stdout (progress on stderr), the last `targets_met=true|false`; exits 1
 * when a target is missed. Installs nothing: without Compose it says how to install it and exits 1.
 * Runs from the sources through ts-node (the real-engine helpers of tests/pulumi/support find the
 * repository from their own location); the hand-written program and the RSS children use dist-bench/.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type Docker from "dockerode";
import { connectEngine, ensureEngine, PROBE_IMAGE } from "../../tests/e2e/support/engine";
import { cleanupStack } from "../../tests/pulumi/support/cleanup";
import { labelledContainers } from "../../tests/pulumi/support/measure-stack";
import { PulumiProject } from "../../tests/pulumi/support/project";
import { ensureToolchain, REPO_ROOT } from "../../tests/pulumi/support/toolchain";
import { subnetsOf, validationShape } from "../cases";
import { DeclarationOptions, Shape } from "../declaration";
import { firstDifference } from "../equivalence";
import { fixed, median } from "../measure";
import { Figure, Target } from "../report";
import { measurePeakRss, RssFigures } from "../rss";
import { scaling10x, timeValidation } from "../validation";
import { CommandRun, runCommand, timeCommand } from "./commands";
import { composePair, COMPOSE_MISSING, findCompose, writePair } from "./compose";
import { firstInputDifference, preview, PreviewRun, upThenDestroy } from "./engine-runs";
import { handwrittenProject, RealCase, RealSide, topologyProject } from "./projects";
import { writeRealResults } from "./report";

const SIDES: readonly RealSide[] = ["topology", "handwritten"];
const PREVIEW_SIZES = [50, 200] as const;
const UP_SIZE = 50;
/** Timed runs per measurement (medians), after one untimed warm-up where noted; BENCHR_RUNS overrides the engine runs. */
const PREVIEW_RUNS = Number(process.env.BENCHR_RUNS) || 3;
const UP_RUNS = Number(process.env.BENCHR_UP_RUNS) || 2;
const COMMAND_RUNS = 7;
const VALIDATION_REPEATS = 11;
const RSS_SIZE = 4000;
const RSS_RUNS = Number(process.env.BENCHR_RSS_RUNS) || 1;
const CHECK_SIZE = 1000;
/** Every Docker object of this benchmark starts with this (the stack name prefixes every Docker name). */
const PREFIX = "benchr-";
/** The node flags of `npm run bench`, for the RSS children of its script. */
const MOCK_BENCH_FLAGS = ["--expose-gc", "--single-threaded-gc", "--max-old-space-size=8192", "--max-semi-space-size=64"];

const progress = (text: string) => process.stderr.write(`[bench:real ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const realShape = (services: number): Shape => validationShape(services); // N services over N/10 networks

/** True when every port in [first, first + count) can be bound on 127.0.0.1 now. */
async function portsFree(first: number, count: number): Promise<boolean> {
  for (let port = first; port < first + count; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

/** A base port with UP_SIZE free ports after it. */
async function freeBase(): Promise<number> {
  for (let base = 21000; base < 30000; base += 500) if (await portsFree(base, Math.max(...PREVIEW_SIZES))) return base;
  throw new Error("no run of free host ports between 21000 and 30000 on 127.0.0.1");
}

function versionOf(command: string, args: readonly string[]): string {
  const run = spawnSync(command, [...args], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim().split("\n")[0]! : `(${command} ${args.join(" ")} failed)`;
}

async function main(): Promise<void> {
  const started = new Date();
  const loads: { phase: string; load: number[] }[] = [{ phase: "start", load: os.loadavg() }];
  const figures: Figure[] = [];
  const print = (key: string, value: string | number, digits = 3) => {
    const text = typeof value === "number" ? fixed(value, digits) : value;
    figures.push({ key, value: text });
    process.stdout.write(`${key}=${text}\n`);
  };
  print("cores", String(os.cpus().length));
  print("load_at_start", os.loadavg().map((l) => l.toFixed(2)).join("/"));

  // Nothing is installed here: Compose must be there already.
  const compose = findCompose();
  if (!compose) {
    process.stderr.write(`${COMPOSE_MISSING}\n`);
    print("targets_met", "false");
    process.exitCode = 1;
    return;
  }
  for (const file of ["dist/cli/main.js", "dist/components/index.js", "dist-bench/bench/handwritten.js", "dist-bench/bench/run.js"]) {
    if (!fs.existsSync(path.join(REPO_ROOT, file))) throw new Error(`${file} is missing: run npm run bench:real (it builds the package and bench/ first)`);
  }
  progress("engine and toolchain (scripts/engine-start.sh, scripts/pulumi-install.sh: cached builds, seconds)");
  ensureEngine();
  const docker: Docker = await connectEngine();
  const { pulumiBin } = ensureToolchain();
  const versions = {
    node: process.version,
    pulumi: versionOf(path.join(pulumiBin, "pulumi"), ["version"]),
    dockerd: (await docker.version()).Version,
    compose: compose.version,
    composeCommand: [compose.command, ...compose.args].join(" "),
  };
  print("node", versions.node);
  print("pulumi", versions.pulumi);
  print("dockerd", versions.dockerd);
  print("compose", `${versions.composeCommand}: ${versions.compose}`);

  const options: DeclarationOptions = { image: PROBE_IMAGE, firstHostPort: await freeBase() };
  const cases = new Map<number, RealCase>(PREVIEW_SIZES.map((n) => [n, { stack: `${PREFIX}${n}`, shape: realShape(n), subnets: subnetsOf(realShape(n)), options }]));

  // Like with like: the same Docker resources on both sides, first on the mock runtime.
  for (const c of cases.values()) {
    const difference = await firstDifference(c.shape, c.options, c.stack);
    if (difference) throw new Error(`the hand-written program does not render what Topology renders (${c.stack}, mock runtime):\n${difference}`);
  }
  print("inputs_match_mock", "true");

  const projects = new Map<number, Record<RealSide, PulumiProject>>();
  const previews = new Map<string, PreviewRun[]>();
  const ups: Record<RealSide, { upMs: number; destroyMs: number }[]> = { topology: [], handwritten: [] };
  try {
    for (const c of cases.values()) {
      await cleanupStack(docker, c.stack);
      const pair = { topology: topologyProject(c), handwritten: handwrittenProject(c) };
      projects.set(c.shape.services, pair);
      for (const side of SIDES) await pair[side].initStack(c.stack);
    }

    // pulumi preview: a warm-up of each side (its checked inputs compared), then alternating timed runs.
    for (const n of PREVIEW_SIZES) {
      const c = cases.get(n)!;
      const pair = projects.get(n)!;
      const warm = { topology: await preview(pair.topology, c.stack), handwritten: await preview(pair.handwritten, c.stack) };
      const difference = firstInputDifference(warm.topology, warm.handwritten);
      if (difference) throw new Error(`the two previews of ${c.stack} check different inputs:\n${difference}`);
      progress(`preview N=${n}: warm-up ${seconds(warm.topology.wallMs)} / ${seconds(warm.handwritten.wallMs)}, ${warm.topology.resources} / ${warm.handwritten.resources} resources, inputs equal`);
      for (let r = 0; r < PREVIEW_RUNS; r++) {
        for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
          const run = await preview(pair[side], c.stack);
          previews.set(`${side}_${n}`, [...(previews.get(`${side}_${n}`) ?? []), run]);
          progress(`preview ${side} N=${n} run ${r + 1}/${PREVIEW_RUNS}: ${seconds(run.wallMs)}`);
        }
      }
    }
    print("inputs_match_real", "true");
    loads.push({ phase: "after previews", load: os.loadavg() });

    // pulumi up (create) then destroy, alternating which side goes first.
    const c = cases.get(UP_SIZE)!;
    const pair = projects.get(UP_SIZE)!;
    for (let r = 0; r < UP_RUNS; r++) {
      for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        if (!(await portsFree(options.firstHostPort!, UP_SIZE))) throw new Error(`host ports ${options.firstHostPort}-${options.firstHostPort! + UP_SIZE - 1} on 127.0.0.1 are no longer free`);
        const run = await upThenDestroy(pair[side], c.stack, async () => {
          const running = await labelledContainers(docker, c.stack);
          if (running.length !== UP_SIZE) throw new Error(`${side}: pulumi up left ${running.length} containers of ${c.stack}, expected ${UP_SIZE}`);
        });
        ups[side].push(run);
        progress(`up ${side} N=${UP_SIZE} run ${r + 1}/${UP_RUNS}: up ${seconds(run.upMs)}, destroy ${seconds(run.destroyMs)}`);
      }
    }
    loads.push({ phase: "after up/destroy", load: os.loadavg() });
  } finally {
    for (const [n, pair] of projects) for (const side of SIDES) await pair[side].dispose([cases.get(n)!.stack]).catch(() => undefined);
    for (const c of cases.values()) await cleanupStack(docker, c.stack).catch(() => undefined);
  }

  const previewMs = (side: RealSide, n: number) => median(previews.get(`${side}_${n}`)!.map((p) => p.wallMs));
  const resources = (side: RealSide, n: number) => previews.get(`${side}_${n}`)![0]!.resources;
  const perResource = (side: RealSide, n: number) => previewMs(side, n) / resources(side, n);
  for (const n of PREVIEW_SIZES) {
    for (const side of SIDES) {
      print(`resources_${side}_${n}`, String(resources(side, n)));
      print(`preview_wall_ms_${side}_${n}`, previewMs(side, n), 0);
    }
    print(`preview_ratio_${n}`, perResource("topology", n) / perResource("handwritten", n));
    print(`preview_absolute_ratio_${n}`, previewMs("topology", n) / previewMs("handwritten", n));
  }
  const upMs = (side: RealSide) => median(ups[side].map((u) => u.upMs));
  const destroyMs = (side: RealSide) => median(ups[side].map((u) => u.destroyMs));
  for (const side of SIDES) {
    print(`up_wall_ms_${side}_${UP_SIZE}`, upMs(side), 0);
    print(`destroy_wall_ms_${side}_${UP_SIZE}`, destroyMs(side), 0);
  }
  const upRatio = upMs("topology") / resources("topology", UP_SIZE) / (upMs("handwritten") / resources("handwritten", UP_SIZE));
  print(`up_ratio_${UP_SIZE}`, upRatio);
  print(`up_absolute_ratio_${UP_SIZE}`, upMs("topology") / upMs("handwritten"));
  print(`destroy_ratio_${UP_SIZE}`, destroyMs("topology") / resources("topology", UP_SIZE) / (destroyMs("handwritten") / resources("handwritten", UP_SIZE)));

  // check against Compose's config -q on the same 1,000 services, planted errors included.
  progress(`check vs ${versions.composeCommand} config -q at ${CHECK_SIZE} services`);
  const pair = composePair(realShape(CHECK_SIZE), PROBE_IMAGE);
  const files = writePair(pair, "benchr");
  const cli = path.join(REPO_ROOT, "dist", "cli", "main.js");
  let checkRuns: CommandRun[];
  let composeRuns: CommandRun[];
  try {
    checkRuns = timeCommand(process.execPath, [cli, "check", path.basename(files.stackFile)], files.dir, COMMAND_RUNS, [1]);
    composeRuns = timeCommand(compose.command, [...compose.args, "-f", files.composeFile, "config", "-q"], files.dir, COMMAND_RUNS, [0]);
  } finally {
    fs.rmSync(files.dir, { recursive: true, force: true });
  }
  const checkOutput = checkRuns[0]!.stdout;
  const reported = pair.planted.filter((p) => checkOutput.includes(`: error: container-topology:topology.${p.path}: `));
  const checkMs = median(checkRuns.map((r) => r.wallMs));
  const composeMs = median(composeRuns.map((r) => r.wallMs));
  print(`check_wall_ms_${CHECK_SIZE}`, checkMs, 0);
  print(`compose_config_wall_ms_${CHECK_SIZE}`, composeMs, 0);
  print(`check_errors_${CHECK_SIZE}`, String(checkOutput.split("\n").filter((l) => l.includes(": error: ")).length));
  print(`planted_errors_reported`, `${reported.length}/${pair.planted.length}`);
  print(`compose_accepts_planted`, "true");
  const checkRatio = checkMs / composeMs;
  print(`check_over_compose_config_${CHECK_SIZE}`, checkRatio);

  // plan --stack dev on the built package.
  progress("plan --stack dev");
  const planRuns = timeCommand(process.execPath, [cli, "plan", "--stack", "dev"], REPO_ROOT, COMMAND_RUNS, [0]);
  const planSeconds = median(planRuns.map((r) => r.wallMs)) / 1000;
  print("plan_dev_wall_s", planSeconds);
  const checkDev = runCommand(process.execPath, [cli, "check", "--stack", "dev"], REPO_ROOT);
  print("check_dev_wall_s", checkDev.wallMs / 1000);
  loads.push({ phase: "after commands", load: os.loadavg() });

  // validate + reachability scaling, as npm run bench measures it (in this process).
  progress("validation scaling");
  const validation = await timeValidation(VALIDATION_REPEATS);
  const scaling = scaling10x(validation);
  print("validation_ms_1000_on_100", median(validation.small), 1);
  print("validation_ms_10000_on_1000", median(validation.large), 1);
  print("validation_scaling_10x", scaling);

  // Peak RSS at 4,000 services on the mock runtime: the mock benchmark's script, one process per case.
  const script = path.join(REPO_ROOT, "dist-bench", "bench", "run.js");
  const rss: Record<RealSide, RssFigures[]> = { topology: [], handwritten: [] };
  for (let r = 0; r < RSS_RUNS; r++) {
    for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const figures = measurePeakRss(script, side, RSS_SIZE, MOCK_BENCH_FLAGS);
      rss[side].push(figures);
      progress(`peak RSS ${side} N=${RSS_SIZE}: ${fixed(figures.peakMb, 0)} MiB (baseline ${fixed(figures.baselineMb, 0)} MiB)`);
    }
  }
  const peak = (side: RealSide) => median(rss[side].map((f) => f.peakMb));
  for (const side of SIDES) print(`peak_rss_mb_${side}_${RSS_SIZE}`, peak(side), 0);
  const rssRatio = peak("topology") / peak("handwritten");
  print(`peak_rss_ratio_${RSS_SIZE}`, rssRatio);
  loads.push({ phase: "end", load: os.loadavg() });
  print("load_at_end", os.loadavg().map((l) => l.toFixed(2)).join("/"));

  const targets: Target[] = [
    ...PREVIEW_SIZES.map((n) => ({ key: `preview_ratio_${n}`, value: perResource("topology", n) / perResource("handwritten", n), limit: 1.1 })),
    { key: `up_ratio_${UP_SIZE}`, value: upRatio, limit: 1.1 },
    { key: `check_over_compose_config_${CHECK_SIZE}`, value: checkRatio, limit: 1.0 },
    { key: "planted_errors_missed", value: pair.planted.length - reported.length, limit: 0 },
    { key: "plan_dev_wall_s", value: planSeconds, limit: 1.5 },
    { key: `peak_rss_ratio_${RSS_SIZE}`, value: rssRatio, limit: 1.05 },
    { key: "validation_scaling_10x", value: scaling, limit: 12 },
  ];
  const met = targets.every((t) => t.value <= t.limit);
  print("targets_met", String(met));
  const file = path.join(REPO_ROOT, "bench", "results-real.md");
  writeRealResults(file, {
    started,
    finished: new Date(),
    loads,
    versions,
    figures,
    targets,
    runs: { preview: PREVIEW_RUNS, up: UP_RUNS, commands: COMMAND_RUNS, validation: VALIDATION_REPEATS, rss: RSS_RUNS },
    planted: pair.planted.map((p) => ({ ...p, reported: reported.includes(p) })),
    checkSample: checkOutput.split("\n").filter((l) => l.includes(": error: ")).slice(0, 6),
  });
  progress(`wrote ${path.relative(process.cwd(), file)}`);
  if (!met) {
    for (const t of targets.filter((x) => x.value > x.limit)) process.stderr.write(`target missed: ${t.key}=${fixed(t.value)} > ${t.limit}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.stdout.write("targets_met=false\n");
  process.exitCode = 1;
});
