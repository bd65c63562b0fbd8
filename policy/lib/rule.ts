/**
 * The frame every rule shares: type filtering, config defaults, the plain-data snapshot of properties,
 * and the handling of values that are unknown during preview.
 *
 * A rule is a plain {@link ResourceValidationPolicy} or {@link StackValidationPolicy} object; these
 * helpers only build its `validateResource` / `validateStack` callback and `configSchema`.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { snapshot, Unknown, UndecidedError, ValueRecord } from "./unknown";

/** Config every rule understands, on top of the engine's own `enforcementLevel`. */
export interface CommonConfig {
  /**
   * Report one advisory note per resource naming the fields this rule decides on that are unknown
   * during preview ("could not decide: ports[0].ip is unknown until apply"). When false, such fields
   * are skipped silently.
   */
  readonly reportUnknowns: boolean;
}

const commonProperties: Record<keyof CommonConfig, PolicyConfigJSONSchema> = {
  reportUnknowns: {
    type: "boolean",
    default: true,
    description:
      "Report an advisory note naming each field this rule decides on that is unknown during preview; when false such fields are skipped silently.",
  },
};

/** A resource as a rule sees it: identity plus properties as plain data with explicit unknowns. */
export interface ResourceView {
  readonly type: string;
  /** The Pulumi resource name (the last part of the URN). */
  readonly name: string;
  readonly urn: string;
  readonly props: ValueRecord;
  /** The URN of the provider the resource uses, when the engine passes it. */
  readonly provider?: string;
}

/** What a rule found: violations it could decide, and fields it could not. */
export class Findings {
  readonly violations: { readonly message: string; readonly urn?: string }[] = [];
  readonly unknowns: { readonly field: string; readonly sentinel: string }[] = [];

  violation(message: string, urn?: string): void {
    this.violations.push(urn === undefined ? { message } : { message, urn });
  }

  /** Records that the rule could not decide on `value`; `subject` prefixes the field (stack rules). */
  unknown(value: Unknown, subject?: string): void {
    const field = subject === undefined ? value.path : `${subject} ${value.path}`;
    if (!this.unknowns.some((u) => u.field === field)) this.unknowns.push({ field, sentinel: value.sentinel });
  }

  /** Takes over another collector's undecided fields (used when a rule decides in stages). */
  adoptUnknowns(other: Findings): void {
    for (const u of other.unknowns) {
      if (!this.unknowns.some((x) => x.field === u.field)) this.unknowns.push(u);
    }
  }

  /** Reports the violations, then hands the undecided fields to the policy server as one advisory note. */
  flush(reportViolation: ReportViolation, config: CommonConfig): void {
    for (const v of this.violations) {
      if (v.urn === undefined) reportViolation(v.message);
      else reportViolation(v.message, v.urn);
    }
    if (this.unknowns.length > 0 && config.reportUnknowns) throw new UndecidedError(this.unknowns);
  }
}

interface RuleSpec<C> {
  /** The kebab-case id. It never changes: stacks refer to it in their policy config. */
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity?: Severity;
  readonly remediationSteps?: string;
  /** The rule's own config; `reportUnknowns` is added. Every property needs a `default`. */
  readonly config: { readonly [K in keyof C]: PolicyConfigJSONSchema };
  /** Resource types the rule looks at (exact type tokens). */
  readonly types: readonly string[];
}

/** A check returns nothing, or a reason why the rule does not apply here (e.g. an exempt stack). */
export type CheckResult = void | { readonly notApplicable: string };

export interface ResourceRuleSpec<C> extends RuleSpec<C> {
  readonly check: (resource: ResourceView, config: C & CommonConfig, findings: Findings) => CheckResult;
}

export interface StackRuleSpec<C> extends RuleSpec<C> {
  /** `resources` are the stack's resources of `types`, in the order the engine passed them. */
  readonly check: (resources: readonly ResourceView[], config: C & CommonConfig, findings: Findings) => CheckResult;
}

function configSchema<C>(spec: RuleSpec<C>): PolicyConfigSchema {
  return { properties: { ...(spec.config as Record<string, PolicyConfigJSONSchema>), ...commonProperties } };
}

/** Schema defaults overlaid with what the stack configured (the engine passes only what was set). */
export function resolveConfig<C>(schema: PolicyConfigSchema, given: object): C & CommonConfig {
  const defaults: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (prop.default !== undefined) defaults[key] = structuredClone(prop.default);
  }
  return { ...defaults, ...given } as C & CommonConfig;
}

function view(r: { type: string; name: string; urn: string; props: unknown; provider?: { urn: string } }): ResourceView {
  const provider = r.provider?.urn;
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: snapshot(r.props),
    ...(provider ? { provider } : {}),
  };
}

function metadata<C>(spec: RuleSpec<C>) {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    configSchema: configSchema(spec),
    ...(spec.severity ? { severity: spec.severity } : {}),
    ...(spec.remediationSteps ? { remediationSteps: spec.remediationSteps } : {}),
  };
}

export function resourceRule<C>(spec: ResourceRuleSpec<C>): ResourceValidationPolicy {
  const meta = metadata(spec);
  const types = new Set(spec.types);
  return {
    ...meta,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!types.has(args.type)) args.notApplicable(`applies to ${[...types].join(", ")}`);
      const config = resolveConfig<C>(meta.configSchema, args.getConfig());
      const findings = new Findings();
      const result = spec.check(view(args), config, findings);
      if (result) args.notApplicable(result.notApplicable);
      findings.flush(reportViolation, config);
    },
  };
}

export function stackRule<C>(spec: StackRuleSpec<C>): StackValidationPolicy {
  const meta = metadata(spec);
  const types = new Set(spec.types);
  return {
    ...meta,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const resources = args.resources.filter((r) => types.has(r.type));
      if (resources.length === 0) args.notApplicable(`the stack has no ${[...types].join(", ")}`);
      const config = resolveConfig<C>(meta.configSchema, args.getConfig());
      const findings = new Findings();
      const result = spec.check(resources.map(view), config, findings);
      if (result) args.notApplicable(result.notApplicable);
      findings.flush(reportViolation, config);
    },
  };
}
