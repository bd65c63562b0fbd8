/**
 * The topology model: what a stack declares (`*Declaration`, as written in
 * `Pulumi.<stack>.yaml` or as a TypeScript object) and what the pipeline makes
 * of it (`*Spec`, normalized, every default applied).
 *
 * Pure types: this folder never imports `@pulumi/*`.
 */
import type { HostDeclaration, HostSpec } from "./hosts/types";
import type { ConsumeDeclaration, ConsumeSpec, KubernetesDeclaration, KubernetesSpec, RawKubernetes } from "./kubernetes/types";
import type { RawRegistry, RegistryDeclaration, RegistrySpec } from "./registry/types";
import type { ConnectDeclaration, ConnectSpec, EnvIntentsDeclaration } from "./intents/types";

/** Network drivers a topology can declare. */
export const NetworkDriver = {
  Bridge: "bridge",
  Macvlan: "macvlan",
  Ipvlan: "ipvlan",
  Overlay: "overlay",
} as const;
/** One of {@link NetworkDriver}. */
export type NetworkDriver = (typeof NetworkDriver)[keyof typeof NetworkDriver];

/** Transport protocols Docker can publish. */
export const Protocol = { Tcp: "tcp", Udp: "udp", Sctp: "sctp" } as const;
/** One of {@link Protocol}. */
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** Macvlan modes (`-o macvlan_mode=`). */
export const MacvlanMode = { Bridge: "bridge", Vepa: "vepa", Private: "private", Passthru: "passthru" } as const;
/** One of {@link MacvlanMode}. */
export type MacvlanMode = (typeof MacvlanMode)[keyof typeof MacvlanMode];

/** Ipvlan modes (`-o ipvlan_mode=`). */
export const IpvlanMode = { L2: "l2", L3: "l3", L3s: "l3s" } as const;
/** One of {@link IpvlanMode}. */
export type IpvlanMode = (typeof IpvlanMode)[keyof typeof IpvlanMode];

/** Ipvlan flags (`-o ipvlan_flag=`). */
export const IpvlanFlag = { Bridge: "bridge", Private: "private", Vepa: "vepa" } as const;
/** One of {@link IpvlanFlag}. */
export type IpvlanFlag = (typeof IpvlanFlag)[keyof typeof IpvlanFlag];

/** Container restart policies (`--restart`). */
export const RestartPolicy = {
  No: "no",
  Always: "always",
  OnFailure: "on-failure",
  UnlessStopped: "unless-stopped",
} as const;
/** One of {@link RestartPolicy}. */
export type RestartPolicy = (typeof RestartPolicy)[keyof typeof RestartPolicy];

/** The network modes that are not a list of networks (`--network host|none|bridge`). */
export const NetworkModeKeyword = { Bridge: "bridge", Host: "host", None: "none" } as const;
/** One of {@link NetworkModeKeyword}. */
export type NetworkModeKeyword = (typeof NetworkModeKeyword)[keyof typeof NetworkModeKeyword];

/** `host-gateway`: Docker's keyword for the host's address as seen from containers. */
export const HOST_GATEWAY = "host-gateway";
/** The name containers use for the host (`--add-host host.docker.internal:host-gateway`). */
export const HOST_DOCKER_INTERNAL = "host.docker.internal";

/**
 * A value the deployment engine resolves later (a `pulumi.Output` or a Promise).
 * The spec layer passes it through untouched and never branches on it.
 */
export interface DeferredValue<T> {
  /** Transforms the value once known (as `pulumi.Output.apply`). */
  apply<U>(func: (t: T) => U): unknown;
}
/** A plain value, or one resolved at deployment (allowed only for pass-through fields such as image and env values). */
export type Passthrough<T> = T | Promise<T> | DeferredValue<T>;

// ---------------------------------------------------------------------------
// Declarations: what users write.
// ---------------------------------------------------------------------------

