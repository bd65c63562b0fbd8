import { parseDocument, stringify } from "yaml";
import { declarationIssues } from "../model/check";
import { convertCompose, ComposeConversion } from "../model/compose/convert";
import { formatIssue } from "../model/errors";
import { TOPOLOGY_KEY } from "./load-stack";

/** What `import --compose` produced: the stack file's text, and the lines for stderr. */
export interface ComposeImport {
  /** `Pulumi.<stack>.yaml` content: the declaration, with what was not imported as comments. */
  readonly stackFile: string;
  /** Unmapped entries, notes and the check's issues, one per line. */
  readonly report: readonly string[];
  /** True when the check found errors in the result (or the file did not parse). */
  readonly failed: boolean;
  readonly conversion?: ComposeConversion;
}


/**
 * Converts Compose YAML text into a stack file and checks the result with the pure pipeline
 * (parse -> normalize -> validate -> connection intents), so Compose users get this tool's checks on
 * their files. Never throws on bad input: a file that is not YAML is reported.
 */
export function importCompose(text: string, source: string, stack: string): ComposeImport {
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0) {
    return { stackFile: "", report: parsed.errors.map((e) => `error: ${source}: ${e.message}`), failed: true };
  }
  return stackFileOf(convertCompose(parsed.toJS()), source, stack, "import --compose");
}

/**
 * The stack file of a converted declaration, with what was not imported and the notes as comments,
 * and the report: those, then the pure pipeline's issues on the result.
 */
export function stackFileOf(conversion: ComposeConversion, source: string, stack: string, command: string): ComposeImport {
  const report: string[] = [
    ...conversion.unmapped.map((u) => `not imported: ${source} ${u.path}: ${u.reason}`),
    ...conversion.notes.map((n) => `note: ${source} ${n.path}: ${n.reason}`),
  ];
  const issues = declarationIssues(conversion.declaration, { namePrefix: stack });
  report.push(...issues.map((i) => `${i.severity}: ${formatIssue(i, TOPOLOGY_KEY)}`));
  const header = [
    "# yaml-language-server: $schema=./schema/stack.schema.json",
    `# Imported from ${source} by container-topology ${command}.`,
    ...(conversion.unmapped.length > 0 ? ["# Not imported (path: why):", ...conversion.unmapped.map((u) => `#   ${u.path}: ${u.reason}`)] : []),
    ...(conversion.notes.length > 0 ? ["# Notes:", ...conversion.notes.map((n) => `#   ${n.path}: ${n.reason}`)] : []),
  ];
  const body = stringify({ config: { [TOPOLOGY_KEY]: conversion.declaration } }, { lineWidth: 0 });
  return { stackFile: `${header.join("\n")}\n${body}`, report, failed: issues.some((i) => i.severity === "error"), conversion };
}
