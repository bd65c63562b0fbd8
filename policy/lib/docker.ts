/** Reading Pulumi Docker provider (v5) resources: type tokens and the container fields rules decide on. */
import type { ResourceView } from "./rule";
import { isUnknown, Unknown, Value } from "./unknown";
import { Known, list, num, record, str } from "./values";

export const DockerType = {
  Container: "docker:index/container:Container",
  Network: "docker:index/network:Network",
  RegistryImage: "docker:index/registryImage:RegistryImage",
  RemoteImage: "docker:index/remoteImage:RemoteImage",
} as const;
export type DockerType = (typeof DockerType)[keyof typeof DockerType];

/** The Docker object name when it is known, else the Pulumi resource name; quoted for messages. */
export function displayName(resource: ResourceView): string {
  const name = str(resource.props["name"]);
  return JSON.stringify(typeof name === "string" ? name : resource.name);
}

/** Names an allow-list entry may match: the Docker object name (when known) and the Pulumi name. */
export function allowNames(resource: ResourceView): string[] {
  const name = str(resource.props["name"]);
  return typeof name === "string" ? [name, resource.name] : [resource.name];
}

/** One item of `ports`. `ip` and `protocol` are `undefined` when absent (the provider's defaults apply). */
export interface PortBinding {
  readonly index: number;
  readonly path: string;
  readonly internal: Known<number>;
  readonly external: Known<number>;
  readonly ip: Known<string>;
  readonly protocol: Known<string>;
}

/** The container's `ports`, the marker when the list is unknown, and the markers of unknown items. */
export function portsOf(props: { readonly [k: string]: Value }): {
  readonly ports: readonly PortBinding[];
  readonly unknown: readonly Unknown[];
} {
  const raw = props["ports"];
  if (isUnknown(raw)) return { ports: [], unknown: [raw] };
  const ports: PortBinding[] = [];
  const unknown: Unknown[] = [];
  (list(raw) ?? []).forEach((item, index) => {
    if (isUnknown(item)) {
      unknown.push(item);
      return;
    }
    const p = record(item);
    if (p === undefined) return;
    ports.push({
      index,
      path: `ports[${index}]`,
      internal: num(p["internal"]),
      external: num(p["external"]),
      ip: str(p["ip"]),
      protocol: str(p["protocol"]),
    });
  });
  return { ports, unknown };
}

/** The provider's default when `protocol` is absent. */
export function protocolOf(port: PortBinding): string | Unknown {
  if (isUnknown(port.protocol)) return port.protocol;
  return (port.protocol ?? "tcp").toLowerCase();
}

/** `8080/tcp`, or `<random>/tcp` when the host port is left to Docker. */
export function describePort(port: PortBinding): string {
  const proto = typeof port.protocol === "string" ? port.protocol.toLowerCase() : "tcp";
  const ext = typeof port.external === "number" ? String(port.external) : isUnknown(port.external) ? "<unknown>" : "<random>";
  const int = typeof port.internal === "number" ? ` -> ${port.internal}` : "";
  return `${ext}/${proto}${int}`;
}

/**
 * A list of `{key, value}` pairs (Docker `labels`) or `K=V` strings (Docker `envs`) read into a map.
 * `unknown` holds markers for the list or for entries whose key could not be read; an entry whose key
 * is known but value is not maps to its marker.
 */
export interface KeyValues {
  readonly values: ReadonlyMap<string, string | Unknown>;
  readonly unknown: readonly Unknown[];
}

export function labelsOf(props: { readonly [k: string]: Value }): KeyValues {
  const raw = props["labels"];
  if (isUnknown(raw)) return { values: new Map(), unknown: [raw] };
  const values = new Map<string, string | Unknown>();
  const unknown: Unknown[] = [];
  for (const item of list(raw) ?? []) {
    if (isUnknown(item)) {
      unknown.push(item);
      continue;
    }
    const entry = record(item);
    if (entry === undefined) continue;
    const key = str(entry["label"]);
    const value = str(entry["value"]);
    if (isUnknown(key)) unknown.push(key);
    else if (key !== undefined) values.set(key, value ?? "");
  }
  return { values, unknown };
}

export function envsOf(props: { readonly [k: string]: Value }): KeyValues {
  const raw = props["envs"];
  if (isUnknown(raw)) return { values: new Map(), unknown: [raw] };
  const values = new Map<string, string | Unknown>();
  const unknown: Unknown[] = [];
  for (const item of list(raw) ?? []) {
    const text = str(item);
    if (isUnknown(text)) {
      unknown.push(text);
      continue;
    }
    if (text === undefined) continue;
    const eq = text.indexOf("=");
    if (eq < 0) values.set(text, "");
    else values.set(text.slice(0, eq), text.slice(eq + 1));
  }
  return { values, unknown };
}

/** The label that marks a container as a local registry. */
export const REGISTRY_ROLE_LABEL = "container-topology.io/role";
export const REGISTRY_ROLE_VALUE = "registry";

/**
 * Whether a container is a local registry: its labels include `container-topology.io/role=registry`.
 * Returns the markers to report when that cannot be decided (and no known label says so).
 */
export function isRegistry(props: { readonly [k: string]: Value }): boolean | readonly Unknown[] {
  const labels = labelsOf(props);
  const role = labels.values.get(REGISTRY_ROLE_LABEL);
  if (role === REGISTRY_ROLE_VALUE) return true;
  const unknown = [...labels.unknown, ...(isUnknown(role) ? [role] : [])];
  return unknown.length > 0 ? unknown : false;
}
