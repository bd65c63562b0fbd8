/**
 * Diagnostics of a stack: a topology issue or a remark, with its config path and YAML location.
 * Kept apart from the runner so the pure commands (`check`) load neither Pulumi nor the engine.
 */
import { Issue, Severity } from "../model/errors";
import { splitPath } from "../model/paths";
import { LoadedStack, locate, TOPOLOGY_KEY } from "./load-stack";

/** One problem or remark, with the config path it is about. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Full config path, e.g. `container-topology:topology.services.web.ports[0]`; empty for the stack as a whole. */
  readonly path: string;
  readonly message: string;
  /** The issue code, for topology issues. */
  readonly code?: string;
  /** `file:line:col` where the value was written, when known. */
  readonly location?: string;
}

/** A topology issue as a diagnostic: its config path and, when known, its YAML location. */
export function fromIssue(stack: LoadedStack, issue: Issue): Diagnostic {
  const location = locate(stack, TOPOLOGY_KEY, issue.path ? splitPath(issue.path) : []);
  return {
    severity: issue.severity,
    path: issue.path ? `${TOPOLOGY_KEY}.${issue.path}` : TOPOLOGY_KEY,
    message: issue.message,
    code: issue.code,
    ...(location ? { location } : {}),
  };
}

/** Errors first, then warnings, each in its original order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === Severity.Error ? 0 : 1);
  return diagnostics.map((d, i) => ({ d, i })).sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i).map(({ d }) => d);
}

/** `error: <path>: <message> [file:line:col]`: one diagnostic on one line. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const subject = diagnostic.path ? `${diagnostic.path}: ` : "";
  const where = diagnostic.location ? ` [${diagnostic.location}]` : "";
  return `${diagnostic.severity}: ${subject}${diagnostic.message}${where}`;
}
