import * as pulumi from "@pulumi/pulumi";
import { formatIssue, Issue, Severity } from "../../model/errors";

/**
 * Reports a component's issues: warnings go to the Pulumi log, errors become one
 * ResourceError naming the component and listing every issue. `prefix` (such as
 * `networks.dev.`) is stripped so paths read as the component's own arguments.
 */
export function reportIssues(resource: pulumi.Resource, description: string, prefix: string, issues: readonly Issue[]): void {
  const relative = issues.map((i) => ({ ...i, path: i.path === prefix.slice(0, -1) ? "" : i.path.startsWith(prefix) ? i.path.slice(prefix.length) : i.path }));
  const line = (i: Issue) => formatIssue(i).replace(/^topology: /, "args: ");
  for (const warning of relative.filter((i) => i.severity === Severity.Warning)) pulumi.log.warn(`${description}: ${line(warning)}`, resource);
  const errors = relative.filter((i) => i.severity === Severity.Error);
  if (errors.length === 0) return;
  const count = `${errors.length} error${errors.length === 1 ? "" : "s"}`;
  throw withIssues(new pulumi.ResourceError(`${description} has invalid arguments (${count}):\n${errors.map((e) => `  ${line(e)}`).join("\n")}`, resource), relative);
}

/** A ResourceError that also carries the issues, so callers can match on codes. */
export type TopologyResourceError = pulumi.ResourceError & { readonly issues: readonly Issue[] };

/** Attaches the issues to a ResourceError. */
export function withIssues(error: pulumi.ResourceError, issues: readonly Issue[]): TopologyResourceError {
  return Object.assign(error, { issues });
}

/** The Docker name a component gets when none is given: `<stack>-<resource name>`, deterministic so a second `pulumi up` changes nothing. */
export function defaultDockerName(resourceName: string): string {
  return `${pulumi.getStack()}-${resourceName}`;
}
