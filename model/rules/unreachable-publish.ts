import { Issue, IssueCode, warning } from "../errors";
import { joinPath } from "../paths";
import { NetworkSpec } from "../types";
import { Rule } from "./rule";

/** Why Docker publishes nothing from a network, or undefined when it does. */
function publishesNothing(network: NetworkSpec): string | undefined {
  if (network.internal) return "internal";
  if (network.driver === "macvlan" || network.driver === "ipvlan") return network.driver;
  return undefined;
}

/**
 * Ports published by a container that sits only on internal, macvlan or ipvlan networks: Docker
 * accepts them and publishes nothing (no host-side NAT from those networks), so nothing can reach
 * them. A warning, not an error like ports in host and none modes: Docker creates the container
 * and nothing else fails, and tests/e2e measures exactly this case through the real pipeline.
 */
export const unreachablePublish: Rule = {
  id: "unreachable-publish",
  summary: "no published ports on a container that sits only on internal, macvlan or ipvlan networks (Docker publishes nothing from them)",
  check({ topology, networks }) {
    const issues: Issue[] = [];
    for (const service of topology.services) {
      if (service.mode.kind !== "networks" || service.ports.length === 0 || service.attachments.length === 0) continue;
      const kinds = service.attachments.map((a) => networks.get(a.network)).map((n) => (n ? publishesNothing(n) : undefined));
      if (kinds.some((k) => k === undefined)) continue;
      const which = service.attachments.map((a, i) => `networks.${a.network} (${kinds[i]})`).join(", ");
      issues.push(
        warning(
          IssueCode.NetworkModeConflict,
          joinPath("services", service.key, "ports"),
          `Docker publishes nothing for a container only on ${which}: these ports could not be reached. Also join a bridge network that is not internal, or remove ports`,
        ),
      );
    }
    return issues;
  },
};
