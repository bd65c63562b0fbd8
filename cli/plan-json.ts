/**
 * `plan --json`: the plan as one JSON document, for tools (CI annotations, dashboards, editors). The
 * shape is versioned (`version`) and published as schema/plan.schema.json, generated from the zod
 * schema below; a change that breaks readers bumps the version.
 */
import { z } from "zod";
import { serviceEndpoints } from "../model/docker/endpoints";
import { explainConnection } from "../model/intents/explain";
import { readIntents } from "../model/intents/read";
import { registryServiceSpec } from "../model/registry/normalize";
import { StackRun } from "./run-stack";

/** The version of the document's shape. */
export const PLAN_JSON_VERSION = 1;

const json: z.ZodType<unknown> = z.unknown();

/** The plan document. */
export const planJsonSchema = z.strictObject({
  version: z.literal(PLAN_JSON_VERSION),
  stack: z.string(),
  project: z.string(),
  file: z.string().describe("the stack file that was read"),
  failed: z.boolean().describe("true when pulumi up would stop before creating anything"),
  resources: z.array(
    z.strictObject({
      type: z.string(),
      name: z.string(),
      urn: z.string(),
      parent: z.string().optional(),
      custom: z.boolean().describe("false for component resources"),
      inputs: z.record(z.string(), json),
      options: z.strictObject({
        deleteBeforeReplace: z.boolean(),
        replaceWith: z.array(z.string()),
        dependsOn: z.array(z.string()),
        retainOnDelete: z.boolean(),
        ignoreChanges: z.array(z.string()),
      }),
    }),
  ),
  endpoints: z.array(
    z.strictObject({
      service: z.string(),
      target: z.number().int(),
      protocol: z.string(),
      published: z.number().int().optional(),
      hostIp: z.string(),
      hostAddress: z.string().optional(),
      containerAddress: z.string().optional(),
      networkAddresses: z.array(z.strictObject({ network: z.string(), address: z.string() })),
      unreachable: z.string().optional().describe("why the port is published in vain"),
    }),
  ),
  reachability: z.array(
    z.strictObject({
      from: z.string(),
      to: z.string(),
      host: z.string().optional(),
      names: z.array(z.string()),
      port: z.number().int().optional(),
      protocol: z.string(),
      via: z.string(),
      network: z.string().optional(),
      reason: z.string(),
    }),
  ),
  intents: z.array(
    z.strictObject({
      service: z.string(),
      path: z.string(),
      host: z.string(),
      port: z.number().int(),
      optional: z.boolean(),
      status: z.enum(["reachable", "unreachable"]),
      reasons: z.array(z.string()),
      fix: z.string().optional(),
    }),
  ),
  diagnostics: z.array(
    z.strictObject({
      severity: z.enum(["error", "warning"]),
      code: z.string().optional(),
      path: z.string(),
      message: z.string(),
      file: z.string().optional(),
      line: z.number().int().optional(),
      column: z.number().int().optional(),
    }),
  ),
});

/** The plan document's type. */
export type PlanJson = z.infer<typeof planJsonSchema>;

/** The JSON Schema of the document (schema/plan.schema.json). */
export function planJsonSchemaDocument(): Record<string, unknown> {
  return { ...(z.toJSONSchema(planJsonSchema, { io: "output" }) as Record<string, unknown>), title: `container-topology plan --json, version ${PLAN_JSON_VERSION}` };
}

/** A run as the plan document. */
export function planJson(run: StackRun): PlanJson {
  const model = run.model;
  const reachability = run.reachability;
  const intents = model && reachability
    ? readIntents(model).intents.map((intent) => {
        const answer = explainConnection(model, reachability, model.services.find((s) => s.key === intent.service)!, intent.host, intent.port);
        const reachable = answer.path.length > 0 || answer.reasons.length === 0;
        return { service: intent.service, path: intent.path, host: intent.host, port: intent.port, optional: intent.optional, status: reachable ? ("reachable" as const) : ("unreachable" as const), reasons: [...answer.reasons], ...(answer.fix && !reachable ? { fix: answer.fix } : {}) };
      })
    : [];
  return {
    version: PLAN_JSON_VERSION,
    stack: run.stack.stack,
    project: run.stack.project,
    file: run.stack.file,
    failed: run.failed,
    resources: run.resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      ...(r.parent ? { parent: r.parent } : {}),
      custom: r.custom,
      inputs: JSON.parse(JSON.stringify(r.inputs)) as Record<string, unknown>,
      options: { deleteBeforeReplace: r.options.deleteBeforeReplace, replaceWith: [...r.options.replaceWith], dependsOn: [...r.options.dependencies], retainOnDelete: r.options.retainOnDelete, ignoreChanges: [...(r.options.ignoreChanges ?? [])] },
    })),
    endpoints: model
      ? JSON.parse(JSON.stringify([...model.services, ...model.registries.map(registryServiceSpec)].flatMap((s) => serviceEndpoints(s, model.defaultBridge.gateway, [], model.networks))))
      : [],
    reachability: (reachability?.edges ?? []).map((e) => JSON.parse(JSON.stringify(e)) as PlanJson["reachability"][number]),
    intents,
    diagnostics: run.diagnostics.map((d) => {
      const at = d.location ? /^(.*):(\d+):(\d+)$/.exec(d.location) : null;
      return { severity: d.severity, ...(d.code ? { code: d.code } : {}), path: d.path, message: d.message, ...(at ? { file: at[1]!, line: Number(at[2]), column: Number(at[3]) } : {}) };
    }),
  };
}
