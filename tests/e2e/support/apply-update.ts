/**
 * `pulumi up` from one rendering to the next, on the real engine: what
 * {@link applyUpdate} does is what the Pulumi engine and the `@pulumi/docker`
 * provider would do with the two runs' recorded inputs and resource options.
 * Import it from ./apply.
 */
import Docker from "dockerode";
import { RenderedResource } from "../../../cli/mock-runtime";
import { APPLIED_TYPES, ApplyOptions, createResource, creationOrder, deleteResource, dependentsOf, dockerName } from "./apply";

/** What happens to one resource (by URN) between two renderings. */
export type UpdateOp = "same" | "update" | "replace" | "create" | "delete";

/** One resource's step in an {@link UpdatePlan}. */
export interface UpdateStep {
  readonly op: UpdateOp;
  readonly urn: string;
  readonly type: string;
  /** Docker name (the `name` input). */
  readonly name: string;
  /** Top-level inputs that differ, `ignoreChanges` removed (empty unless update/replace by diff). */
  readonly changed: readonly string[];
  /** For `replace`: the old object is deleted before the new one is created (`deleteBeforeReplace`). */
  readonly deleteBeforeReplace?: boolean;
  /** Why, in a few words: `inputs changed: ports`, `replaceWith <urn>`, `depends on <urn> (replaced delete-first)`. */
  readonly reason: string;
}

/** Every Docker resource of either rendering, new ones in creation order, then deleted ones. */
export interface UpdatePlan {
  readonly steps: readonly UpdateStep[];
}

/** What {@link applyUpdate} planned and did. */
export interface UpdateResult {
  readonly plan: UpdatePlan;
  /** Engine operations in the order performed: `delete container x`, `create network y`, `update container z (restart)`. */
  readonly operations: readonly string[];
}

/** Container inputs the provider updates in place (`docker update`); every other container input forces a replacement. */
const CONTAINER_UPDATABLE = new Set(["restart", "maxRetryCount", "memory", "memorySwap", "cpuShares", "cpuSet"]);
/** Container inputs that change only the provider's state (no engine call, no replacement). */
const CONTAINER_STATE_ONLY = new Set([
  "rm", "start", "wait", "waitTimeout", "attach", "logs", "mustRun", "removeVolumes", "tmpfs", "destroyGraceSeconds",
  "healthcheck", "containerReadRefreshTimeoutMilliseconds", "init",
]);
/** List inputs the provider holds as sets: their order never makes a diff. */
const SETS = new Set([
  "envs", "labels", "hosts", "networksAdvanced", "aliases", "dns", "dnsOpts", "dnsSearches", "adds", "drops", "securityOpts",
  "groupAdds", "volumes", "mounts", "uploads", "ulimits", "devices", "ipamConfigs",
]);