/** IP address management fields shared by every driver. */
export interface AddressingDeclaration {
  /** IPv4 subnet in CIDR form (`--subnet`), e.g. `172.30.0.0/16`. @default - allocated by Docker, or from `addressPools` when declared */
  readonly subnet?: string;
  /** Range within `subnet` that Docker assigns dynamic addresses from (`--ip-range`). @default - the whole subnet */
  readonly ipRange?: string;
  /** IPv4 gateway inside `subnet` (`--gateway`). @default - the first address of the subnet */
  readonly gateway?: string;
  /** Addresses in the subnet Docker must never hand out (`--aux-address name=ip`), IPv4 or IPv6. */
  readonly auxAddresses?: Readonly<Record<string, string>>;
  /** Enables IPv6 on the network (`--ipv6`). Implied by `ipv6Subnet`. @default false */
  readonly ipv6?: boolean;
  /** IPv6 subnet in CIDR form, e.g. `fd00:30::/64`. Requires `ipv6` (implied when set). */
  readonly ipv6Subnet?: string;
  /** IPv6 range within `ipv6Subnet` for dynamic addresses. */
  readonly ipv6IpRange?: string;
  /** IPv6 gateway inside `ipv6Subnet`. */
  readonly ipv6Gateway?: string;
}

/** Fields every network declaration accepts. */
export interface CommonNetworkDeclaration extends AddressingDeclaration {
  /** Docker network name. @default `<namePrefix>-<key>` (the stack name is the prefix under the Topology component); for an external or adopted network, the key */
  readonly name?: string;
  /**
   * Joins a network that exists already and is not ours (kind's `kind`, another compose project's):
   * looked up by `name` at preview, never created or deleted. Only `name` and `driver` go with it.
   * @default false
   */
  readonly external?: boolean;
  /**
   * Adopts an object that exists already (made by `docker network create`, docker compose, or another tool).
   * Its Docker ID, as `container-topology import --from-engine` writes it: the next `pulumi up`
   * imports it instead of creating it (the `import` resource option). Then write `true` in place of
   * the ID: Pulumi refuses to replace a resource whose program still names an import ID. Either way
   * the object keeps its own name (set `name`; the default is the key, unprefixed), its labels (no
   * `container-topology.io/*` label is added) and, for a container, its aliases (the key is not one).
   */
  readonly adopt?: string | true;
  /** The host a bridge, macvlan or ipvlan network exists on (an overlay spans the swarm: no host). @default - the host of the services on it, else the only host */
  readonly host?: string;
  /** MTU of the network's interfaces (`-o com.docker.network.driver.mtu`). 68-65535. @default - the driver's (1500 for bridge) */
  readonly mtu?: number;
  /** Restricts external access (`--internal`): no route out of the network, published ports are not reachable. @default false */
  readonly internal?: boolean;
  /** Lets standalone containers join (`--attachable`). Required for overlay networks used by `docker run`-style containers. @default false */
  readonly attachable?: boolean;
  /** Network labels (`--label`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Raw driver options (`-o key=value`). Options unknown to the driver are reported as a warning. */
  readonly options?: Readonly<Record<string, string>>;
}

/** A bridge network (`docker network create --driver bridge`). */
export interface BridgeNetworkDeclaration extends CommonNetworkDeclaration {
  /** @default "bridge" */
  readonly driver?: "bridge";
  /** Inter-container communication (`com.docker.network.bridge.enable_icc`); false isolates containers on this bridge from each other. @default true */
  readonly icc?: boolean;
  /** Masquerade outgoing traffic (`com.docker.network.bridge.enable_ip_masquerade`). @default true */
  readonly ipMasquerade?: boolean;
  /** Name of the Linux bridge device (`com.docker.network.bridge.name`), at most 15 characters. @default - `br-<id>` chosen by Docker */
  readonly bridgeName?: string;
  /** Default host IP for published ports on this network (`com.docker.network.bridge.host_binding_ipv4`). Ports declared here always carry their own hostIp, so this only affects ports published by hand. */
  readonly hostBindingIpv4?: string;
}

/** A macvlan network: containers get their own MAC address on the parent's segment. */
export interface MacvlanNetworkDeclaration extends CommonNetworkDeclaration {
  readonly driver: "macvlan";
  /** Host interface to attach to (`-o parent=`), e.g. `eth0` or a VLAN sub-interface `eth0.50` (VLAN 1-4094). Required. */
  readonly parent?: string;
  /** Macvlan mode. @default "bridge" */
  readonly mode?: MacvlanMode;
}

