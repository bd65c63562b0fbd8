/**
 * Calls policies the way the Pulumi policy server (@pulumi/policy 1.21 `server.js`) does, without the
 * gRPC server:
 *
 * - properties go through a protobuf `Struct` (what the engine sends), the SDK's own
 *   `deserializeProperties`, and the SDK's own `unknownCheckingProxy`, so unknown values are the
 *   engine's sentinel strings behind the proxy that throws `UnknownValueError`;
 * - `args` has every field the server sets (type, props, urn, name, opts, stackTags, isType, asType,
 *   getConfig, notApplicable, provider when given);
 * - the stack name reaches the pack as the CLI passes it: the stack of its `ConfigureStack` RPC
 *   (policy-server.test.ts sends the RPC itself; here it is recorded the way that RPC records it);
 * - an `UnknownValueError` escaping a policy becomes the server's advisory
 *   "can't run policy '<id>' from policy pack 'container-topology@v<version>' during preview: ...".
 *
 * `runPack` runs every policy of the pack over a list of resources, as `pulumi preview --policy-pack`
 * would: each resource policy on each resource, then each stack policy over all of them.
 */
import type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as deserializeModule from "@pulumi/policy/deserialize";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import { policies } from "../policies";
import { UNKNOWN_SENTINELS, unknownCheckingProxy, UnknownValueError } from "../lib/unknown";
import { currentStackName, setConfiguredStack } from "../lib/stack";

const { deserializeProperties } = deserializeModule as unknown as {
  deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
};

const PACK_NAME = "container-topology";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PACK_VERSION: string = (require("../package.json") as { version: string }).version;

/** Unknown values exactly as the engine sends them during preview, by kind. */
export const unknown = {
  string: UNKNOWN_SENTINELS.string,
  number: UNKNOWN_SENTINELS.number,
  boolean: UNKNOWN_SENTINELS.boolean,
  array: UNKNOWN_SENTINELS.array,
  object: UNKNOWN_SENTINELS.object,
} as const;

/** A secret value as the engine sends it (the policy server unwraps it to the plain value). */
export function secret(value: unknown): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

/**
 * Plain JSON for a `Struct`: `undefined` keys dropped (the engine never sends them); the Node SDK's
 * in-process unknowns (what mocks see in preview), Outputs, Resources and assets become the unknown
 * string sentinel.
 */
function toWire(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (isOpaque(value)) return unknown.string;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toWire(v)));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const w = toWire(v);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  return unknown.string;
}

/** Values a policy can only see as unknown. */
function isOpaque(value: unknown): boolean {
  return (
    pulumi.isUnknown(value) ||
    pulumi.Output.isInstance(value) ||
    pulumi.Resource.isInstance(value) ||
    pulumi.asset.Asset.isInstance(value) ||
    pulumi.asset.Archive.isInstance(value)
  );
}

/** Properties as a policy receives them: Struct -> SDK deserializer -> SDK unknown-checking proxy. */
export function engineProps(props: Record<string, unknown>): Record<string, any> {
  const struct = Struct.fromJavaScript(toWire(props) as Record<string, JavaScriptValue>);
  return unknownCheckingProxy(deserializeProperties(struct, false));
}

export class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}
function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

export interface TestResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Defaults to `urn:pulumi:<stack>::container-topology::<type>::<name>`. */
  readonly urn?: string;
  readonly parent?: string;
  /** A provider URN (resources on different Docker engines use different providers). */
  readonly provider?: string;
}

/** Per-policy config as a stack sets it: a level, or properties with an optional `enforcementLevel`. */
export type PackConfig = Readonly<Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>>;

function urnOf(r: TestResource, stack: string): string {
  return r.urn ?? `urn:pulumi:${stack}::container-topology::${r.type}::${r.name}`;
}

function optsOf(r: TestResource): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

