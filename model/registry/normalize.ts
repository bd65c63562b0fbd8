/**
 * Normalizing the `registries` section, and the container a registry is:
 * a {@link ServiceSpec} rendered like any service (plus its volume and
 * htpasswd upload, added by LocalRegistry). Pure.
 */
import { REGISTRY_DEFAULTS, REGISTRY_ROLE_LABEL } from "./args";
import { RawRegistry, RegistrySpec } from "./types";
import { Passthrough, Protocol, ServiceSpec } from "../types";

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Applies every default to one registry: name, image, 127.0.0.1:5001, alias "registry", retained volume `<name>-data`. */
export function normalizeRegistry(key: string, registry: RawRegistry, prefix: string): RegistrySpec {
  const dockerName = registry.name ?? (prefix ? `${prefix}-${key}` : key);
  const auth = registry.auth === true ? {} : registry.auth === false ? undefined : registry.auth;
  return {
    key,
    dockerName,
    image: registry.image ?? REGISTRY_DEFAULTS.image,
    hostIp: registry.hostIp ?? REGISTRY_DEFAULTS.hostIp,
    port: registry.port ?? REGISTRY_DEFAULTS.hostPort,
    containerPort: REGISTRY_DEFAULTS.containerPort,
    attachments: Object.entries(registry.networks ?? {}).map(([network, a]) => ({ network, aliases: [...(a.aliases ?? [REGISTRY_DEFAULTS.alias])] })),
    retainStorage: registry.retainStorage ?? true,
    volumeName: registry.volumeName ?? `${dockerName}-data`,
    ...(auth ? { auth: { username: auth.username ?? REGISTRY_DEFAULTS.username } } : {}),
    env: { ...(registry.env ?? {}) },
    labels: { ...(registry.labels ?? {}) },
  };
}

/** Every declared registry, normalized and sorted by key. */
export function normalizeRegistries(registries: Readonly<Record<string, RawRegistry>> | undefined, prefix: string): RegistrySpec[] {
  return Object.entries(registries ?? {})
    .map(([key, registry]) => normalizeRegistry(key, registry, prefix))
    .sort(byKey);
}

/** The environment a registry container gets: storage, address, deletes, htpasswd auth, then the declared env. */
export function registryEnv(spec: RegistrySpec): Record<string, Passthrough<string>> {
  return {
    REGISTRY_HTTP_ADDR: `:${spec.containerPort}`,
    REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: REGISTRY_DEFAULTS.storagePath,
    REGISTRY_STORAGE_DELETE_ENABLED: "true",
    ...(spec.auth
      ? { REGISTRY_AUTH: "htpasswd", REGISTRY_AUTH_HTPASSWD_REALM: spec.dockerName, REGISTRY_AUTH_HTPASSWD_PATH: REGISTRY_DEFAULTS.htpasswdPath }
      : {}),
    ...spec.env,
  };
}

/**
 * The registry as a service: one published port (`hostIp:port -> 5000/tcp`),
 * its networks with their aliases, restart unless-stopped, the role label.
 * No host-gateway entry: a registry calls nobody.
 */
export function registryServiceSpec(spec: RegistrySpec): ServiceSpec {
  return {
    key: spec.key,
    dockerName: spec.dockerName,
    image: spec.image,
    env: registryEnv(spec),
    ports: [{ index: 0, target: spec.containerPort, published: spec.port, hostIp: spec.hostIp, protocol: Protocol.Tcp }],
    expose: [],
    mode: spec.attachments.length > 0 ? { kind: "networks" } : { kind: "default-bridge" },
    attachments: spec.attachments.map((a) => ({ network: a.network, aliases: [...a.aliases], sharedAliases: [] })),
    extraHosts: [],
    hostGateway: false,
    dns: [],
    dnsSearch: [],
    dnsOptions: [],
    restart: "unless-stopped",
    labels: { ...spec.labels, [REGISTRY_ROLE_LABEL]: "registry" },
    privileged: false,
    capAdd: [],
    capDrop: [],
  };
}