/** An ipvlan network: containers share the parent's MAC address. */
export interface IpvlanNetworkDeclaration extends CommonNetworkDeclaration {
  readonly driver: "ipvlan";
  /** Host interface to attach to (`-o parent=`), e.g. `eth0` or `eth0.50` (VLAN 1-4094). Required. */
  readonly parent?: string;
  /** Ipvlan mode. @default "l2" */
  readonly mode?: IpvlanMode;
  /** Ipvlan flag. @default "bridge" */
  readonly flag?: IpvlanFlag;
}

/** A swarm-scoped overlay network. */
export interface OverlayNetworkDeclaration extends CommonNetworkDeclaration {
  readonly driver: "overlay";
  /** Encrypts the VXLAN data plane (IPsec, `--opt encrypted`). @default false */
  readonly encrypted?: boolean;
}

/** Any network declaration, discriminated by `driver`. */
export type NetworkDeclaration =
  | BridgeNetworkDeclaration
  | MacvlanNetworkDeclaration
  | IpvlanNetworkDeclaration
  | OverlayNetworkDeclaration;

/** A published port (`-p [hostIp:][published:]target[/protocol]`). */
export interface PortDeclaration {
  /** Port inside the container. 1-65535. */
  readonly target: number;
  /** Port on the host. 1-65535. @default - a random free port chosen by Docker */
  readonly published?: number;
  /** Host address to bind. `0.0.0.0` or `::` publish on every interface and bypass host firewalls. @default "127.0.0.1" */
  readonly hostIp?: string;
  /** @default "tcp" */
  readonly protocol?: Protocol;
}

/** How a service joins one network. */
export interface NetworkAttachmentDeclaration {
  /** Extra DNS names for the service on this network (`--network-alias`). Must be unique on the network. */
  readonly aliases?: readonly string[];
  /**
   * Aliases deliberately shared with other services on this network, so DNS answers
   * with all of them in turn (the Docker docs' `--network-alias search` pattern).
   * Every service sharing the alias must list it here.
   */
  readonly sharedAliases?: readonly string[];
  /** Static IPv4 address (`--ip`); the network must declare a subnet containing it. */
  readonly ipv4Address?: string;
  /** Static IPv6 address (`--ip6`); the network must declare an ipv6Subnet containing it. */
  readonly ipv6Address?: string;
}

/** An `/etc/hosts` entry (`--add-host host:ip`); `ip` may be `host-gateway`. */
export interface HostMapping {
  /** Host name. */
  readonly host: string;
  /** IPv4/IPv6 address or `host-gateway`. */
  readonly ip: string;
}

/** A container health check (`--health-*`). */
export interface HealthcheckDeclaration {
  /** Command, e.g. `["CMD", "wget", "-q", "http://localhost/"]` or a shell string (run with CMD-SHELL). */
  readonly test: readonly string[] | string;
  /** Go duration, e.g. `"30s"`. @default "30s" */
  readonly interval?: string;
  /** @default "30s" */
  readonly timeout?: string;
  /** @default 3 */
  readonly retries?: number;
  /** @default "0s" */
  readonly startPeriod?: string;
}