/** A canonical JSON form: set-typed lists sorted, object keys sorted, empty values dropped (the provider treats them as unset). */
function canonical(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v));
    return SETS.has(key) ? items.map((v) => JSON.stringify(v)).sort().map((v) => JSON.parse(v) as unknown) : items;
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[k], k);
      if (!isEmpty(v)) out[k] = v;
    }
    return out;
  }
  return value;
}
const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** Top-level input keys whose canonical values differ, minus the resource's `ignoreChanges` (matched on their first path segment). */
function changedInputs(before: RenderedResource, after: RenderedResource): string[] {
  const ignored = new Set(after.options.ignoreChanges.map((p) => p.split(/[.[]/)[0]));
  const keys = new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
  return [...keys]
    .filter((k) => !ignored.has(k))
    .filter((k) => JSON.stringify(canonical(before.inputs[k], k) ?? null) !== JSON.stringify(canonical(after.inputs[k], k) ?? null))
    .filter((k) => !(isEmpty(canonical(before.inputs[k], k)) && isEmpty(canonical(after.inputs[k], k))))
    .sort();
}

function replacesByDiff(r: RenderedResource, changed: readonly string[]): boolean {
  if (changed.length === 0) return false;
  const forced = r.options.replaceOnChanges.map((p) => p.split(/[.[]/)[0]);
  if (forced.includes("*") || changed.some((k) => forced.includes(k))) return true;
  if (r.type !== APPLIED_TYPES.container) return true; // every network and volume input is ForceNew
  return changed.some((k) => !CONTAINER_UPDATABLE.has(k) && !CONTAINER_STATE_ONLY.has(k));
}

/**
 * The steps Pulumi would take from `before` to `after` (two `runOnMocks`
 * recordings of the same program; resources matched by URN). Pure.
 *
 * - A changed input replaces a network or volume; a container is updated in
 *   place only when every change is `restart`, `maxRetryCount`, `memory`,
 *   `memorySwap`, `cpuShares`, `cpuSet` or a state-only field; anything else
 *   (ports, networksAdvanced, image, env, ...) replaces it. `ignoreChanges`
 *   hides a field, `replaceOnChanges` forces a replacement. Set-typed lists
 *   (labels, env, networksAdvanced, aliases, ...) compare without order.
 * - A resource is also replaced when a URN in its `replaceWith` is replaced,
 *   and when it depends on a resource replaced delete-first (Pulumi replaces
 *   such dependents: their inputs would be unknown and they are ForceNew).
 * - URNs only in `before` are deleted; only in `after` are created.
 */
export function planUpdate(before: readonly RenderedResource[], after: readonly RenderedResource[]): UpdatePlan {
  const oldByUrn = new Map(creationOrder(before).map((r) => [r.urn, r]));
  const newOrder = creationOrder(after);
  const steps = new Map<string, UpdateStep>();
  for (const r of newOrder) {
    const old = oldByUrn.get(r.urn);
    const base = { urn: r.urn, type: r.type, name: dockerName(r) };
    if (!old) {
      steps.set(r.urn, { ...base, op: "create", changed: [], reason: "new" });
      continue;
    }
    const changed = changedInputs(old, r);
    if (replacesByDiff(r, changed)) steps.set(r.urn, { ...base, op: "replace", changed, deleteBeforeReplace: r.options.deleteBeforeReplace, reason: `inputs changed: ${changed.join(", ")}` });
    else steps.set(r.urn, { ...base, op: changed.length > 0 ? "update" : "same", changed, reason: changed.length > 0 ? `inputs changed: ${changed.join(", ")}` : "unchanged" });
  }
  // Propagate replacements to a fixpoint: replaceWith, and dependents of delete-first replacements.
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of newOrder) {
      const step = steps.get(r.urn)!;
      if (step.op === "replace" || step.op === "create") continue;
      const trigger =
        r.options.replaceWith.find((u) => steps.get(u)?.op === "replace")?.concat(" (replaceWith)") ??
        newOrder.find((x) => steps.get(x.urn)?.op === "replace" && steps.get(x.urn)!.deleteBeforeReplace && dependentsOf(x, after).has(r.urn))?.urn.concat(" (depends on it; replaced delete-first)");
      if (trigger === undefined) continue;
      steps.set(r.urn, { ...step, op: "replace", deleteBeforeReplace: r.options.deleteBeforeReplace, reason: `replaced with ${trigger}` });
      grew = true;
    }
  }
  const deleted = [...oldByUrn.values()].filter((o) => !steps.has(o.urn)).map((o): UpdateStep => ({ op: "delete", urn: o.urn, type: o.type, name: dockerName(o), changed: [], reason: "no longer rendered" }));
  return { steps: [...newOrder.map((r) => steps.get(r.urn)!), ...deleted] };
}

