/** Connection intents: what a container means to connect to, checked against the reachability. */

/** One entry of `connects`: a target, or a target marked optional. */
export type ConnectDeclaration = string | { readonly to: string; readonly optional?: boolean };

/** Which environment variables are read as connections: all (true), none (false), or all but some. */
export type EnvIntentsDeclaration = boolean | { readonly ignore: readonly string[] };

/** A normalized `connects` entry. */
export interface ConnectSpec {
  readonly index: number;
  readonly to: string;
  readonly optional: boolean;
}

/** A connection a service means to make: to `host`:`port`, from the declaration at `path`. */
export interface Intent {
  /** The calling service's key. */
  readonly service: string;
  /** Where it was declared: `services.<key>.connects[i]` or `services.<key>.env.<VAR>`. */
  readonly path: string;
  /** The name or address dialled, e.g. `db`, `host.docker.internal`, `localhost`. */
  readonly host: string;
  readonly port: number;
  /** A connection that cannot work is a warning instead of an error. */
  readonly optional: boolean;
  /** What was written, for messages. */
  readonly written: string;
}
