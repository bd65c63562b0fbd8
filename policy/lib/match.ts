/** Allow-list matching: entries are exact names or globs where `*` matches any run of characters. */

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re === undefined) {
    const body = glob
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

/** True when any candidate (e.g. the Docker name and the Pulumi resource name) matches any pattern. */
export function matchesAny(patterns: readonly string[], candidates: readonly (string | undefined)[]): boolean {
  return patterns.some((p) => candidates.some((c) => c !== undefined && globToRegExp(p).test(c)));
}

/**
 * Splits an allow-list entry `<subject>:<detail>` at its last `:` (the detail never has one).
 * An entry without `:` allows the whole subject.
 */
export function splitEntry(entry: string): { subject: string; detail?: string } {
  const at = entry.lastIndexOf(":");
  if (at <= 0) return { subject: entry };
  return { subject: entry.slice(0, at), detail: entry.slice(at + 1) };
}
