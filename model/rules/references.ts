import { error, Issue, IssueCode } from "../errors";
import { joinPath } from "../paths";
import { didYouMean, quote } from "../suggest";
import { NetworkModeKeyword } from "../types";
import { Rule } from "./rule";

const MODE_KEYWORDS: readonly string[] = Object.values(NetworkModeKeyword);

/**
 * Static addresses and aliases on Docker's default bridge: Docker refuses both there ("user specified
 * IP address is supported on user defined networks only"; aliases need a user-defined network), so
 * `networkMode: bridge` would not do either. Say how to write a network of one's own instead.
 */
function defaultBridgeHint(service: string, attachment: { ipv4Address?: string; ipv6Address?: string; aliases: readonly string[] }): string {
  const wanted = [
    ...(attachment.ipv4Address !== undefined ? [`ipv4Address: ${attachment.ipv4Address}`] : []),
    ...(attachment.ipv6Address !== undefined ? [`ipv6Address: ${attachment.ipv6Address}`] : []),
    ...(attachment.aliases.length > 0 ? [`aliases: [${attachment.aliases.join(", ")}]`] : []),
  ];
  const what = attachment.aliases.length > 0 && wanted.length === 1 ? "aliases" : "static addresses and aliases";
  return `. It is Docker's default bridge, where ${what} are refused: they need a user-defined network. Declare one, e.g. networks: {app: {subnet: "172.30.0.0/24"}}, and join it: services.${service}.networks: {app: {${wanted.join(", ")}}} (an address must lie in that subnet)`;
}

/** Every network a service joins is declared under `networks`. */
export const references: Rule = {
  id: "references",
  summary: "every network a service joins is declared under networks",
  check({ topology, networks, declared }) {
    const issues: Issue[] = [];
    for (const service of topology.services) {
      for (const attachment of service.attachments) {
        const name = attachment.network;
        // A declared network whose own shape is broken is already reported there.
        if (networks.has(name) || declared.networks.has(name)) continue;
        const path = joinPath("services", service.key, "networks", name);
        const hint = name === "bridge" && (attachment.ipv4Address !== undefined || attachment.ipv6Address !== undefined || attachment.aliases.length > 0)
          ? defaultBridgeHint(service.key, attachment)
          : MODE_KEYWORDS.includes(name)
            ? `. ${quote(name)} is a network mode, not a user network: use networkMode: ${name} instead`
            : didYouMean(name, declared.networks) || `. Declare it under networks.${name}`;
        issues.push(error(IssueCode.UnknownNetwork, path, `${quote(name)} is not a declared network${hint}`));
      }
    }
    return issues;
  },
};
