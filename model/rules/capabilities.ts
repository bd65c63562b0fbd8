import { DOCKER_CAPABILITIES, RECENT_CAPABILITIES } from "../docker/capabilities";
import { error, Issue, IssueCode, warning } from "../errors";
import { joinPath } from "../paths";
import { didYouMean, quote } from "../suggest";
import { Rule } from "./rule";

/** capAdd and capDrop name capabilities Docker knows (it refuses others at create: `unknown capability`). */
export const capabilities: Rule = {
  id: "capabilities",
  summary: "capAdd and capDrop name Linux capabilities Docker knows (ALL included); the newest ones are warned, older engines refuse them",
  check({ topology }) {
    const issues: Issue[] = [];
    for (const service of topology.services) {
      if (service.capAdd.length === 0 && service.capDrop.length === 0) continue; // most services
      for (const [field, list] of [["capAdd", service.capAdd], ["capDrop", service.capDrop]] as const) {
        list.forEach((cap, index) => {
          const path = joinPath("services", service.key, field, index);
          if (cap === "ALL" || DOCKER_CAPABILITIES.includes(cap)) return;
          if (RECENT_CAPABILITIES.includes(cap)) {
            issues.push(warning(IssueCode.InvalidValue, path, `${quote(cap)} is a recent capability that older engines refuse ("unknown capability"); check your engine accepts it`));
            return;
          }
          issues.push(error(IssueCode.InvalidValue, path, `${quote(cap)} is not a Linux capability Docker knows${didYouMean(cap, [...DOCKER_CAPABILITIES, ...RECENT_CAPABILITIES, "ALL"]) || `, e.g. "NET_ADMIN" or "CAP_NET_ADMIN"`}`));
        });
      }
    }
    return issues;
  },
};