/** A container and how it is reached. */
export interface ServiceDeclaration {
  /** Image reference, e.g. `nginx:1.27`. May be a pulumi Output. */
  readonly image: Passthrough<string>;
  /** Docker container name. @default `<namePrefix>-<key>`; for an adopted container, the key */
  readonly name?: string;
  /**
   * Adopts an object that exists already (made by `docker run`, docker compose, or another tool).
   * Its Docker ID, as `container-topology import --from-engine` writes it: the next `pulumi up`
   * imports it instead of creating it (the `import` resource option). Then write `true` in place of
   * the ID: Pulumi refuses to replace a resource whose program still names an import ID. Either way
   * the object keeps its own name (set `name`; the default is the key, unprefixed), its labels (no
   * `container-topology.io/*` label is added) and, for a container, its aliases (the key is not one).
   */
  readonly adopt?: string | true;
  /** The host it runs on (`hosts.<key>`). @default - the only host */
  readonly host?: string;
  /** Command (`CMD`), as a list of arguments. */
  readonly command?: readonly string[];
  /** Entrypoint override. */
  readonly entrypoint?: readonly string[];
  /** Environment variables; values may be pulumi Outputs. */
  readonly env?: Readonly<Record<string, Passthrough<string>>>;
  /** Published ports, as objects or in `docker run -p` syntax (`"8080:80"`, `"127.0.0.1:5353:53/udp"`); a port without host IP binds 127.0.0.1. */
  readonly ports?: readonly (PortDeclaration | string)[];
  /** Ports documented as listened on but not published (`--expose`), e.g. `9000` or `"9000/udp"`. */
  readonly expose?: readonly (number | string)[];
  /**
   * Networks to join, by declared key: a list of keys or a map key -> attachment.
   * Mutually exclusive with a `networkMode` other than a network.
   * @default - Docker's default bridge when no networkMode is set either
   */
  readonly networks?: readonly string[] | Readonly<Record<string, NetworkAttachmentDeclaration | null>>;
  /**
   * `bridge` (Docker's default bridge), `host`, `none`, or `container:<service key>`.
   * Mutually exclusive with `networks` and (except bridge) with `ports`.
   * @default - the declared networks, or Docker's default bridge
   */
  readonly networkMode?: string;
  /** Extra `/etc/hosts` entries, as `{host, ip}` or `"host:ip"`. */
  readonly extraHosts?: readonly (HostMapping | string)[];
  /** Adds `host.docker.internal:host-gateway` so the container reaches host services. Ignored for `none` and `container:` modes. @default true */
  readonly hostGateway?: boolean;
  /** DNS servers (`--dns`). */
  readonly dns?: readonly string[];
  /** DNS search domains (`--dns-search`). */
  readonly dnsSearch?: readonly string[];
  /** resolv.conf options (`--dns-option`). */
  readonly dnsOptions?: readonly string[];
  /** Hostname inside the container. */
  readonly hostname?: string;
  /** @default "unless-stopped" */
  readonly restart?: RestartPolicy;
  /** Health check. */
  readonly healthcheck?: HealthcheckDeclaration;
  /** Container labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Runs the container privileged. @default false */
  readonly privileged?: boolean;
  /** Linux capabilities to add, e.g. `NET_ADMIN`. */
  readonly capAdd?: readonly string[];
  /** Linux capabilities to drop. */
  readonly capDrop?: readonly string[];
  /**
   * Cluster services this container calls, by `kubernetes.bridges` key: each
   * injects the bridge's URL as an environment variable (`<KEY>_URL` unless
   * named: `{bridge: "api", env: "API_URL"}`) and the
   * `host.docker.internal:host-gateway` entry (even with `hostGateway: false`).
   */
  readonly consumes?: readonly ConsumeDeclaration[];
  /**
   * What this container connects to, checked against the reachability before anything is created:
   * `"db:5432"`, `"postgres://db/app"`, `"host.docker.internal:4000"`, `"hostServices.pg"`, or
   * `{to, optional: true}` (a connection that cannot work is then a warning, not an error).
   * Environment values that are such URLs or `host:port` pairs naming something declared are read as
   * connections too (see `envIntents`).
   * @default []
   */
  readonly connects?: readonly ConnectDeclaration[];
  /**
   * Which environment variables are read as connections: every one (true), none (false), or every
   * one but `{ignore: [NAMES]}`.
   * @default true
   */
  readonly envIntents?: EnvIntentsDeclaration;
}

/** A process listening on the Docker host (a `kubectl port-forward`, a dev server) that containers may need. */
export interface HostServiceDeclaration {
  /** The host it runs on (`hosts.<key>`). @default - the only host */
  readonly host?: string;
  /** Address it listens on: `127.0.0.1` (host only), `0.0.0.0`/`::` (every interface) or a specific host address. */
  readonly address: string;
  /** Port it listens on. */
  readonly port: number;
  /** @default "tcp" */
  readonly protocol?: Protocol;
}

/** Address pool from which networks without a subnet get one (like dockerd's default-address-pools). */
export interface AddressPoolDeclaration {
  /** IPv4 CIDR to carve subnets from, e.g. `10.203.0.0/16`. */
  readonly base: string;
  /** Prefix length of each allocated subnet. @default 24 */
  readonly size?: number;
}

