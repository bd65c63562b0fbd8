/**
 * Pure validation of the registry components' arguments (LocalRegistry,
 * ClusterRegistry, HostPortProxy): ports, host IPs, Kubernetes names and
 * quantities. Every function returns every issue, paths relative to the
 * component's args (`hostPort`, `proxy.hostIp`, ...). Never imports @pulumi.
 */
import { error, Issue, IssueCode, sortIssues, warning } from "../errors";
import { isLoopback, isWildcard, parseIp } from "../ip";
import { joinPath } from "../paths";
import { readIp } from "../rules/address-checks";
import { isPort } from "../rules/port-ranges";
import { quote } from "../suggest";

/** Defaults shared by the registry components and the `registries` section. */
export const REGISTRY_DEFAULTS = {
  /** Upstream distribution registry image. */
  image: "registry:2",
  /** Host port of a local registry: 5000 is taken by AirPlay on macOS. */
  hostPort: 5001,
  /** Published ports bind loopback only. */
  hostIp: "127.0.0.1",
  /** The port the registry listens on inside its container or pod. */
  containerPort: 5000,
  /** DNS alias of a local registry on each network it joins. */
  alias: "registry",
  /** htpasswd user when auth is on. */
  username: "registry",
  /** Where registry:2 keeps its blobs. */
  storagePath: "/var/lib/registry",
  /** Where the generated htpasswd file is uploaded. */
  htpasswdPath: "/auth/htpasswd",
  /** Namespace of a ClusterRegistry. */
  namespace: "registry",
  /** PersistentVolumeClaim size of a ClusterRegistry. */
  storageSize: "10Gi",
  /** Image of the HostPortProxy DaemonSet (socat). */
  proxyImage: "alpine/socat:1.8.0.0",
  /** Kubernetes cluster DNS domain. */
  clusterDomain: "cluster.local",
} as const;

/** Label every registry resource carries: `container-topology.io/role=registry`. */
export const REGISTRY_ROLE_LABEL = "container-topology.io/role";

/** RFC 1123 label: namespaces, ConfigMaps, Deployments, DaemonSets, PVCs. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: Service names (must start with a letter). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: cluster domain, storage class names. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes resource quantity such as `10Gi`, `500m`, `1.5`. */
const QUANTITY = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
/** An htpasswd user name: no colon, no whitespace. */
const USERNAME = /^[^\s:]+$/;

/** Kinds of Kubernetes names, with their rule. */
export type KubernetesNameKind = "label" | "service" | "subdomain";

/** True when `name` is valid for the kind of Kubernetes object. */
export function isKubernetesName(name: string, kind: KubernetesNameKind): boolean {
  switch (kind) {
    case "label":
      return name.length <= 63 && DNS1123_LABEL.test(name);
    case "service":
      return name.length <= 63 && DNS1035_LABEL.test(name);
    case "subdomain":
      return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
    default: {
      const unreachable: never = kind;
      throw new Error(`unhandled name kind ${String(unreachable)}`);
    }
  }
}

const NAME_RULES: Record<KubernetesNameKind, string> = {
  label: `lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`,
  service: `lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters`,
  subdomain: `dot-separated labels of lowercase letters, digits and "-", at most 253 characters`,
};

/** Pushes invalid-name unless the Kubernetes name is valid; suggests the lowercased form when that would do. */
export function checkKubernetesName(path: string, value: string, kind: KubernetesNameKind, issues: Issue[]): void {
  if (isKubernetesName(value, kind)) return;
  const lower = value.toLowerCase().replace(/[^-a-z0-9.]/g, "-");
  const hint = lower !== value && isKubernetesName(lower, kind) ? `. Did you mean ${quote(lower)}?` : "";
  issues.push(error(IssueCode.InvalidName, path, `${quote(value)} is not a valid Kubernetes name: use ${NAME_RULES[kind]}${hint}`));
}

/** Pushes port-out-of-range unless the value is a port (1-65535). */
export function checkPortValue(path: string, value: number, issues: Issue[]): void {
  if (isPort(value)) return;
  issues.push(error(IssueCode.PortOutOfRange, path, `${quote(value)} is not a port: use 1-65535`));
}

