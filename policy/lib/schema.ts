/** Config schema fragments the rules share. */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** A list of allow-list entries (`*` globs), empty by default. */
export function allowList(description: string): PolicyConfigJSONSchema {
  return { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, default: [], description };
}

/** A regular expression over the stack name; the stacks it matches are exempt from the rule. */
export function exemptStackPattern(defaultPattern: string): PolicyConfigJSONSchema {
  return {
    type: "string",
    default: defaultPattern,
    description:
      "Regular expression over the stack name; matching stacks are exempt (the rule reports not applicable). An empty string exempts no stack.",
  };
}