/** The whole declaration of a stack. */
export interface TopologyDeclaration {
  /** Docker hosts by key, joined by a swarm when overlays span them. @default - one: DOCKER_HOST, else the local socket */
  readonly hosts?: Readonly<Record<string, HostDeclaration>>;
  /** Networks by key. */
  readonly networks?: Readonly<Record<string, NetworkDeclaration>>;
  /** Services (containers) by key. */
  readonly services?: Readonly<Record<string, ServiceDeclaration>>;
  /** Host-side listeners containers may need to reach (for reachability and checks). */
  readonly hostServices?: Readonly<Record<string, HostServiceDeclaration>>;
  /** Pools for networks declared without a subnet. @default - none: Docker allocates */
  readonly addressPools?: readonly AddressPoolDeclaration[];
  /** What the engine's default bridge (docker0) uses; declared subnets must not overlap it. @default - `172.17.0.0/16`, gateway `172.17.0.1` (dockerd's default `bip`) */
  readonly defaultBridge?: DefaultBridgeDeclaration;
  /** Cluster services and the bridges Docker containers reach them through. @default - none: nothing Kubernetes is created */
  readonly kubernetes?: KubernetesDeclaration;
  /** Local image registries (registry:2 on 127.0.0.1:5001 by default) by key. */
  readonly registries?: Readonly<Record<string, RegistryDeclaration>>;
}

/** The engine's default bridge, as configured by dockerd's `bip`. */
export interface DefaultBridgeDeclaration {
  /** @default "172.17.0.0/16" */
  readonly subnet?: string;
  /** @default - the first address of subnet */
  readonly gateway?: string;
}

// ---------------------------------------------------------------------------
// Specs: the normalized model, every default applied.
// ---------------------------------------------------------------------------

/** One IPAM pool of a network, for one address family. */
export interface PoolSpec {
  readonly family: "ipv4" | "ipv6";
  /** @default - Docker allocates when undefined */
  readonly subnet?: string;
  readonly ipRange?: string;
  readonly gateway?: string;
  /** Where the subnet came from: the declaration, an address pool, or unknown (Docker allocates). */
  readonly origin: "declared" | "allocated" | "docker";
}

/** A normalized network. */
export interface NetworkSpec {
  /** Declaration key (`networks.<key>`). */
  readonly key: string;
  /** Docker name. */
  readonly dockerName: string;
  readonly driver: NetworkDriver;
  /** IPv4 pool, then IPv6 pool when enabled. */
  readonly pools: readonly PoolSpec[];
  readonly auxAddresses: Readonly<Record<string, string>>;
  readonly ipv6: boolean;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly mtu?: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Options the user wrote under `options`, kept apart so unknown ones can be reported. */
  readonly userOptions: Readonly<Record<string, string>>;
  /** The complete driver options sent to Docker (typed fields rendered to their option keys, then `options`). */
  readonly driverOptions: Readonly<Record<string, string>>;
  /** Bridge: inter-container communication. */
  readonly icc: boolean;
  /** Macvlan/ipvlan parent interface. */
  readonly parent?: string;
  /** Overlay: encrypted data plane. */
  readonly encrypted: boolean;
  /** Not ours: looked up by `dockerName`, never created or deleted; its addressing is its owner's. */
  readonly external: boolean;
  /** Adopted: the Docker ID to import it from, or `true` once it is. */
  readonly adopt?: string | true;
  /** Its host (`hosts.<key>`); undefined for an overlay and on a single implicit host. */
  readonly host?: string;
}

/** A normalized published port. */
export interface PortSpec {
  /** Index in the declaration's `ports`, for paths. */
  readonly index: number;
  readonly target: number;
  /** Undefined: a random host port. */
  readonly published?: number;
  readonly hostIp: string;
  readonly protocol: Protocol;
}

