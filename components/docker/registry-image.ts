import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { isLoopbackRegistry, validatePushImageArgs } from "../../model/registry/args";
import { withScheme } from "../../model/registry/hosting";
import { reportIssues } from "./validation";

/** How to reach a registry to push: what LocalRegistry and ClusterRegistry expose as `pushEndpoint`. */
export interface RegistryPushEndpoint {
  /** `host[:port]` images are tagged with, e.g. `127.0.0.1:5001`. */
  readonly address: string;
  /**
   * The registry speaks plain HTTP (no TLS). Carried to the provider as an
   * `http://` auth address, so the digest lookups of push, refresh and delete
   * use HTTP too. The Docker daemon itself pushes over HTTP only to loopback
   * registries and to those listed under `insecure-registries`.
   * @default - true for `localhost` and loopback addresses, false otherwise
   */
  readonly plainHttp?: boolean;
  /** User for basic auth. @default - anonymous */
  readonly username?: pulumi.Input<string>;
  /** Password for basic auth. */
  readonly password?: pulumi.Input<string>;
  /** What must be up before pushing (the registry container or Deployment). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** A registry component: anything with a `pushEndpoint` (LocalRegistry, ClusterRegistry). */
export interface ImageRegistry {
  readonly pushEndpoint: RegistryPushEndpoint;
}

/** The image to push: a local image name or ID, or a docker.Image / docker.RemoteImage. */
export type PushImageSource = pulumi.Input<string> | docker.Image | docker.RemoteImage;

/** Arguments of {@link pushImage} / {@link PushedImage}. */
export interface PushImageArgs {
  /** The local image: a name such as `app:dev`, an image ID, or a docker.Image / docker.RemoteImage. */
  readonly image: PushImageSource;
  /** Where to push: a LocalRegistry, a ClusterRegistry, or an endpoint `{address, plainHttp, username, password}`. */
  readonly registry: ImageRegistry | RegistryPushEndpoint;
  /** Repository path in the registry, e.g. `team/app` (lowercase). */
  readonly repository: string;
  /** @default "latest" */
  readonly tag?: string;
  /** Leaves the image in the registry when this resource is destroyed. @default true */
  readonly keepRemotely?: boolean;
  /** Values that force a new push when they change (e.g. a build hash). */
  readonly triggers?: Readonly<Record<string, pulumi.Input<string>>>;
}

function endpointOf(registry: ImageRegistry | RegistryPushEndpoint): RegistryPushEndpoint {
  return "pushEndpoint" in registry ? registry.pushEndpoint : registry;
}

function source(image: PushImageSource): { name: pulumi.Input<string>; id?: pulumi.Input<string> } {
  if (docker.RemoteImage.isInstance(image)) return { name: image.name, id: image.imageId };
  if (docker.Image.isInstance(image)) return { name: image.imageName };
  return { name: image as pulumi.Input<string> };
}

/**
 * Tags a local image as `<registry>/<repository>:<tag>` (docker.Tag) and pushes
 * it (docker.RegistryImage), with the registry's credentials and its plain-HTTP
 * setting. The push waits for the registry to be up.
 *
 * @example
 * ```ts
 * const registry = new LocalRegistry("registry", {});
 * const app = pushImage("app", { image: "app:dev", registry, repository: "team/app", tag: "1.0" });
 * export const image = app.reference; // 127.0.0.1:5001/team/app:1.0
 * ```
 */
export class PushedImage extends pulumi.ComponentResource {
  /** The local tag `<registry>/<repository>:<tag>`. */
  public readonly tag: docker.Tag;
  /** The pushed image. */
  public readonly image: docker.RegistryImage;
  /** `<registry>/<repository>:<tag>`, what to pull. */
  public readonly reference: string;
  /** The manifest digest in the registry. */
  public readonly digest: pulumi.Output<string>;
  /** `<registry>/<repository>@<digest>`, an immutable reference. */
  public readonly repoDigest: pulumi.Output<string>;

  constructor(name: string, args: PushImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:docker:PushedImage", name, {}, opts);
    const endpoint = endpointOf(args.registry);
    const tag = args.tag ?? "latest";
    reportIssues(this, `PushedImage "${name}"`, "", validatePushImageArgs({ address: endpoint.address, repository: args.repository, ...(args.tag !== undefined ? { tag: args.tag } : {}) }));
    const plainHttp = endpoint.plainHttp ?? isLoopbackRegistry(endpoint.address);
    const from = source(args.image);
    const repository = `${endpoint.address}/${args.repository}`;
    this.reference = `${repository}:${tag}`;
    this.tag = new docker.Tag(
      `${name}-tag`,
      { sourceImage: from.name, targetImage: this.reference, ...(from.id !== undefined ? { tagTriggers: [from.id] } : {}) },
      { parent: this },
    );
    this.image = new docker.RegistryImage(
      name,
      {
        name: this.tag.targetImage,
        keepRemotely: args.keepRemotely ?? true,
        // A plain-HTTP registry has no certificate to verify; the scheme of the auth address makes the provider use HTTP.
        insecureSkipVerify: plainHttp,
        authConfig: {
          address: withScheme(endpoint.address, plainHttp ? "http" : "https"),
          ...(endpoint.username !== undefined ? { username: endpoint.username } : {}),
          ...(endpoint.password !== undefined ? { password: pulumi.secret(endpoint.password) } : {}),
        },
        triggers: { sourceImageId: this.tag.sourceImageId, ...(args.triggers ?? {}) },
      },
      { parent: this, dependsOn: [this.tag, ...(endpoint.dependsOn ?? [])] },
    );
    this.digest = this.image.sha256Digest;
    this.repoDigest = pulumi.interpolate`${repository}@${this.image.sha256Digest}`;
    this.registerOutputs({ reference: this.reference, digest: this.digest, repoDigest: this.repoDigest });
  }
}

/** Tags and pushes a local image to a registry: a {@link PushedImage}. */
export function pushImage(name: string, args: PushImageArgs, opts?: pulumi.ComponentResourceOptions): PushedImage {
  return new PushedImage(name, args, opts);
}
