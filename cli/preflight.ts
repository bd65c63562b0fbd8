import { Severity } from "../model/errors";
import type { EngineSnapshot } from "../model/preflight";
import { preflightAgainstEngine } from "../components/docker/engine-snapshot";
import { fromIssue, sortDiagnostics } from "./diagnostics";
import type { StackRun } from "./run-stack";

/**
 * `plan --engine`: the run with preflight's issues against the live engine (and this host) added to
 * its diagnostics. A run whose declaration has errors has no model to check and is returned as is;
 * an engine that cannot be reached adds a warning saying the preflight was skipped, and nothing else.
 */
export async function withPreflight(run: StackRun, read?: () => Promise<EngineSnapshot>): Promise<StackRun> {
  if (!run.model) return run;
  const answer = await preflightAgainstEngine(run.model, read);
  if ("skipped" in answer) {
    return { ...run, diagnostics: sortDiagnostics([...run.diagnostics, { severity: Severity.Warning, path: "", message: answer.skipped }]) };
  }
  const diagnostics = sortDiagnostics([...run.diagnostics, ...answer.issues.map((i) => fromIssue(run.stack, i))]);
  return { ...run, diagnostics, failed: diagnostics.some((d) => d.severity === Severity.Error) };
}