/** A normalized exposed port. */
export interface ExposeSpec {
  readonly index: number;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A normalized network attachment. */
export interface AttachmentSpec {
  /** Network key. */
  readonly network: string;
  /** Declared aliases. The service key is always an alias too (as in compose), see {@link dnsNames}. */
  readonly aliases: readonly string[];
  readonly sharedAliases: readonly string[];
  readonly ipv4Address?: string;
  readonly ipv6Address?: string;
}

/** Where a service's network namespace comes from. */
export type NetworkModeSpec =
  | { readonly kind: "networks" }
  | { readonly kind: "default-bridge" }
  | { readonly kind: "host" }
  | { readonly kind: "none" }
  | { readonly kind: "container"; readonly service: string };

/** A normalized health check. */
export interface HealthcheckSpec {
  readonly test: readonly string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly startPeriod: string;
}

/** A normalized service. */
export interface ServiceSpec {
  readonly key: string;
  readonly dockerName: string;
  /** Adopted: the Docker ID to import it from, or `true` once it is. */
  readonly adopt?: string | true;
  /** Its host (`hosts.<key>`); undefined on a single implicit host. */
  readonly host?: string;
  readonly image: Passthrough<string>;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly env: Readonly<Record<string, Passthrough<string>>>;
  readonly ports: readonly PortSpec[];
  readonly expose: readonly ExposeSpec[];
  readonly mode: NetworkModeSpec;
  /** In declaration order. Empty unless mode is `networks`-compatible (conflicts are reported, not dropped). */
  readonly attachments: readonly AttachmentSpec[];
  /** Declared extra hosts, then host.docker.internal when `hostGateway` applies. */
  readonly extraHosts: readonly HostMapping[];
  readonly hostGateway: boolean;
  readonly dns: readonly string[];
  readonly dnsSearch: readonly string[];
  readonly dnsOptions: readonly string[];
  readonly hostname?: string;
  readonly restart: RestartPolicy;
  readonly healthcheck?: HealthcheckSpec;
  readonly labels: Readonly<Record<string, string>>;
  readonly privileged: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  /** Bridges consumed (their URL is already in `env`, their host mapping in `extraHosts`). @default [] */
  readonly consumes?: readonly ConsumeSpec[];
  /** Declared connections. @default [] */
  readonly connects?: readonly ConnectSpec[];
  /** Which environment variables are read as connections. @default - every one */
  readonly envIntents?: { readonly enabled: boolean; readonly ignore: readonly string[] };
}

/** A normalized host listener. */
export interface HostServiceSpec {
  readonly key: string;
  /** Its host (`hosts.<key>`); undefined on a single implicit host. */
  readonly host?: string;
  readonly address: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** The normalized topology: every default applied, sorted by key. */
export interface TopologySpec {
  /** Prefix of every Docker name (the stack name under the Topology component). */
  readonly namePrefix: string;
  /** Declared hosts, sorted by key; empty or absent: one implicit host. */
  readonly hosts?: readonly HostSpec[];
  readonly networks: readonly NetworkSpec[];
  readonly services: readonly ServiceSpec[];
  readonly hostServices: readonly HostServiceSpec[];
  /** Declared address pools (size defaulted). */
  readonly addressPools: readonly { readonly base: string; readonly size: number }[];
  /** The engine's default bridge (subnet and gateway, defaulted). */
  readonly defaultBridge: { readonly subnet: string; readonly gateway: string };
  /** The `kubernetes` section; undefined when not declared. */
  readonly kubernetes?: KubernetesSpec;
  /** Local registries, sorted by key. */
  readonly registries: readonly RegistrySpec[];
}

// ---------------------------------------------------------------------------
// Raw: the declaration after parsing (shape checked, short syntax expanded).
// ---------------------------------------------------------------------------

/** An exposed port after parsing. */
export interface RawExpose {
  readonly port: number;
  readonly protocol?: Protocol;
}

/** A health check after parsing (`test` always a list). */
export interface RawHealthcheck extends Omit<HealthcheckDeclaration, "test"> {
  readonly test: readonly string[];
}

/** A service after parsing: ports, expose and extra hosts as objects, networks as a map. */
export interface RawService
  extends Omit<ServiceDeclaration, "ports" | "expose" | "extraHosts" | "networks" | "healthcheck" | "consumes"> {
  readonly ports?: readonly PortDeclaration[];
  readonly expose?: readonly RawExpose[];
  readonly extraHosts?: readonly HostMapping[];
  readonly networks?: Readonly<Record<string, NetworkAttachmentDeclaration>>;
  readonly healthcheck?: RawHealthcheck;
  readonly consumes?: readonly { readonly bridge: string; readonly env?: string }[];
}

/** The declaration after parsing. */
export interface RawTopology {
  readonly hosts?: Readonly<Record<string, HostDeclaration>>;
  readonly networks?: Readonly<Record<string, NetworkDeclaration>>;
  readonly services?: Readonly<Record<string, RawService>>;
  readonly hostServices?: Readonly<Record<string, HostServiceDeclaration>>;
  readonly addressPools?: readonly AddressPoolDeclaration[];
  readonly defaultBridge?: DefaultBridgeDeclaration;
  readonly kubernetes?: RawKubernetes;
  readonly registries?: Readonly<Record<string, RawRegistry>>;
}
