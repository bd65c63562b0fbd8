/**
 * The `registries` section of a topology: local image registries (registry:2
 * containers with storage on a named volume). Pure types.
 */
import type { Passthrough } from "../types";

/** htpasswd authentication of a local registry; the password comes from @pulumi/random. */
export interface RegistryAuthDeclaration {
  /** @default "registry" */
  readonly username?: string;
}

/** How a registry joins one network. */
export interface RegistryAttachmentDeclaration {
  /** DNS names of the registry on this network. @default ["registry"] */
  readonly aliases?: readonly string[];
}

/** A local registry container (`docker run -d -p 127.0.0.1:5001:5000 -v data:/var/lib/registry registry:2`). */
export interface RegistryDeclaration {
  /** The host it runs on (`hosts.<key>`). @default - the only host */
  readonly host?: string;
  /** Registry image (distribution's `registry:2` or compatible). May be a pulumi Output. @default "registry:2" */
  readonly image?: Passthrough<string>;
  /** Docker container name. @default `<namePrefix>-<key>` */
  readonly name?: string;
  /** Host port the registry is published on (5000 is taken by AirPlay on macOS). 1-65535. @default 5001 */
  readonly port?: number;
  /** Host address to bind. Beyond loopback, Docker daemons need it under insecure-registries. @default "127.0.0.1" */
  readonly hostIp?: string;
  /**
   * Networks to join so containers reach the registry as `<alias>:5000`: a list
   * of keys or a map key -> `{aliases}`.
   * @default - none (Docker's default bridge: reachable from the host only)
   */
  readonly networks?: readonly string[] | Readonly<Record<string, RegistryAttachmentDeclaration | null>>;
  /** Keeps the storage volume when the registry is destroyed (it always survives a replacement of the container). @default true */
  readonly retainStorage?: boolean;
  /** Name of the storage volume. @default `<container name>-data` */
  readonly volumeName?: string;
  /** htpasswd auth with a generated password (`true` for the default user). @default false */
  readonly auth?: boolean | RegistryAuthDeclaration;
  /** Extra environment (`REGISTRY_*` overrides the image's config); values may be pulumi Outputs. */
  readonly env?: Readonly<Record<string, Passthrough<string>>>;
  /** Container and volume labels (`container-topology.io/role=registry` is always added). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A registry after parsing: networks as a map. */
export interface RawRegistry extends Omit<RegistryDeclaration, "networks"> {
  readonly networks?: Readonly<Record<string, RegistryAttachmentDeclaration>>;
}

/** A normalized registry network attachment. */
export interface RegistryAttachmentSpec {
  readonly network: string;
  /** Declared aliases, or `["registry"]`. */
  readonly aliases: readonly string[];
}

/** A normalized registry. */
export interface RegistrySpec {
  readonly key: string;
  /** Its host (`hosts.<key>`); undefined on a single implicit host. */
  readonly host?: string;
  readonly dockerName: string;
  readonly image: Passthrough<string>;
  readonly hostIp: string;
  readonly port: number;
  /** The port the registry listens on inside its container (5000). */
  readonly containerPort: number;
  readonly attachments: readonly RegistryAttachmentSpec[];
  readonly retainStorage: boolean;
  readonly volumeName: string;
  /** Present when auth is on. */
  readonly auth?: { readonly username: string };
  readonly env: Readonly<Record<string, Passthrough<string>>>;
  readonly labels: Readonly<Record<string, string>>;
}
