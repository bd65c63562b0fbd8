import { sortIssues } from "../../../model/errors";
import { normalizeTopology } from "../../../model/normalize";
import { parseDeclaration } from "../../../model/parse";
import { validateTopology } from "../../../model/validate";

/** Every issue of a declaration (parse + validate, name prefix "t") of one severity, as [code, path, message], sorted by path. */
export function issues(declaration: unknown, severity: "error" | "warning" = "error"): [string, string, string][] {
  const parsed = parseDeclaration(declaration);
  const topology = normalizeTopology(parsed.raw, { namePrefix: "t" });
  return sortIssues([...parsed.issues, ...validateTopology(topology, parsed.declared)])
    .filter((i) => i.severity === severity)
    .map((i) => [i.code, i.path, i.message]);
}
