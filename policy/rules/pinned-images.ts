/**
 * pinned-images: image references name a fixed tag or digest, never `:latest` or no tag at all.
 *
 * A reference without a tag means `:latest`, and a mutable tag changes under the stack: two
 * `pulumi up` runs of the same commit can start different code, and a rollback is not one.
 */
import { DockerType } from "../lib/docker";
import { parseImageRef } from "../lib/image";
import { knownContainers, WORKLOAD_TYPES, workloadName } from "../lib/kubernetes";
import { matchesAny } from "../lib/match";
import { Findings, resourceRule, ResourceView } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown, Value } from "../lib/unknown";
import { at, str } from "../lib/values";

export interface PinnedImagesConfig {
  readonly mutableTags: readonly string[];
  readonly requireDigest: boolean;
  readonly allow: readonly string[];
}

/** The image field each Docker type carries. */
const imageField: Readonly<Record<string, string>> = {
  [DockerType.Container]: "image",
  [DockerType.RemoteImage]: "name",
  [DockerType.RegistryImage]: "name",
};

function checkRef(owner: string, path: string, value: Value | undefined, config: PinnedImagesConfig, findings: Findings): void {
  const ref = str(value);
  if (isUnknown(ref)) {
    findings.unknown(ref);
    return;
  }
  if (ref === undefined || ref.trim() === "") return;
  const image = parseImageRef(ref);
  if (image.isId || matchesAny(config.allow, [ref, image.repository])) return;
  const at = `${owner} ${path}: ${JSON.stringify(ref)}`;
  if (image.digest !== undefined) return;
  const mutable = new Set(config.mutableTags.map((t) => t.toLowerCase()));
  if (image.tag === undefined) {
    findings.violation(`${at} has no tag, so it means :latest and changes whenever the tag moves. Pin a version tag or a digest (@sha256:...)`);
  } else if (mutable.has(image.tag.toLowerCase())) {
    findings.violation(`${at} uses the mutable tag :${image.tag}. Pin a version tag or a digest (@sha256:...)`);
  } else if (config.requireDigest) {
    findings.violation(`${at} is not pinned by digest (requireDigest is on). Append @sha256:<digest>`);
  }
}

function checkWorkload(resource: ResourceView, config: PinnedImagesConfig, findings: Findings): void {
  for (const c of knownContainers(resource, findings)) {
    checkRef(workloadName(resource), `${c.path}.image`, at(c.value, "image"), config, findings);
  }
}

export const pinnedImages = resourceRule<PinnedImagesConfig>({
  name: "pinned-images",
  description: "Image references (Docker containers and images, Kubernetes pod templates) carry a version tag or digest, never :latest or no tag.",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps: "Use image:1.2.3 or image@sha256:<digest>.",
  types: [...Object.keys(imageField), ...WORKLOAD_TYPES],
  config: {
    mutableTags: {
      type: "array",
      items: { type: "string", minLength: 1 },
      default: ["latest"],
      description: "Tags that move and so do not pin an image (case-insensitive).",
    },
    requireDigest: {
      type: "boolean",
      default: false,
      description: "Also report references pinned only by a tag, without @sha256 digest.",
    },
    allow: allowList('Image references or repositories (globs, e.g. "localhost:5001/*") left out of the check.'),
  },
  check: (resource, config, findings) => {
    const field = imageField[resource.type];
    if (field === undefined) {
      checkWorkload(resource, config, findings);
      return;
    }
    const owner = resource.type === DockerType.Container ? "container" : "image";
    const name = str(resource.props["name"]);
    const label = typeof name === "string" && resource.type === DockerType.Container ? name : resource.name;
    checkRef(`${owner} ${JSON.stringify(label)}`, field, resource.props[field], config, findings);
  },
});
