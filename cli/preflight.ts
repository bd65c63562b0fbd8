import { preflight } from "../model/preflight";
import { Severity } from "../model/errors";
import type { EngineSnapshot } from "../model/preflight";
import { engineAddress, readEngineSnapshot } from "../components/docker/engine-snapshot";
import { fromIssue, sortDiagnostics } from "./diagnostics";
import type { StackRun } from "./run-stack";

/**
 * `plan --engine`: the run with preflight's issues against the live engine (and this host) added to
 * its diagnostics. A run whose declaration has errors has no model to check and is returned as is;
 * an engine that cannot be reached adds a warning saying the preflight was skipped, and nothing else.
 */
export async function withPreflight(run: StackRun, read: () => Promise<EngineSnapshot> = () => readEngineSnapshot()): Promise<StackRun> {
  if (!run.model) return run;
  let snapshot: EngineSnapshot;
  try {
    snapshot = await read();
  } catch (err) {
    const skipped = { severity: Severity.Warning, path: "", message: `preflight skipped: cannot reach the Docker engine at ${engineAddress()} (${(err as Error).message}). Start it, or set DOCKER_HOST` };
    return { ...run, diagnostics: sortDiagnostics([...run.diagnostics, skipped]) };
  }
  const issues = preflight(run.model, snapshot).map((i) => fromIssue(run.stack, { ...i, message: `${i.message} [preflight: ${snapshot.engine}]` }));
  const diagnostics = sortDiagnostics([...run.diagnostics, ...issues]);
  return { ...run, diagnostics, failed: diagnostics.some((d) => d.severity === Severity.Error) };
}
