/**
 * no-dangerous-capabilities: containers do not add NET_ADMIN, SYS_ADMIN (or ALL) unless allow-listed.
 *
 * NET_ADMIN lets a container rewrite routes, iptables and interfaces of its network namespace (and the
 * host's, with host networking); SYS_ADMIN is close to root (mounts, namespaces, BPF).
 */
import { allowNames, displayName, DockerType } from "../lib/docker";
import { matchesAny, splitEntry } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";
import { list, record, str } from "../lib/values";

export interface NoDangerousCapabilitiesConfig {
  readonly capabilities: readonly string[];
  readonly allow: readonly string[];
}

/** `cap_net_admin` -> `NET_ADMIN`. */
function normalizeCapability(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, "");
}

export const noDangerousCapabilities = resourceRule<NoDangerousCapabilitiesConfig>({
  name: "no-dangerous-capabilities",
  description: "Containers do not add the capabilities listed in config (default NET_ADMIN, SYS_ADMIN, ALL).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Drop the capability, or allow-list it for that container with \"<container>:<CAPABILITY>\".",
  types: [DockerType.Container],
  config: {
    capabilities: {
      type: "array",
      items: { type: "string", minLength: 1 },
      default: ["NET_ADMIN", "SYS_ADMIN", "ALL"],
      description: "Capabilities a container may not add (case-insensitive, with or without CAP_).",
    },
    allow: allowList(
      'Entries "<container>" (any capability) or "<container>:<CAPABILITY>"; <container> is a glob over the Docker or Pulumi name.',
    ),
  },
  check: (resource, config, findings) => {
    const names = allowNames(resource);
    const entries = config.allow.map(splitEntry).filter((e) => matchesAny([e.subject], names));
    if (entries.some((e) => e.detail === undefined)) return;
    const allowedCaps = new Set(entries.map((e) => normalizeCapability(e.detail ?? "")));
    const denied = new Set(config.capabilities.map(normalizeCapability));

    const capabilities = resource.props["capabilities"];
    if (isUnknown(capabilities)) {
      findings.unknown(capabilities);
      return;
    }
    const adds = record(capabilities)?.["adds"];
    if (isUnknown(adds)) {
      findings.unknown(adds);
      return;
    }
    (list(adds) ?? []).forEach((item, i) => {
      const cap = str(item);
      if (isUnknown(cap)) {
        findings.unknown(cap);
        return;
      }
      if (cap === undefined) return;
      const name = normalizeCapability(cap);
      if (!denied.has(name) || allowedCaps.has(name)) return;
      findings.violation(
        `container ${displayName(resource)} capabilities.adds[${i}]: ${JSON.stringify(cap)} is not allowed ` +
          `(denied: ${[...denied].join(", ")}). Drop it, or allow-list ${JSON.stringify(`${resource.name}:${name}`)}`,
      );
    });
  },
});
