/**
 * How tools and nodes find a local registry: the KEP-1755 `local-registry-hosting`
 * ConfigMap (read by Tilt, Skaffold, ctlptl) and containerd's
 * `certs.d/<host>/hosts.toml`. Pure: never imports @pulumi.
 */

/** Where KEP-1755 puts the document: ConfigMap `kube-public/local-registry-hosting`, key `localRegistryHosting.v1`. */
export const LOCAL_REGISTRY_HOSTING = {
  namespace: "kube-public",
  name: "local-registry-hosting",
  dataKey: "localRegistryHosting.v1",
} as const;

/** The KEP's own page, the default `help`. */
export const LOCAL_REGISTRY_HOSTING_HELP =
  "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry";

/** containerd's registry configuration directory on a node (`config_path`). */
export const CONTAINERD_CERTS_DIR = "/etc/containerd/certs.d";

/** The fields of KEP-1755 `LocalRegistryHostingV1`. */
export interface LocalRegistryHosting {
  /** Where tools on the host push to, e.g. `localhost:5001`. */
  readonly host: string;
  /** Where the cluster's container runtime pulls from (when it differs from `host`). */
  readonly hostFromContainerRuntime?: string;
  /** Where pods reach the registry over the cluster network, e.g. `registry:5000`. */
  readonly hostFromClusterNetwork?: string;
  /** A URL documenting how to use the registry. */
  readonly help?: string;
}

const FIELD_ORDER: readonly (keyof LocalRegistryHosting)[] = ["host", "hostFromContainerRuntime", "hostFromClusterNetwork", "help"];

/**
 * The `localRegistryHosting.v1` document: one `key: "value"` line per field that
 * is set, in the KEP's order (double-quoted: JSON strings are valid YAML).
 */
export function localRegistryHostingYaml(hosting: LocalRegistryHosting): string {
  return FIELD_ORDER.filter((field) => hosting[field] !== undefined)
    .map((field) => `${field}: ${JSON.stringify(hosting[field])}\n`)
    .join("");
}

/** `http://host` unless the address already names a scheme. */
export function withScheme(address: string, scheme: "http" | "https" = "http"): string {
  return /^[a-z]+:\/\//.test(address) ? address : `${scheme}://${address}`;
}

/**
 * containerd's `hosts.toml` for `host` (the name images are tagged with):
 * pull and resolve over plain HTTP from `endpoint` (a host:port or URL).
 * The file goes to {@link containerdHostsTomlPath}.
 */
export function containerdHostsToml(host: string, endpoint: string = host): string {
  const url = withScheme(endpoint);
  return `server = ${JSON.stringify(withScheme(host))}\n\n[host.${JSON.stringify(url)}]\n  capabilities = ["pull", "resolve"]\n`;
}

/** Where a node keeps the hosts.toml of `host`: `/etc/containerd/certs.d/<host>/hosts.toml`. */
export function containerdHostsTomlPath(host: string, dir: string = CONTAINERD_CERTS_DIR): string {
  return `${dir}/${host}/hosts.toml`;
}

/** A node's containerd configuration for one registry: where the file goes and what it says. */
export interface ContainerdHostsFile {
  readonly path: string;
  readonly content: string;
}

/** {@link containerdHostsToml} with its path. */
export function containerdHostsFile(host: string, endpoint: string = host): ContainerdHostsFile {
  return { path: containerdHostsTomlPath(host), content: containerdHostsToml(host, endpoint) };
}
