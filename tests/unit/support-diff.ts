/**
 * What `pulumi up` would replace between two renderings of a program (two
 * `runOnMocks` recordings), modelled from the recorded inputs and resource
 * options the way the engine and the Docker provider decide it:
 *
 * - resources are matched by URN; only in `after`: created; only in `before`: deleted;
 * - a resource whose own inputs changed in a replace-forcing field is replaced
 *   (the provider's diff says "replace");
 * - a resource whose `replaceWith` names a replaced resource is replaced too
 *   (to a fixpoint: a container whose namespace owner is replaced, and so on);
 * - any other input change is an in-place update.
 *
 * Replace-forcing fields are those of kreuzwerker/terraform-provider-docker v3,
 * which @pulumi/docker bridges: `docker_network` and `docker_volume` have no
 * Update, so every input is ForceNew (`ipamConfigs` among them);
 * `docker_container` updates only `restart`, `max_retry_count`, `cpu_shares`,
 * `memory`, `cpu_set` and `memory_swap` through `docker update`
 * (`resourceDockerContainerUpdate`), and a few inputs are the provider's own
 * bookkeeping; every other container input is ForceNew. Other types (components,
 * random, kubernetes) are not modelled: a change of theirs counts as an update.
 */
import { isDeepStrictEqual } from "node:util";
import { RenderedResource } from "../../cli/mock-runtime";
import { T } from "./support";

/** Container inputs the provider changes without replacing the container. */
export const CONTAINER_IN_PLACE: ReadonlySet<string> = new Set([
  // docker update
  "restart",
  "maxRetryCount",
  "cpuShares",
  "memory",
  "cpuSet",
  "memorySwap",
  // provider bookkeeping: no engine call
  "start",
  "mustRun",
  "attach",
  "logs",
  "wait",
  "waitTimeout",
  "destroyGraceSeconds",
  "removeVolumes",
  "containerReadRefreshTimeoutMilliseconds",
]);

/** True when changing `field` makes the provider replace a resource of `type`. */
export function forcesReplacement(type: string, field: string): boolean {
  switch (type) {
    case T.network:
    case T.volume:
      return true;
    case T.container:
      return !CONTAINER_IN_PLACE.has(field);
    default:
      return false;
  }
}

/** Top-level inputs whose values differ (added and removed ones included), sorted. */
export function changedInputs(before: RenderedResource, after: RenderedResource): string[] {
  const keys = new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
  return [...keys].filter((k) => !isDeepStrictEqual(before.inputs[k], after.inputs[k])).sort();
}

/** What an update does to each resource, by URN. */
export interface Plan {
  /** Replaced resources and why: `inputs <fields>` or `replaceWith <urn>`. In `after`'s registration order. */
  readonly replaced: ReadonlyMap<string, string>;
  /** Updated in place, with the changed inputs. */
  readonly updated: ReadonlyMap<string, readonly string[]>;
  readonly created: readonly string[];
  readonly deleted: readonly string[];
  /** Present in both, inputs identical, not replaced. */
  readonly unchanged: readonly string[];
}

/** The replacements (and other changes) Pulumi would plan from `before` to `after`. Pure. */
export function plannedReplacements(before: readonly RenderedResource[], after: readonly RenderedResource[]): Plan {
  const old = new Map(before.map((r) => [r.urn, r]));
  const kept = after.filter((r) => old.has(r.urn));
  const changed = new Map(kept.map((r) => [r.urn, changedInputs(old.get(r.urn)!, r)]));
  const reasons = new Map<string, string>();
  for (const r of kept) {
    const forcing = changed.get(r.urn)!.filter((field) => r.custom && forcesReplacement(r.type, field));
    if (forcing.length > 0) reasons.set(r.urn, `inputs ${forcing.join(", ")}`);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of kept) {
      if (reasons.has(r.urn)) continue;
      const trigger = r.options.replaceWith.find((urn) => reasons.has(urn));
      if (trigger === undefined) continue;
      reasons.set(r.urn, `replaceWith ${trigger}`);
      grew = true;
    }
  }
  const replaced = new Map(kept.filter((r) => reasons.has(r.urn)).map((r) => [r.urn, reasons.get(r.urn)!]));
  const updated = new Map(kept.filter((r) => !reasons.has(r.urn) && changed.get(r.urn)!.length > 0).map((r) => [r.urn, changed.get(r.urn)!]));
  return {
    replaced,
    updated,
    created: after.filter((r) => !old.has(r.urn)).map((r) => r.urn),
    deleted: before.filter((r) => !after.some((a) => a.urn === r.urn)).map((r) => r.urn),
    unchanged: kept.filter((r) => !replaced.has(r.urn) && !updated.has(r.urn)).map((r) => r.urn),
  };
}

/** `type::name` of a URN (`urn:pulumi:stack::project::a$b$docker:index/network:Network::dev` -> `docker:index/network:Network::dev`). */
export function shortUrn(urn: string): string {
  const parts = urn.split("::");
  const type = parts[2]!.split("$").pop()!;
  return `${type}::${parts[3]}`;
}
