/** How {@link renderTable} lays out a table. */
export interface TableOptions {
  /** Spaces between columns. @default 2 */
  readonly gap?: number;
  /** Prefix of every line. @default "" */
  readonly indent?: string;
}

/**
 * A plain-text table: a header line, a line of dashes under each header, then
 * one line per row. Cells may hold several lines (`\n`): the row grows, the
 * other cells stay top-aligned. Trailing spaces are trimmed; no colours, so
 * the output pipes and diffs cleanly.
 *
 * @example
 * renderTable(["TYPE", "NAME"], [["docker:Network", "dev-dev"]])
 * // ["TYPE            NAME", "--------------  -------", "docker:Network  dev-dev"]
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string[] {
  const gap = " ".repeat(options.gap ?? 2);
  const indent = options.indent ?? "";
  const columns = Math.max(headers.length, ...rows.map((r) => r.length));
  const split = (row: readonly string[]) => Array.from({ length: columns }, (_, i) => (row[i] ?? "").split("\n"));
  const cells = rows.map(split);
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max((headers[i] ?? "").length, ...cells.map((row) => Math.max(...row[i]!.map((line) => line.length)))),
  );
  const line = (parts: readonly string[]) => `${indent}${parts.map((p, i) => p.padEnd(widths[i]!)).join(gap)}`.trimEnd();
  const out = [line(headers.map((h) => h)), line(widths.map((w, i) => "-".repeat(Math.max(w, (headers[i] ?? "").length))))];
  for (const row of cells) {
    const height = Math.max(...row.map((c) => c.length));
    for (let l = 0; l < height; l++) out.push(line(row.map((c) => c[l] ?? "")));
  }
  return out;
}
