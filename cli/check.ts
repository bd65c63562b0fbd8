import { declarationIssues } from "../model/check";
import { Severity } from "../model/errors";
import { loadStack, LoadedStack, StackLoadError, topologyDeclaration } from "./load-stack";
import { Diagnostic, fromIssue, sortDiagnostics } from "./diagnostics";

/** What `check` found in one stack file. */
export interface CheckResult {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly failed: boolean;
}

/**
 * The pure pipeline on a stack's declaration (parse -> normalize -> validate -> connection intents),
 * without running the stack program or loading Pulumi: what editors and pre-commit hooks run. The
 * stack's config is merged as Pulumi does (project defaults); every issue keeps its YAML location.
 */
export function checkStack(options: { readonly stack?: string; readonly file?: string; readonly cwd: string }): CheckResult {
  let stack: LoadedStack;
  try {
    stack = loadStack({ ...(options.stack ? { stack: options.stack } : {}), ...(options.file ? { file: options.file } : {}), cwd: options.cwd });
  } catch (err) {
    if (!(err instanceof StackLoadError)) throw err;
    return { file: options.file ?? `Pulumi.${options.stack}.yaml`, diagnostics: err.problems.map((message) => ({ severity: Severity.Error, path: "", message })), failed: true };
  }
  const declaration = topologyDeclaration(stack);
  const issues = declarationIssues(declaration, { namePrefix: stack.stack });
  const notes = stack.notes.map((message) => ({ severity: Severity.Warning, path: "", message }));
  const diagnostics = sortDiagnostics([...issues.map((i) => fromIssue(stack, i)), ...notes]);
  return { file: stack.file, diagnostics, failed: diagnostics.some((d) => d.severity === Severity.Error) };
}

/** One line per diagnostic, `file:line:col: severity: path: message` (the form editors and hooks parse). */
export function checkLines(result: CheckResult, relative: (file: string) => string): string[] {
  return result.diagnostics.map((d) => {
    const where = d.location ?? relative(result.file);
    return `${where}: ${d.severity}: ${d.path ? `${d.path}: ` : ""}${d.message}`;
  });
}
