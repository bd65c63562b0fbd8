import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { serviceEndpoints, ServiceEndpoint } from "../../model/docker/endpoints";
import { sortIssues } from "../../model/errors";
import { normalizeTopology } from "../../model/normalize";
import { parseDeclaration } from "../../model/parse";
import { joinPath } from "../../model/paths";
import { REGISTRY_DEFAULTS } from "../../model/registry/args";
import { containerdHostsToml, LOCAL_REGISTRY_HOSTING_HELP, LocalRegistryHosting } from "../../model/registry/hosting";
import { registryServiceSpec } from "../../model/registry/normalize";
import { RegistryDeclaration, RegistrySpec } from "../../model/registry/types";
import { validateTopology } from "../../model/validate";
import { DockerNetworkResource, VALIDATED_SPEC } from "./network-resource";
import type { ImageRegistry, RegistryPushEndpoint } from "./registry-image";
import { reportObserved } from "../observe";
import { containerInputs, containerOptions } from "./render-container";
import { MANAGED_LABEL } from "./render-network";
import { defaultDockerName, reportIssues } from "./validation";

/** Joining a network with aliases. */
export interface LocalRegistryNetworkAttachment {
  /** The network to join (any network component of this library). */
  readonly network: DockerNetworkResource;
  /** DNS names of the registry on this network. @default ["registry"] */
  readonly aliases?: readonly string[];
}

/**
 * Arguments of {@link LocalRegistry}: a registry declaration whose networks are
 * components, so the dependencies are real.
 */
export interface LocalRegistryArgs extends Omit<RegistryDeclaration, "networks"> {
  /**
   * Networks to join, so containers reach the registry as `<alias>:5000`
   * (alias "registry" unless given). The registry also answers to its resource name.
   * @default [] (the default bridge: reachable from the host only)
   */
  readonly networks?: readonly (DockerNetworkResource | LocalRegistryNetworkAttachment)[];
}

/** Internal: a registry Topology has already validated. */
interface ValidatedRegistry {
  readonly [VALIDATED_SPEC]: { readonly spec: RegistrySpec; readonly gateway: string; readonly networks: readonly DockerNetworkResource[] };
}

/** The generated credentials of a registry with auth on. */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

function isAttachment(entry: DockerNetworkResource | LocalRegistryNetworkAttachment): entry is LocalRegistryNetworkAttachment {
  return !(entry instanceof DockerNetworkResource);
}

/**
 * A local image registry: a `registry:2` container published on
 * `127.0.0.1:5001` (5000 is taken by AirPlay on macOS), its storage on a named
 * volume that survives replacement of the container (and, unless
 * `retainStorage: false`, its destruction), on chosen networks under the alias
 * `registry`, optionally behind htpasswd auth with a password from
 * @pulumi/random (stable across runs; exposed as secret outputs).
 *
 * @example
 * ```ts
 * const kind = new BridgeNetwork("kind", { name: "kind" });
 * const registry = new LocalRegistry("registry", { networks: [{ network: kind }], auth: true });
 * export const push = registry.hostAddress;           // docker push 127.0.0.1:5001/app
 * export const pull = registry.containerAddress;      // registry:5000 from containers on kind
 * export const credentials = registry.credentials;    // secret
 * ```
 */
export class LocalRegistry extends pulumi.ComponentResource implements ImageRegistry {
  /** The registry container. */
  public readonly container: docker.Container;
  /** The container's Docker name. */
  public readonly containerName: pulumi.Output<string>;
  /** The storage volume (retained on delete unless `retainStorage: false`). */
  public readonly volume: docker.Volume;
  /** The generated password, when auth is on. */
  public readonly password?: random.RandomPassword;
  /** `{username, password}` (secret), when auth is on. */
  public readonly credentials?: pulumi.Output<RegistryCredentials>;
  /** The normalized registry, every default applied. */
  public readonly spec: RegistrySpec;
  /** What the host pushes to: `127.0.0.1:5001` (`localhost:<port>` for a wildcard bind). */
  public readonly hostAddress: string;
  /** What containers on its networks pull from: `registry:5000`; undefined without networks. */
  public readonly containerAddress?: string;
  /** The KEP-1755 fields (for a `local-registry-hosting` ConfigMap). */
  public readonly localRegistryHosting: LocalRegistryHosting;
  /** containerd's `certs.d/<hostAddress>/hosts.toml` for cluster nodes on the registry's network (kind). */
  public readonly containerdHostsToml: string;
  /** The published port, as every service's endpoints. */
  public readonly endpoints: ServiceEndpoint[];
  /** How {@link pushImage} reaches this registry. */
  public readonly pushEndpoint: RegistryPushEndpoint;

