import { TopologyDeclaration } from "../model/types";

/** The shape of a generated topology. */
export interface Shape {
  /** Number of services. */
  readonly services: number;
  /** Number of networks (N/20 for the programs, N/10 for validation scaling). */
  readonly networks: number;
}

/** Published host ports start here; every service gets its own. */
export const FIRST_HOST_PORT = 20000;
/** The image of every service (never pulled on the mock runtime). */
export const DEFAULT_IMAGE = "nginx:1.27";

/** What a run on a real engine changes in the generated declaration (the mock benchmark keeps the defaults). */
export interface DeclarationOptions {
  /** @default {@link DEFAULT_IMAGE} */
  readonly image?: string;
  /** Host port of service 0; service i publishes on firstHostPort + i. @default {@link FIRST_HOST_PORT} */
  readonly firstHostPort?: number;
}
/** Pool the odd networks get their subnet from (addressPools); disjoint from the declared /24s. */
export const POOL_BASE = "10.128.0.0/9";
/** Static addresses start at this host number on declared subnets. */
const FIRST_STATIC_HOST = 10;

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Network key `net-0007`. */
export const networkKey = (k: number) => `net-${pad(k, 4)}`;
/** Service key `svc-00042`. */
export const serviceKey = (i: number) => `svc-${pad(i, 5)}`;
/** Even networks declare a /24 inside 10.64.0.0/10; odd ones get one from {@link POOL_BASE} (addressPools). */
export const declaresSubnet = (k: number) => k % 2 === 0;
/** The /24 declared by an even network. */
export const declaredSubnet = (k: number) => `10.${64 + (k >> 8)}.${k & 255}.0/24`;

/** One network a service joins, as both sides render it. */
export interface Membership {
  readonly network: number;
  readonly alias: string;
  readonly ipv4Address?: string;
}

/**
 * Where service i sits: its primary network (round robin), with a static
 * address when that network declares its subnet, and every third service also
 * on the next network (a second alias, dynamic address); in network order.
 */
export function memberships(i: number, shape: Shape): Membership[] {
  const primary = i % shape.networks;
  const slot = Math.floor(i / shape.networks);
  const staticHost = FIRST_STATIC_HOST + slot;
  const out: Membership[] = [
    {
      network: primary,
      alias: `app-${pad(i, 5)}`,
      ...(declaresSubnet(primary) && staticHost < 250 ? { ipv4Address: declaredSubnet(primary).replace(/0\/24$/, String(staticHost)) } : {}),
    },
  ];
  if (i % 3 === 0 && shape.networks > 1) out.push({ network: (primary + 1) % shape.networks, alias: `peer-${pad(i, 5)}` });
  // In network key order: Pulumi hands structured stack config to the program with its keys sorted,
  // so a Topology stack on the real engine joins them in that order (the last network's peers wrap to net-0000).
  return out.sort((a, b) => a.network - b.network);
}

/**
 * The environment every service gets, keys in sorted order: Pulumi hands structured stack config to
 * the program with its keys sorted, so a Topology stack on the real engine renders them sorted.
 */
export const envOf = (i: number): Record<string, string> => ({ LOG_LEVEL: "info", SERVICE_ID: String(i) });

/**
 * A realistic declaration: N services on N/20 bridge networks, every service
 * publishing its own host port (default host IP 127.0.0.1), joining one or two
 * networks with an alias, static addresses on declared subnets, half the
 * networks allocated from addressPools, and two host services.
 */
export function makeDeclaration(shape: Shape, options: DeclarationOptions = {}): TopologyDeclaration {
  const image = options.image ?? DEFAULT_IMAGE;
  const firstHostPort = options.firstHostPort ?? FIRST_HOST_PORT;
  const networks: Record<string, { subnet?: string }> = {};
  for (let k = 0; k < shape.networks; k++) networks[networkKey(k)] = declaresSubnet(k) ? { subnet: declaredSubnet(k) } : {};
  const services: Record<string, NonNullable<TopologyDeclaration["services"]>[string]> = {};
  for (let i = 0; i < shape.services; i++) {
    services[serviceKey(i)] = {
      image,
      env: envOf(i),
      ports: [`${firstHostPort + i}:8080`],
      networks: Object.fromEntries(
        memberships(i, shape).map((m) => [networkKey(m.network), { aliases: [m.alias], ...(m.ipv4Address ? { ipv4Address: m.ipv4Address } : {}) }]),
      ),
    };
  }
  return {
    networks,
    services,
    hostServices: {
      "dev-server": { address: "0.0.0.0", port: 3000 },
      "port-forward": { address: "127.0.0.1", port: 8443 },
    },
    addressPools: [{ base: POOL_BASE, size: 24 }],
  };
}
