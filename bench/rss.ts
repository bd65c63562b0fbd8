import { spawnSync } from "child_process";
import { prepareModel, prepareProgram, programShape, Side, validateAndReach, validationShape } from "./cases";
import { settle } from "./measure";

/** A case measured in its own process: a program side, or validation alone. */
export type RssKind = Side | "validation";

/** Peak resident set of one case, in MiB. */
export interface RssFigures {
  /** After loading the modules and building the input, before the run. */
  readonly baselineMb: number;
  /** The process's high-water mark after the run. */
  readonly peakMb: number;
}

const FLAG = "--rss";
const mb = (kb: number) => kb / 1024;

/** True when this process was started by {@link measurePeakRss} to run one case. */
export const isRssChild = (argv: readonly string[]) => argv[2] === FLAG;

/**
 * The child side: runs one case once and prints its figures as JSON. The peak is
 * the kernel's maxRSS (getrusage), which also sees peaks inside long synchronous
 * stretches that a timer sampling `process.memoryUsage().rss` never gets to run in.
 */
export async function runRssChild(argv: readonly string[]): Promise<void> {
  const kind = argv[3] as RssKind;
  const n = Number(argv[4]);
  let run: () => unknown;
  if (kind === "validation") {
    const model = prepareModel(validationShape(n));
    run = () => validateAndReach(model);
  } else {
    run = prepareProgram(kind, programShape(n));
  }
  await settle();
  const baselineMb = mb(process.resourceUsage().maxRSS);
  await run();
  const peakMb = mb(process.resourceUsage().maxRSS);
  process.stdout.write(`${JSON.stringify({ baselineMb, peakMb } satisfies RssFigures)}\n`);
}

/**
 * Runs one case in a fresh process (same node flags unless given, same script) and returns
 * its peak RSS: maxRSS is a per-process high-water mark, so each case needs a
 * process of its own or it would report the largest case run before it.
 */
export function measurePeakRss(script: string, kind: RssKind, n: number, nodeFlags: readonly string[] = process.execArgv): RssFigures {
  const child = spawnSync(process.execPath, [...nodeFlags, script, FLAG, kind, String(n)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`peak RSS of ${kind} N=${n} failed (${child.status ?? child.signal}):\n${child.stderr}`);
  const last = child.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as RssFigures;
}
