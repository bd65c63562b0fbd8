/**
 * Several Docker hosts in one topology (the `hosts` section): each with its own engine, joined by a
 * Docker Swarm whose overlay networks span them. A declaration without `hosts` has one implicit host,
 * and every answer is the single-host one.
 */

/** A host's part in the swarm. */
export const SwarmRole = { Manager: "manager", Worker: "worker", None: "none" } as const;
/** One of {@link SwarmRole}. */
export type SwarmRole = (typeof SwarmRole)[keyof typeof SwarmRole];

/** TLS material for a `tcp://` engine: each the name of a stack config secret holding PEM text. */
export interface HostTlsDeclaration {
  /** Config key of the CA certificate (`pulumi config set --secret <key> "$(cat ca.pem)"`). */
  readonly ca: string;
  /** Config key of the client certificate. */
  readonly cert: string;
  /** Config key of the client key. */
  readonly key: string;
}

/** One Docker host (`hosts.<key>`). */
export interface HostDeclaration {
  /**
   * The engine's endpoint, as the Docker provider's `host`: `unix:///var/run/docker.sock`,
   * `tcp://10.0.0.2:2376` (with `tls`), `ssh://deploy@10.0.0.2`. @default - DOCKER_HOST, else the local socket
   */
  readonly host?: string;
  /**
   * The address the other hosts reach this one on: published ports on it (or on every address) are
   * reachable from them, and the swarm's traffic uses it. Without it, no other host is predicted to
   * reach this host's published ports.
   */
  readonly address?: string;
  /** Part in the swarm: overlays need every host that uses them to be in it, and one manager. @default `worker` if another host is the manager, else `none` */
  readonly swarm?: SwarmRole;
  /** TLS client material for a `tcp://` host. */
  readonly tls?: HostTlsDeclaration;
  /**
   * Whether the host's kernel carries IPsec ESP with AES-GCM, which encrypted overlays use between
   * hosts. A kernel without it (no `CONFIG_INET_ESP`/`CONFIG_CRYPTO_GCM`) creates the network and
   * attaches containers without an error, then drops their traffic with every other host
   * (docs/multi-host.md): say `false` and the model predicts exactly that. @default true
   */
  readonly ipsec?: boolean;
}

/** A normalized host. */
export interface HostSpec {
  readonly key: string;
  readonly host?: string;
  readonly address?: string;
  readonly swarm: SwarmRole;
  readonly tls?: HostTlsDeclaration;
  readonly ipsec: boolean;
}

/**
 * The ports a swarm needs open between its hosts (Docker's "Use overlay networks" page): cluster
 * management to the managers, node gossip, and the overlay data path (VXLAN).
 */
export const SWARM_PORTS: readonly { readonly port: number; readonly protocols: readonly ("tcp" | "udp")[]; readonly to: "managers" | "every host"; readonly purpose: string }[] = [
  { port: 2377, protocols: ["tcp"], to: "managers", purpose: "cluster management" },
  { port: 7946, protocols: ["tcp", "udp"], to: "every host", purpose: "node gossip (overlay membership and service discovery)" },
  { port: 4789, protocols: ["udp"], to: "every host", purpose: "overlay data path (VXLAN)" },
];
