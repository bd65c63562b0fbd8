/**
 * `pulumi preview` and `pulumi up` / `destroy` of the two projects, timed from outside (wall clock of
 * the CLI process: engine, language host, ts-node, program and docker provider together), and the
 * resources each registered, read from `preview --json`.
 */
import { isDeepStrictEqual } from "node:util";
import { PulumiProject, urnName, urnType } from "../../tests/pulumi/support/project";

/** A step of `pulumi preview --json`, with the fields compared here. */
interface JsonStep {
  readonly op: string;
  readonly urn: string;
  readonly newState?: { readonly type: string; readonly custom: boolean; readonly inputs: Record<string, unknown> };
}

/** One timed preview. */
export interface PreviewRun {
  readonly wallMs: number;
  /** Resources the program registered (components and custom resources; not the stack, not providers). */
  readonly resources: number;
  /** Inputs of each Docker resource by `type name`, as the provider checked them. */
  readonly inputs: ReadonlyMap<string, Record<string, unknown>>;
}

const bookkeeping = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");

async function timed<T>(run: () => Promise<T>): Promise<{ wallMs: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await run();
  return { wallMs: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** `pulumi preview --json` of a stack that does not exist yet on the engine: every resource a create. */
export async function preview(project: PulumiProject, stack: string): Promise<PreviewRun> {
  const { wallMs, value } = await timed(() => project.run(["preview", "--stack", stack, "--json", "--non-interactive"]));
  const steps = ((JSON.parse(value.stdout) as { steps?: JsonStep[] }).steps ?? []).filter((s) => !bookkeeping(urnType(s.urn)));
  const notCreate = steps.find((s) => s.op !== "create");
  if (notCreate) throw new Error(`preview of ${stack} in ${project.dir}: ${notCreate.op} ${notCreate.urn}, expected only creates (is something of the stack left on the engine?)`);
  const inputs = new Map<string, Record<string, unknown>>();
  for (const s of steps) if (s.newState?.custom && s.newState.type.startsWith("docker:")) inputs.set(`${s.newState.type} ${urnName(s.urn)}`, s.newState.inputs);
  return { wallMs, resources: steps.length, inputs };
}

/** The first Docker resource whose checked inputs differ between the two previews, or undefined. */
export function firstInputDifference(ours: PreviewRun, theirs: PreviewRun): string | undefined {
  const keys = [...new Set([...ours.inputs.keys(), ...theirs.inputs.keys()])].sort();
  for (const key of keys) {
    const a = ours.inputs.get(key);
    const b = theirs.inputs.get(key);
    if (!isDeepStrictEqual(a, b)) return `${key}:\n  Topology:     ${JSON.stringify(a)}\n  hand-written: ${JSON.stringify(b)}`;
  }
  return undefined;
}

/** `pulumi up` (create) then `pulumi destroy`, each timed; `check` runs in between (what up created), untimed. */
export async function upThenDestroy(project: PulumiProject, stack: string, check: () => Promise<void>): Promise<{ upMs: number; destroyMs: number }> {
  const up = await timed(() => project.up(stack));
  const checked = await check().then(() => undefined, (err: unknown) => err);
  const destroy = await timed(() => project.destroy(stack));
  if (checked !== undefined) throw checked;
  return { upMs: up.wallMs, destroyMs: destroy.wallMs };
}
