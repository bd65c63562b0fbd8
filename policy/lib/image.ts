/** Image references: `[registry[:port]/]path[:tag][@digest]`, or an image ID `sha256:<hex>`. */

export interface ImageRef {
  /** The reference without tag and digest. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** True for an image ID (`sha256:<64 hex>` or 64 hex characters): pinned by construction. */
  readonly isId: boolean;
}

const ID = /^(sha256:)?[0-9a-f]{64}$/i;

export function parseImageRef(ref: string): ImageRef {
  const text = ref.trim();
  if (ID.test(text)) return { repository: text, isId: true };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, isId: false, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * The registry host of a reference (`localhost:5001` in `localhost:5001/app:1`), or `undefined` for
 * Docker Hub. As in Docker, the first path part is a host only when it has a `.` or `:` or is `localhost`.
 */
export function registryHost(ref: string): string | undefined {
  const slash = ref.indexOf("/");
  if (slash < 0) return undefined;
  const first = ref.slice(0, slash);
  if (first.includes(".") || first.includes(":") || first === "localhost") return first;
  return undefined;
}

/** The host part of `host[:port]` / `[v6]:port`. */
export function hostOfHostPort(hostPort: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(hostPort);
  if (v6 && v6[1] !== undefined) return v6[1];
  const colon = hostPort.lastIndexOf(":");
  return colon >= 0 ? hostPort.slice(0, colon) : hostPort;
}