/**
 * Moves the engine from what `before` rendered (already applied with
 * `apply`) to what `after` renders, step by step as Pulumi would with the
 * recorded resource options, and returns the plan and the operations done.
 *
 * Order (Pulumi's, for delete-before-replace): resources are visited in
 * `after`'s dependency order. A resource replaced with `deleteBeforeReplace`
 * first has its replaced or deleted dependents removed (reverse dependency
 * order: containers before the network or volume they use), then its old
 * object deleted, then the new one created; the dependents are created when
 * their turn comes, after it. A replacement without `deleteBeforeReplace`
 * creates the new object first and deletes the old one at the end (with fixed
 * Docker names this fails on the engine, as it would under Pulumi). In-place
 * container updates call `docker update`. Resources no longer rendered are
 * deleted last, in reverse dependency order. `retainOnDelete` objects are
 * left on the engine (a retained volume is then adopted again by its name).
 *
 * Throws at the first engine error with the operations done so far; the
 * caller should still `teardown(docker, after)` and `teardown(docker, before)`.
 *
 * @example
 * ```ts
 * const v1 = await runOnMocks(() => new Topology("t", { declaration: d1, namePrefix: "ct-e2e-upd" }));
 * await apply(docker, v1.resources);
 * const v2 = await runOnMocks(() => new Topology("t", { declaration: d2, namePrefix: "ct-e2e-upd" }));
 * const { plan, operations } = await applyUpdate(docker, v1.resources, v2.resources);
 * // operations: ["delete container ct-e2e-upd-web", "delete network ct-e2e-upd-net", "create network ct-e2e-upd-net", ...]
 * ```
 */
export async function applyUpdate(docker: Docker, before: readonly RenderedResource[], after: readonly RenderedResource[], options: ApplyOptions = {}): Promise<UpdateResult> {
  const plan = planUpdate(before, after);
  const stepOf = new Map(plan.steps.map((s) => [s.urn, s]));
  const oldOrder = creationOrder(before);
  const oldByUrn = new Map(oldOrder.map((r) => [r.urn, r]));
  const operations: string[] = [];
  const record = (line: string) => {
    operations.push(line);
    options.log?.(line);
  };
  const gone = new Set<string>();
  const remove = async (o: RenderedResource) => {
    if (gone.has(o.urn)) return;
    gone.add(o.urn);
    if (o.options.retainOnDelete) record(`retain ${o.type === APPLIED_TYPES.container ? "container" : o.type === APPLIED_TYPES.network ? "network" : "volume"} ${dockerName(o)}`);
    else await deleteResource(docker, o, record);
  };
  const leaving = (urn: string) => ["replace", "delete"].includes(stepOf.get(urn)?.op ?? "");
  const pending: RenderedResource[] = [];
  try {
    for (const r of creationOrder(after)) {
      const step = stepOf.get(r.urn)!;
      const old = oldByUrn.get(r.urn);
      if (step.op === "create") await createResource(docker, r, record);
      else if (step.op === "update") await updateInPlace(docker, r, step, record);
      else if (step.op === "replace" && old) {
        if (step.deleteBeforeReplace) {
          const dependents = dependentsOf(old, before);
          for (const o of [...oldOrder].reverse()) if (dependents.has(o.urn) && leaving(o.urn)) await remove(o);
          await remove(old);
          await createResource(docker, r, record);
        } else {
          await createResource(docker, r, record);
          pending.push(old);
        }
      }
    }
    for (const o of [...oldOrder].reverse()) if (stepOf.get(o.urn)?.op === "delete" || pending.includes(o)) await remove(o);
  } catch (err) {
    throw new Error(`applyUpdate: ${(err as Error).message}\n(operations done: ${operations.join("; ") || "none"})`);
  }
  return { plan, operations };
}

async function updateInPlace(docker: Docker, r: RenderedResource, step: UpdateStep, record: (line: string) => void): Promise<void> {
  const engine = step.changed.filter((k) => CONTAINER_UPDATABLE.has(k));
  if (engine.length === 0) {
    record(`update container ${step.name} (state only: ${step.changed.join(", ")})`);
    return;
  }
  record(`update container ${step.name} (${engine.join(", ")})`);
  const i = r.inputs;
  const mb = (v: unknown) => (typeof v === "number" ? (v > 0 ? v * 1024 * 1024 : v) : undefined);
  await docker.getContainer(step.name).update({
    RestartPolicy: { Name: typeof i.restart === "string" ? i.restart : "no", MaximumRetryCount: Number(i.maxRetryCount ?? 0) },
    ...(i.cpuShares !== undefined ? { CpuShares: Number(i.cpuShares) } : {}),
    ...(i.memory !== undefined ? { Memory: mb(i.memory) } : {}),
    ...(i.memorySwap !== undefined ? { MemorySwap: mb(i.memorySwap) } : {}),
    ...(typeof i.cpuSet === "string" ? { CpusetCpus: i.cpuSet } : {}),
  });
}