/** Pushes invalid-value unless the value is a Kubernetes quantity. */
export function checkQuantity(path: string, value: string, issues: Issue[]): void {
  if (QUANTITY.test(value)) return;
  issues.push(error(IssueCode.InvalidValue, path, `${quote(value)} is not a Kubernetes quantity, e.g. "10Gi", "512Mi" or "250m"`));
}

/** Pushes invalid-value unless the value is an htpasswd user name. */
export function checkUsername(path: string, value: string, issues: Issue[]): void {
  if (USERNAME.test(value)) return;
  issues.push(error(IssueCode.InvalidValue, path, `${quote(value)} is not a valid user name: htpasswd names must not be empty or contain ":" or whitespace`));
}

/**
 * A registry bound beyond loopback: Docker daemons push over plain HTTP only to
 * loopback registries (and those listed in `insecure-registries`), and anyone
 * who reaches the address can push unless auth is on. Returns the warning, or
 * nothing for loopback binds and unparsable addresses (reported elsewhere).
 */
export function plainHttpWarning(path: string, hostIp: string, port: number, authenticated: boolean): Issue | undefined {
  const ip = parseIp(hostIp);
  if (!ip || isLoopback(hostIp)) return undefined;
  const where = isWildcard(hostIp) ? "every interface of the host" : hostIp;
  const reach = isWildcard(hostIp) ? `<host address>:${port}` : `${ip.family === "ipv6" ? `[${ip.text}]` : ip.text}:${port}`;
  const open = authenticated ? "" : "; without auth anyone who reaches it can push";
  return warning(
    IssueCode.PlainHttpRegistry,
    path,
    `publishes a plain-HTTP registry on ${where}${open}. Docker daemons that push to ${quote(reach)} must list it under insecure-registries in daemon.json; bind "127.0.0.1" unless other machines need it`,
  );
}

/** Where a HostPortProxy forwards and what it binds (the plain fields of HostPortProxyArgs). */
export interface HostPortProxyFields {
  readonly name?: string;
  readonly namespace?: string;
  readonly serviceName: string;
  readonly serviceNamespace?: string;
  readonly servicePort: number;
  readonly hostPort?: number;
  readonly hostIp?: string;
  readonly containerPort?: number;
  readonly clusterDomain?: string;
}

/** Every issue in a HostPortProxy's args, sorted by path. */
export function validateHostPortProxyArgs(args: HostPortProxyFields): Issue[] {
  const issues: Issue[] = [];
  if (args.name !== undefined) checkKubernetesName("name", args.name, "label", issues);
  if (args.namespace !== undefined) checkKubernetesName("namespace", args.namespace, "label", issues);
  checkKubernetesName("serviceName", args.serviceName, "service", issues);
  if (args.serviceNamespace !== undefined) checkKubernetesName("serviceNamespace", args.serviceNamespace, "label", issues);
  checkPortValue("servicePort", args.servicePort, issues);
  if (args.hostPort !== undefined) checkPortValue("hostPort", args.hostPort, issues);
  if (args.containerPort !== undefined) checkPortValue("containerPort", args.containerPort, issues);
  if (args.hostIp !== undefined) readIp("hostIp", args.hostIp, undefined, issues);
  if (args.clusterDomain !== undefined) checkKubernetesName("clusterDomain", args.clusterDomain, "subdomain", issues);
  return sortIssues(issues);
}

/** The plain fields of ClusterRegistryArgs. */
export interface ClusterRegistryFields {
  readonly name?: string;
  readonly namespace?: string;
  readonly storageSize?: string;
  readonly storageClassName?: string;
  readonly clusterDomain?: string;
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string>>;
    readonly limits?: Readonly<Record<string, string>>;
  };
  readonly proxy?: boolean | { readonly hostPort?: number; readonly hostIp?: string; readonly name?: string };
  readonly hostingHost?: string;
}