function providerOf(r: TestResource) {
  if (!r.provider) return undefined;
  const type = r.provider.split("::")[2] ?? "pulumi:providers:docker";
  const name = r.provider.split("::")[3] ?? "default";
  return { type, name, urn: r.provider, props: engineProps({}) };
}

function typeOf(type: string) {
  return (resourceClass: { __pulumiType?: string; isInstance?(o: unknown): boolean }) => {
    if (resourceClass.__pulumiType) return resourceClass.__pulumiType === type;
    return resourceClass.isInstance?.({ __pulumiType: type }) === true;
  };
}

/** The config a policy's `getConfig()` returns: the properties without `enforcementLevel`. */
function configProps(entry: PackConfig[string] | undefined): Record<string, unknown> {
  if (entry === undefined || typeof entry === "string") return {};
  const { enforcementLevel: _level, ...props } = entry;
  return props;
}

function levelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }, config: PackConfig): EnforcementLevel {
  const entry = config[policy.name];
  const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
  return configured ?? policy.enforcementLevel ?? "advisory";
}

/** Resource-policy args exactly as the server builds them. */
export function resourceArgs(r: TestResource, options: { config?: Record<string, unknown>; stack?: string } = {}): ResourceValidationArgs {
  const props = engineProps(r.props);
  const isType = typeOf(r.type);
  const provider = providerOf(r);
  return {
    type: r.type,
    props,
    urn: urnOf(r, options.stack ?? currentStack()),
    name: r.name,
    opts: optsOf(r),
    stackTags: new Map<string, string>(),
    isType: isType as ResourceValidationArgs["isType"],
    asType: ((cls: never) => (isType(cls) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => ({ ...(options.config ?? {}) }) as T,
    notApplicable: throwNotApplicable,
    ...(provider ? { provider } : {}),
  };
}

/** Stack-policy args exactly as the server builds them (parents and dependencies linked by URN). */
export function stackArgs(resources: readonly TestResource[], options: { config?: Record<string, unknown>; stack?: string } = {}): StackValidationArgs {
  const stack = options.stack ?? currentStack();
  const built: PolicyResource[] = resources.map((r) => {
    const props = engineProps(r.props);
    const isType = typeOf(r.type);
    const provider = providerOf(r);
    return {
      type: r.type,
      props,
      urn: urnOf(r, stack),
      name: r.name,
      opts: optsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: isType as PolicyResource["isType"],
      asType: ((cls: never) => (isType(cls) ? props : undefined)) as PolicyResource["asType"],
      ...(provider ? { provider } : {}),
    };
  });
  const byUrn = new Map(built.map((b) => [b.urn, b]));
  resources.forEach((r, i) => {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent && built[i]) built[i].parent = parent;
  });
  return {
    resources: built,
    stackTags: new Map<string, string>(),
    getConfig: <T extends object>() => ({ ...(options.config ?? {}) }) as T,
    notApplicable: throwNotApplicable,
  };
}

/** What one policy said about one call. */
export interface Outcome {
  /** Messages passed to reportViolation (with the URN for stack policies). */
  readonly violations: { readonly message: string; readonly urn?: string }[];
  /** The server's advisory note when an unknown value stopped the policy, else undefined. */
  readonly advisory?: string;
  /** The reason when the policy called notApplicable. */
  readonly notApplicable?: string;
}

function advisoryFor(policy: string, e: Error): string {
  return `can't run policy '${policy}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${e.message}`;
}

async function capture(policy: string, call: (report: ReportViolation) => void | Promise<void>): Promise<Outcome> {
  const violations: { message: string; urn?: string }[] = [];
  const report: ReportViolation = (message: string, urn?: string) => {
    violations.push(urn === undefined ? { message } : { message, urn });
  };
  try {
    await call(report);
    return { violations };
  } catch (e) {
    if (e instanceof UnknownValueError) return { violations, advisory: advisoryFor(policy, e) };
    if (e instanceof NotApplicableError) return { violations, notApplicable: e.reason ?? "" };
    throw e;
  }
}

/** Runs one resource policy on one resource. */
export async function checkResource(
  policy: ResourceValidationPolicy,
  resource: TestResource,
  options: { config?: Record<string, unknown>; stack?: string } = {},
): Promise<Outcome> {
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  return withStack(options.stack ?? currentStack(), () =>
    capture(policy.name, async (report) => {
      for (const validate of validations) if (validate) await validate(resourceArgs(resource, options), report);
    }),
  );
}

/** Runs one stack policy over a list of resources. */
export async function checkStack(
  policy: StackValidationPolicy,
  resources: readonly TestResource[],
  options: { config?: Record<string, unknown>; stack?: string } = {},
): Promise<Outcome> {
  return withStack(options.stack ?? currentStack(), () =>
    capture(policy.name, (report) => policy.validateStack(stackArgs(resources, options), report)),
  );
}

function currentStack(): string {
  return currentStackName() || "dev";
}

/** Runs `fn` with the stack name recorded the way the CLI's ConfigureStack RPC records it. */
export async function withStack<T>(stack: string, fn: () => Promise<T>): Promise<T> {
  const saved = currentStackName();
  setConfiguredStack(stack);
  try {
    return await fn();
  } finally {
    setConfiguredStack(saved);
  }
}

/** One diagnostic of a pack run. */
export interface PackViolation {
  readonly policy: string;
  /** The resource's URN; undefined when a stack policy reported against the whole stack. */
  readonly urn?: string;
  /** The resource's name, when the URN is one of the resources. */
  readonly name?: string;
  /** The message the policy reported (or the server's advisory note for unknowns). */
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
}

function isStackPolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/**
 * Runs every policy of the pack over `resources` as `pulumi preview --policy-pack policy` on `stack`
 * would, with `config` as the stack's policy config (`{ "<id>": "advisory" }` or
 * `{ "<id>": { enforcementLevel?, ...props } }`). Returns every diagnostic, resource policies first
 * (resources in the given order, policies in pack order), then stack policies.
 */
export async function runPack(resources: readonly TestResource[], stack: string, config: PackConfig = {}): Promise<PackViolation[]> {
  const known = new Set(policies.map((p) => p.name));
  for (const key of Object.keys(config)) {
    if (!known.has(key)) throw new Error(`runPack: config names unknown policy ${JSON.stringify(key)}; policies: ${[...known].join(", ")}`);
  }
  const names = new Map(resources.map((r) => [urnOf(r, stack), r.name]));
  const out: PackViolation[] = [];
  const push = (policy: string, level: EnforcementLevel, outcome: Outcome, urn?: string) => {
    for (const v of outcome.violations) {
      const at = v.urn ?? urn;
      const name = at === undefined ? undefined : names.get(at);
      out.push({ policy, message: v.message, enforcementLevel: level, ...(at ? { urn: at } : {}), ...(name ? { name } : {}) });
    }
    if (outcome.advisory !== undefined) {
      const name = urn === undefined ? undefined : names.get(urn);
      out.push({ policy, message: outcome.advisory, enforcementLevel: "advisory", ...(urn ? { urn } : {}), ...(name ? { name } : {}) });
    }
  };
  for (const r of resources) {
    for (const p of policies) {
      let level = levelOf(p, config);
      if (level === "disabled" || isStackPolicy(p)) continue;
      if (level === "remediate") level = "mandatory";
      const outcome = await checkResource(p, r, { config: configProps(config[p.name]), stack });
      push(p.name, level, outcome, urnOf(r, stack));
    }
  }
  for (const p of policies) {
    let level = levelOf(p, config);
    if (level === "disabled" || !isStackPolicy(p)) continue;
    if (level === "remediate") level = "mandatory";
    const outcome = await checkStack(p, resources, { config: configProps(config[p.name]), stack });
    push(p.name, level, outcome);
  }
  return out;
}
