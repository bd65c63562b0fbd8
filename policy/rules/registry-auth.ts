/**
 * registry-auth: local registries require authentication outside development stacks.
 *
 * A registry without auth lets anything that reaches it push an image under a tag the cluster or the
 * other containers pull, which is code execution on every consumer.
 *
 * A registry is a Docker container labelled `container-topology.io/role=registry` (what
 * LocalRegistry renders); it has auth when its envs set `REGISTRY_AUTH` to one of `methods`.
 */
import { allowNames, displayName, DockerType, envsOf, isRegistry } from "../lib/docker";
import { matchesAny } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList, exemptStackPattern } from "../lib/schema";
import { stackExemption } from "../lib/stack";
import { isUnknown } from "../lib/unknown";

export interface RegistryAuthConfig {
  readonly exemptStackPattern: string;
  readonly methods: readonly string[];
  readonly allow: readonly string[];
}

export const registryAuth = resourceRule<RegistryAuthConfig>({
  name: "registry-auth",
  description:
    "Registry containers (label container-topology.io/role=registry) set REGISTRY_AUTH (htpasswd) outside stacks matching exemptStackPattern (default ^dev).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Turn on auth for the registry (REGISTRY_AUTH=htpasswd with REGISTRY_AUTH_HTPASSWD_REALM and REGISTRY_AUTH_HTPASSWD_PATH).",
  types: [DockerType.Container],
  config: {
    exemptStackPattern: exemptStackPattern("^dev"),
    methods: {
      type: "array",
      items: { type: "string", minLength: 1 },
      default: ["htpasswd"],
      description: "REGISTRY_AUTH values that count as authentication.",
    },
    allow: allowList("Registry containers (globs over the Docker or Pulumi name) that may run without auth."),
  },
  check: (resource, config, findings) => {
    const exempt = stackExemption("registry-auth", "exemptStackPattern", config.exemptStackPattern);
    if (exempt) return exempt;
    if (matchesAny(config.allow, allowNames(resource))) return;
    const registry = isRegistry(resource.props);
    if (registry === false) return;
    if (registry !== true) {
      registry.forEach((u) => findings.unknown(u));
      return;
    }
    const envs = envsOf(resource.props);
    const auth = envs.values.get("REGISTRY_AUTH");
    if (isUnknown(auth)) {
      findings.unknown(auth);
      return;
    }
    if (auth !== undefined && config.methods.includes(auth)) return;
    if (auth === undefined && envs.unknown.length > 0) {
      envs.unknown.forEach((u) => findings.unknown(u));
      return;
    }
    const problem = auth === undefined ? "has no REGISTRY_AUTH in envs" : `sets REGISTRY_AUTH=${auth}, which is not one of ${config.methods.join(", ")}`;
    findings.violation(
      `container ${displayName(resource)} envs: the registry ${problem}, so anyone who reaches it can push images. ` +
        `Set REGISTRY_AUTH=htpasswd (LocalRegistry auth), or allow-list ${JSON.stringify(resource.name)}`,
    );
  },
});