/** Every issue in a ClusterRegistry's args, sorted by path. */
export function validateClusterRegistryArgs(args: ClusterRegistryFields): Issue[] {
  const issues: Issue[] = [];
  if (args.name !== undefined) checkKubernetesName("name", args.name, "service", issues);
  if (args.namespace !== undefined) checkKubernetesName("namespace", args.namespace, "label", issues);
  if (args.storageSize !== undefined) checkQuantity("storageSize", args.storageSize, issues);
  if (args.storageClassName !== undefined) checkKubernetesName("storageClassName", args.storageClassName, "subdomain", issues);
  if (args.clusterDomain !== undefined) checkKubernetesName("clusterDomain", args.clusterDomain, "subdomain", issues);
  for (const kind of ["requests", "limits"] as const) {
    for (const [resource, quantity] of Object.entries(args.resources?.[kind] ?? {})) checkQuantity(joinPath("resources", kind, resource), quantity, issues);
  }
  const proxy = typeof args.proxy === "object" ? args.proxy : undefined;
  if (proxy?.hostPort !== undefined) checkPortValue("proxy.hostPort", proxy.hostPort, issues);
  if (proxy?.hostIp !== undefined) readIp("proxy.hostIp", proxy.hostIp, undefined, issues);
  if (proxy?.name !== undefined) checkKubernetesName("proxy.name", proxy.name, "label", issues);
  if (args.hostingHost !== undefined && !/^[^\s/]+(:\d+)?$/.test(args.hostingHost)) {
    issues.push(error(IssueCode.InvalidValue, "hostingHost", `${quote(args.hostingHost)} is not a registry host: write host[:port], e.g. "localhost:5001"`));
  }
  return sortIssues(issues);
}

/** A repository path: lowercase components separated by "/" (the distribution reference grammar). */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
/** A tag: up to 128 word characters, dots and dashes, not starting with either. */
const TAG = /^[\w][\w.-]{0,127}$/;
/** `host[:port]`, the host a name or an IPv4 address, or a bracketed IPv6 address. */
const REGISTRY_ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:(\d{1,5}))?$/;

/** The host part of `host[:port]` (brackets removed), or undefined when the address does not parse. */
export function registryHost(address: string): string | undefined {
  const match = REGISTRY_ADDRESS.exec(address);
  return match ? match[1]!.replace(/^\[|\]$/g, "") : undefined;
}

/**
 * True for a registry the Docker daemon trusts over plain HTTP without
 * configuration: `localhost` (and `*.localhost`) or a loopback address.
 */
export function isLoopbackRegistry(address: string): boolean {
  const host = registryHost(address);
  if (host === undefined) return false;
  return host === "localhost" || host.endsWith(".localhost") || isLoopback(host);
}

/** The plain fields of PushImageArgs. */
export interface PushImageFields {
  /** The registry's `host[:port]`. */
  readonly address: string;
  readonly repository: string;
  readonly tag?: string;
}

/** Every issue in a push's args, sorted by path (`registry.address`, `repository`, `tag`). */
export function validatePushImageArgs(args: PushImageFields): Issue[] {
  const issues: Issue[] = [];
  const match = REGISTRY_ADDRESS.exec(args.address);
  if (!match || (match[4] !== undefined && !isPort(Number(match[4])))) {
    issues.push(error(IssueCode.InvalidValue, "registry.address", `${quote(args.address)} is not a registry address: write host[:port] without a scheme, e.g. "localhost:5001"`));
  }
  if (!REPOSITORY.test(args.repository)) {
    const lower = args.repository.toLowerCase();
    const hint = lower !== args.repository && REPOSITORY.test(lower) ? `. Did you mean ${quote(lower)}?` : "";
    issues.push(error(IssueCode.InvalidName, "repository", `${quote(args.repository)} is not a repository name: use lowercase letters, digits and ".", "_" or "-" separators, in "/"-separated components${hint}`));
  }
  if (args.tag !== undefined && !TAG.test(args.tag)) {
    issues.push(error(IssueCode.InvalidName, "tag", `${quote(args.tag)} is not a tag: use up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`));
  }
  return sortIssues(issues);
}
