/**
 * The name of the stack being previewed or updated.
 *
 * The Pulumi CLI starts a Node.js policy pack with `PULUMI_NODEJS_STACK` and `PULUMI_STACK` in its
 * environment (pulumi/pulumi `sdk/go/common/resource/plugin/analyzer_plugin.go`, `constructEnv`);
 * `pulumi.getStack()` reads the same variable, but caches it in a process-wide store the first time it
 * is called and falls back to the made-up name "stack" when it is missing. Reading the environment
 * each time gives the same answer in a real run and lets tests switch stacks.
 *
 * An empty result means the stack is not known (e.g. `pulumi policy publish`); rules that exempt
 * some stacks then apply, which is the safe side.
 */
export function currentStackName(): string {
  return process.env["PULUMI_NODEJS_STACK"] || process.env["PULUMI_STACK"] || "";
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