  constructor(name: string, args: LocalRegistryArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:docker:LocalRegistry", name, {}, opts);
    const validated = (args as LocalRegistryArgs | ValidatedRegistry) as Partial<ValidatedRegistry>;
    const resolved = validated[VALIDATED_SPEC] ?? this.check(name, args);
    const spec = resolved.spec;
    this.spec = spec;
    if (validated[VALIDATED_SPEC] === undefined) reportObserved({ kind: "registry", spec });
    const service = registryServiceSpec(spec);
    const labels = { ...service.labels, [MANAGED_LABEL]: "true" };

    this.volume = new docker.Volume(
      `${name}-data`,
      { name: spec.volumeName, labels: Object.entries(labels).map(([label, value]) => ({ label, value })) },
      // The images live here: they outlive the container, and the registry itself unless asked otherwise.
      { parent: this, retainOnDelete: spec.retainStorage, deleteBeforeReplace: true },
    );

    let uploads: docker.types.input.ContainerUpload[] = [];
    if (spec.auth) {
      const username = spec.auth.username;
      this.password = new random.RandomPassword(
        `${name}-password`,
        // Keepers are plain values: the password (and its bcrypt hash) change only with the registry or the user.
        { length: 32, special: false, keepers: { registry: spec.dockerName, username } },
        { parent: this },
      );
      // registry:2 accepts bcrypt only; the provider computes the hash once and keeps it in state.
      const htpasswd = pulumi.secret(pulumi.interpolate`${username}:${this.password.bcryptHash}\n`);
      uploads = [{ file: REGISTRY_DEFAULTS.htpasswdPath, content: htpasswd, permissions: "0644" }];
      this.credentials = pulumi.secret(pulumi.output({ username, password: this.password.result }));
    }

    const networkNames = new Map(resolved.networks.map((n) => [n.spec.key, n.networkName] as const));
    this.container = new docker.Container(
      name,
      {
        ...containerInputs(service, { networkNames }),
        volumes: [{ volumeName: this.volume.name, containerPath: REGISTRY_DEFAULTS.storagePath }],
        ...(uploads.length > 0 ? { uploads } : {}),
      },
      {
        ...containerOptions(service),
        parent: this,
        // The name and the host port are unique handles: the old container must go first.
        deleteBeforeReplace: true,
        replaceWith: [...resolved.networks.flatMap((n) => (n.network ? [n.network] : [])), this.volume],
      },
    );
    this.containerName = this.container.name;

    this.endpoints = serviceEndpoints(service, resolved.gateway, [], resolved.networks.map((n) => n.spec));
    this.hostAddress = this.endpoints[0]!.hostAddress!;
    const first = spec.attachments[0];
    if (first) this.containerAddress = `${first.aliases[0] ?? spec.key}:${spec.containerPort}`;
    this.localRegistryHosting = {
      host: this.hostAddress,
      hostFromContainerRuntime: this.containerAddress ?? this.hostAddress,
      ...(this.containerAddress ? { hostFromClusterNetwork: this.containerAddress } : {}),
      help: LOCAL_REGISTRY_HOSTING_HELP,
    };
    this.containerdHostsToml = containerdHostsToml(this.hostAddress, this.containerAddress ?? this.hostAddress);
    const password = this.credentials?.apply((c) => c.password);
    this.pushEndpoint = {
      address: this.hostAddress,
      plainHttp: true,
      ...(spec.auth ? { username: spec.auth.username } : {}),
      ...(password ? { password } : {}),
      dependsOn: [this.container],
    };
    this.registerOutputs({
      containerName: this.containerName,
      hostAddress: this.hostAddress,
      containerAddress: this.containerAddress,
      localRegistryHosting: this.localRegistryHosting,
      credentials: this.credentials,
    });
  }

  private check(name: string, args: LocalRegistryArgs): ValidatedRegistry[typeof VALIDATED_SPEC] {
    const entries = args.networks ?? [];
    const networks = entries.map((e) => (isAttachment(e) ? e.network : e));
    const attachments = Object.fromEntries(
      entries.map((e) => (isAttachment(e) ? [e.network.spec.key, e.aliases ? { aliases: e.aliases } : {}] : [e.spec.key, {}])),
    );
    const { networks: _ignored, ...rest } = args;
    const declaration = { ...rest, name: args.name ?? defaultDockerName(name), ...(entries.length > 0 ? { networks: attachments } : {}) };
    const parsed = parseDeclaration({ registries: { [name]: declaration } });
    const normalized = normalizeTopology(parsed.raw);
    const topology = { ...normalized, networks: networks.map((n) => n.spec) };
    const declared = { networks: new Set(networks.map((n) => n.spec.key)), services: new Set<string>() };
    const issues = sortIssues([...parsed.issues, ...validateTopology(topology, declared)]);
    reportIssues(this, `LocalRegistry "${name}"`, `${joinPath("registries", name)}.`, issues);
    const spec = normalized.registries.find((r) => r.key === name) ?? normalized.registries[0]!;
    return { spec, gateway: normalized.defaultBridge.gateway, networks };
  }
}
