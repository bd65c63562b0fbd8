import * as path from "path";

/**
 * The stack the Pulumi CLI configured through the analyzer's `ConfigureStack` RPC, once it has.
 *
 * This is how the CLI tells a policy pack its stack when the pack runs through the Node.js language
 * host (`RunPlugin`), which is what `pulumi preview --policy-pack DIR` does: pulumi/pulumi
 * `sdk/go/common/resource/plugin/analyzer_plugin.go` sends `AnalyzerStackConfigureRequest{Stack,
 * Project, Organization, Tags, DryRun, Config}` right after the pack starts, and sets no environment
 * variable on that path. @pulumi/policy 1.21 answers the RPC but keeps only the tags, so
 * {@link captureConfiguredStack} wraps its handler to record the stack name too.
 */
let configuredStack = "";

/**
 * The name of the stack being previewed or updated.
 *
 * First the stack the CLI sent with `ConfigureStack`; then `PULUMI_NODEJS_STACK` / `PULUMI_STACK`,
 * which the CLI sets when it boots a pack through the legacy `pulumi-analyzer-policy-nodejs` plugin
 * (`constructEnv` in the same file). `pulumi.getStack()` is not used: it caches the first answer
 * process-wide and falls back to the made-up name "stack".
 *
 * An empty result means the stack is not known (e.g. `pulumi policy publish`); rules that exempt
 * some stacks then apply, which is the safe side.
 */
export function currentStackName(): string {
  return configuredStack || process.env["PULUMI_NODEJS_STACK"] || process.env["PULUMI_STACK"] || "";
}

/** The stack recorded from `ConfigureStack` (tests reset it with `""`). */
export function setConfiguredStack(stack: string): void {
  configuredStack = stack;
}

interface ConfigureStackCall {
  readonly request: { getStack?: () => string };
}
type Handler = (call: ConfigureStackCall, callback: unknown) => unknown;
interface GrpcServer {
  addService(service: unknown, implementation: Record<string, unknown>): void;
}

/**
 * Makes the analyzer server that @pulumi/policy starts record the stack name of every
 * `ConfigureStack` request before its own handler runs. Call it before `new PolicyPack(...)`.
 * The gRPC module patched is the one @pulumi/policy itself loads.
 */
export function captureConfiguredStack(): void {
  const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: { prototype: GrpcServer } };
  const proto = grpc.Server.prototype;
  const original = proto.addService;
  if ((original as { ctCaptured?: boolean }).ctCaptured) return;
  const patched = function (this: GrpcServer, service: unknown, implementation: Record<string, unknown>): void {
    const configure = implementation["configureStack"] as Handler | undefined;
    const wrapped = configure
      ? {
          ...implementation,
          configureStack: (call: ConfigureStackCall, callback: unknown) => {
            setConfiguredStack(call.request.getStack?.() ?? "");
            return configure(call, callback);
          },
        }
      : implementation;
    original.call(this, service, wrapped);
  };
  (patched as { ctCaptured?: boolean }).ctCaptured = true;
  proto.addService = patched;
}

/** Compiles a configured stack pattern, with a message that names the config key when it is not a regex. */
export function stackPattern(policy: string, key: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new Error(`${policy}: config ${key} ${JSON.stringify(source)} is not a regular expression: ${(e as Error).message}`);
  }
}

/**
 * `{ notApplicable }` when the current stack's name matches `pattern` (an empty pattern exempts no
 * stack; an unknown stack name is never exempt).
 */
export function stackExemption(policy: string, key: string, pattern: string): { readonly notApplicable: string } | undefined {
  const stack = currentStackName();
  if (pattern === "" || stack === "") return undefined;
  if (!stackPattern(policy, key, pattern).test(stack)) return undefined;
  return { notApplicable: `stack ${JSON.stringify(stack)} matches ${key} /${pattern}/` };
}
