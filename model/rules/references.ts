import { error, Issue, IssueCode } from "../errors";
import { joinPath } from "../paths";
import { didYouMean, quote } from "../suggest";
import { NetworkModeKeyword } from "../types";
import { Rule } from "./rule";

const MODE_KEYWORDS: readonly string[] = Object.values(NetworkModeKeyword);

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
        const hint = MODE_KEYWORDS.includes(name)
          ? `. ${quote(name)} is a network mode, not a user network: use networkMode: ${name} instead`
          : didYouMean(name, declared.networks) || `. Declare it under networks.${name}`;
        issues.push(error(IssueCode.UnknownNetwork, path, `${quote(name)} is not a declared network${hint}`));
      }
    }
    return issues;
  },
};
