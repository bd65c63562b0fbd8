import { error, Issue, IssueCode } from "../errors";
import { joinPath } from "../paths";
import { quote } from "../suggest";
import { Rule } from "./rule";

/** A DNS label sequence as Docker's embedded DNS resolves it. */
const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*$/;

/** True when the name is a valid DNS name (labels of letters, digits, `-` and `_`, separated by dots). */
export function isDnsName(name: string): boolean {
  return name.length <= 253 && DNS_NAME.test(name) && name.split(".").every((label) => label.length <= 63);
}

interface Claim {
  readonly service: string;
  readonly shared: boolean;
}

/**
 * On one network, a name resolves to one service. Docker accepts the same alias on
 * two containers and answers with both in turn, which is almost always a mistake:
 * round robin must be asked for with `sharedAliases` on every member.
 */
export const aliases: Rule = {
  id: "aliases",
  summary: "aliases are DNS names and resolve to one service per network, unless every user lists them in sharedAliases",
  check({ topology }) {
    const issues: Issue[] = [];
    const claims = new Map<string, Claim>();
    // Service keys are aliases too (as in compose), so claim them first: an explicit alias never shadows a service.
    for (const service of topology.services) {
      for (const attachment of service.attachments) claims.set(`${attachment.network}|${service.key}`, { service: service.key, shared: false });
    }
    for (const service of topology.services) {
      for (const attachment of service.attachments) {
        for (const shared of [false, true]) {
          const field = shared ? "sharedAliases" : "aliases";
          const names = shared ? attachment.sharedAliases : attachment.aliases;
          for (let index = 0; index < names.length; index++) {
            const alias = names[index]!;
            // The path is built only for an issue: thousands of aliases, rarely a bad one.
            const path = () => joinPath("services", service.key, "networks", attachment.network, field, index);
            if (!isDnsName(alias)) {
              issues.push(error(IssueCode.InvalidName, path(), `${quote(alias)} is not a DNS name: use letters, digits, "-" and "_", in dot-separated labels`));
              continue;
            }
            const key = `${attachment.network}|${alias}`;
            const claim = claims.get(key);
            if (!claim) {
              claims.set(key, { service: service.key, shared });
              continue;
            }
            if (claim.service === service.key || (claim.shared && shared)) continue;
            const what = claim.service === alias ? "the name of" : "already an alias of";
            const fix = claim.service === alias ? "Pick another alias" : "Rename one, or list it under sharedAliases on both services for round-robin DNS";
            issues.push(error(IssueCode.DuplicateAlias, path(), `${quote(alias)} is ${what} services.${claim.service} on networks.${attachment.network}; Docker would resolve it to both containers in turn. ${fix}`));
          }
        }
      }
    }
    return issues;
  },
};

