/**
 * no-privileged: containers do not run privileged.
 *
 * A privileged container has every capability and every host device, and can leave its namespaces:
 * it is root on the host.
 */
import { allowNames, displayName, DockerType } from "../lib/docker";
import { matchesAny } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";
import { bool } from "../lib/values";

export interface NoPrivilegedConfig {
  readonly allow: readonly string[];
}

export const noPrivileged = resourceRule<NoPrivilegedConfig>({
  name: "no-privileged",
  description: "Containers do not set privileged: true.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Remove privileged and add only the capabilities or devices the container needs.",
  types: [DockerType.Container],
  config: {
    allow: allowList("Containers (globs over the Docker or Pulumi name) that may run privileged."),
  },
  check: (resource, config, findings) => {
    if (matchesAny(config.allow, allowNames(resource))) return;
    const privileged = bool(resource.props["privileged"]);
    if (isUnknown(privileged)) {
      findings.unknown(privileged);
      return;
    }
    if (privileged !== true) return;
    findings.violation(
      `container ${displayName(resource)} privileged: true gives the container every capability and host device. ` +
        `Add only the capabilities it needs (capabilities.adds), or allow-list ${JSON.stringify(resource.name)}`,
    );
  },
});
