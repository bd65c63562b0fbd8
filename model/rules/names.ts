import { error, Issue, IssueCode } from "../errors";
import { joinPath } from "../paths";
import { quote } from "../suggest";
import { Rule } from "./rule";
import { isDnsName } from "./aliases";

/** Docker's rule for container and network names. */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Networks every engine predefines: "operation is not permitted on predefined <name> network" (docs/engine-facts.md (o)). */
const PREDEFINED_NETWORKS = new Set(["bridge", "host", "none", "default"]);

function checkGroup(kind: "networks" | "services", entries: readonly { key: string; dockerName: string; host?: string }[], prefix: string, issues: Issue[]) {
  const owners = new Map<string, string>();
  const hostsUsed = ["", ...new Set(entries.flatMap((e) => (e.host === undefined ? [] : [e.host])))];
  for (const { key, dockerName, host } of entries) {
    if (kind === "services" ? !isDnsName(key) : !DOCKER_NAME.test(key)) {
      const rule = kind === "services" ? "letters, digits, \"-\" and \"_\" (it is also the service's DNS name)" : "letters, digits, \"_\", \".\" and \"-\", starting with a letter or digit";
      issues.push(error(IssueCode.InvalidName, joinPath(kind, key), `${quote(key)} is not a valid ${kind === "services" ? "service" : "network"} key: use ${rule}`));
      continue;
    }
    const derived = prefix ? `${prefix}-${key}` : key;
    // Built only for an issue (thousands of entries, rarely a bad one).
    const path = () => (dockerName !== derived ? joinPath(kind, key, "name") : joinPath(kind, key));
    if (!DOCKER_NAME.test(dockerName)) {
      issues.push(error(IssueCode.InvalidName, path(), `${quote(dockerName)} is not a valid Docker name: use letters, digits, "_", "." and "-", starting with a letter or digit`));
      continue;
    }
    if (kind === "networks" && PREDEFINED_NETWORKS.has(dockerName)) {
      const hint = dockerName === "default" ? "" : `; to use Docker's own, set networkMode: ${dockerName} on the services instead`;
      issues.push(error(IssueCode.InvalidName, path(), `${quote(dockerName)} is a network every Docker engine predefines and cannot be created. Set another name${hint}`));
      continue;
    }
    // Names are unique per engine: on several hosts, per host (an overlay, with no host, is swarm-wide and
    // so meets every host's names).
    const scopes = host === undefined ? hostsUsed : ["", host];
    const owner = scopes.map((scope) => owners.get(`${scope}|${dockerName}`)).find((o) => o !== undefined);
    if (owner) issues.push(error(IssueCode.DuplicateName, path(), `the Docker name ${quote(dockerName)} is also the name of ${kind}.${owner}; Docker names must be unique${host === undefined ? "" : " on a host"}. Set a different name`));
    else owners.set(`${host ?? ""}|${dockerName}`, key);
  }
}

/** Keys are valid names and Docker names are unique among networks and among containers. */
export const names: Rule = {
  id: "names",
  summary: "network and service keys are valid names; Docker names are valid, not a predefined network (bridge, host, none, default), and unique among networks and among containers",
  check({ topology }) {
    const issues: Issue[] = [];
    checkGroup("networks", topology.networks, topology.namePrefix, issues);
    checkGroup("services", topology.services, topology.namePrefix, issues);
    return issues;
  },
};
