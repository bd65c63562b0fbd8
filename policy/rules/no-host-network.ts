/**
 * no-host-network: containers do not share the host's network namespace outside development stacks.
 *
 * With `networkMode: host` a container can bind any host port on any address, sees every host
 * interface, and `127.0.0.1` inside it is the host's loopback: none of the topology's isolation holds.
 */
import { allowNames, displayName, DockerType } from "../lib/docker";
import { matchesAny } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList, exemptStackPattern } from "../lib/schema";
import { stackExemption } from "../lib/stack";
import { isUnknown } from "../lib/unknown";
import { str } from "../lib/values";

export interface NoHostNetworkConfig {
  readonly exemptStackPattern: string;
  readonly allow: readonly string[];
}

export const noHostNetwork = resourceRule<NoHostNetworkConfig>({
  name: "no-host-network",
  description: "Containers do not use networkMode \"host\" outside stacks matching exemptStackPattern (default ^dev).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Attach the container to a bridge network and publish the ports it serves on a specific host address.",
  types: [DockerType.Container],
  config: {
    exemptStackPattern: exemptStackPattern("^dev"),
    allow: allowList("Containers (globs over the Docker or Pulumi name) that may use the host network in any stack."),
  },
  check: (resource, config, findings) => {
    const exempt = stackExemption("no-host-network", "exemptStackPattern", config.exemptStackPattern);
    if (exempt) return exempt;
    if (matchesAny(config.allow, allowNames(resource))) return;
    const mode = str(resource.props["networkMode"]);
    if (isUnknown(mode)) {
      findings.unknown(mode);
      return;
    }
    if (mode?.toLowerCase() !== "host") return;
    findings.violation(
      `container ${displayName(resource)} networkMode: "host" shares the host's network namespace, so the container can bind ` +
        `any host address and port. Use a bridge network and publish ports on a specific address, or allow-list ${JSON.stringify(resource.name)}`,
    );
  },
});
