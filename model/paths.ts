/** A segment of a field path: a key, or an index into a list. */
export type PathSegment = string | number;

/**
 * Renders segments as a dotted path with `[i]` indexes:
 * `["services", "web", "ports", 0, "published"]` -> `services.web.ports[0].published`.
 */
export function joinPath(...segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    // Keys with dots or spaces (driver options, bad keys) are quoted so the path stays unambiguous.
    else if (!PLAIN_KEY.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;
const SEGMENT = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g;

/** The inverse of {@link joinPath}: `services.web.ports[0]` -> `["services", "web", "ports", 0]`. */
export function splitPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const match of path.matchAll(SEGMENT)) {
    out.push(match[1] !== undefined ? Number(match[1]) : match[2] !== undefined ? (JSON.parse(match[2]) as string) : match[3]!);
  }
  return out;
}

/** Orders paths segment by segment, list indexes numerically (`ports[2]` before `ports[10]`), a parent before its children. */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const left = splitPath(a);
  const right = splitPath(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}
