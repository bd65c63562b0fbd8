import { error, Issue, IssueCode } from "../errors";
import { dnsNames } from "../names";
import { joinPath } from "../paths";
import { checkUsername, plainHttpWarning } from "../registry/args";
import { RegistrySpec } from "../registry/types";
import { didYouMean, quote } from "../suggest";
import { readIp } from "./address-checks";
import { isDnsName } from "./aliases";
import { isPort } from "./port-ranges";
import { Rule } from "./rule";

/** Docker's rule for container and volume names. */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function checkNames(registries: readonly RegistrySpec[], serviceNames: ReadonlyMap<string, string>, prefix: string, issues: Issue[]): void {
  const containers = new Map(serviceNames);
  const volumes = new Map<string, string>();
  for (const registry of registries) {
    const at = (...rest: string[]) => joinPath("registries", registry.key, ...rest);
    if (!isDnsName(registry.key)) {
      issues.push(error(IssueCode.InvalidName, at(), `${quote(registry.key)} is not a valid registry key: use letters, digits, "-" and "_" (it is also the registry's DNS name)`));
      continue;
    }
    const derived = prefix ? `${prefix}-${registry.key}` : registry.key;
    const namePath = registry.dockerName !== derived ? at("name") : at();
    if (!DOCKER_NAME.test(registry.dockerName)) {
      issues.push(error(IssueCode.InvalidName, namePath, `${quote(registry.dockerName)} is not a valid Docker name: use letters, digits, "_", "." and "-", starting with a letter or digit`));
    } else {
      const owner = containers.get(registry.dockerName);
      if (owner) issues.push(error(IssueCode.DuplicateName, namePath, `the container name ${quote(registry.dockerName)} is also the name of ${owner}; Docker names must be unique. Set a different name`));
      else containers.set(registry.dockerName, `registries.${registry.key}`);
    }
    if (!DOCKER_NAME.test(registry.volumeName) || registry.volumeName.length < 2) {
      issues.push(error(IssueCode.InvalidName, at("volumeName"), `${quote(registry.volumeName)} is not a valid volume name: use at least 2 letters, digits, "_", "." and "-", starting with a letter or digit`));
    } else {
      const owner = volumes.get(registry.volumeName);
      if (owner) issues.push(error(IssueCode.DuplicateName, at("volumeName"), `the volume ${quote(registry.volumeName)} is also the storage of registries.${owner}; two registries must not share storage. Set a different volumeName`));
      else volumes.set(registry.volumeName, registry.key);
    }
  }
}

/**
 * Local registries: valid names unique among containers and volumes, a port in
 * range, a valid host IP (a warning beyond loopback: plain HTTP), declared
 * networks, aliases that are DNS names resolving to one container per network,
 * and a valid htpasswd user. Port clashes with services are the port-clash rule's.
 */
export const registries: Rule = {
  id: "registries",
  summary: "registries have valid unique names and volumes, ports in range, valid host IPs (plain HTTP beyond loopback warned), declared networks and unshared aliases",
  check({ topology, networks, declared }) {
    const issues: Issue[] = [];
    const list = topology.registries ?? [];
    if (list.length === 0) return issues;
    checkNames(list, new Map(topology.services.map((s) => [s.dockerName, `services.${s.key}`])), topology.namePrefix, issues);
    // Who answers to each name on each network: services first (their rule reports their own clashes).
    const claims = new Map<string, string>();
    for (const service of topology.services) {
      for (const attachment of service.attachments) {
        for (const name of dnsNames(service, attachment)) if (!claims.has(`${attachment.network}|${name}`)) claims.set(`${attachment.network}|${name}`, `services.${service.key}`);
      }
    }
    for (const registry of list) {
      const at = (...rest: (string | number)[]) => joinPath("registries", registry.key, ...rest);
      if (!isPort(registry.port)) issues.push(error(IssueCode.PortOutOfRange, at("port"), `${registry.port} is not a port: use 1-65535`));
      if (readIp(at("hostIp"), registry.hostIp, undefined, issues) && isPort(registry.port)) {
        const warned = plainHttpWarning(at("hostIp"), registry.hostIp, registry.port, registry.auth !== undefined);
        if (warned) issues.push(warned);
      }
      if (registry.auth) checkUsername(at("auth", "username"), registry.auth.username, issues);
      for (const attachment of registry.attachments) {
        if (!networks.has(attachment.network) && !declared.networks.has(attachment.network)) {
          const hint = didYouMean(attachment.network, declared.networks) || `. Declare it under networks.${attachment.network}`;
          issues.push(error(IssueCode.UnknownNetwork, at("networks", attachment.network), `${quote(attachment.network)} is not a declared network${hint}`));
          continue;
        }
        const own = new Set<string>();
        // The key is checked as a name above (and the container name, unique among containers); aliases must be DNS names.
        const names: [string, string, boolean][] = [
          [registry.key, at(), false],
          ...attachment.aliases.map((alias, index): [string, string, boolean] => [alias, at("networks", attachment.network, "aliases", index), true]),
        ];
        for (const [name, path, isAlias] of names) {
          if (own.has(name)) continue;
          own.add(name);
          if (isAlias && !isDnsName(name)) {
            issues.push(error(IssueCode.InvalidName, path, `${quote(name)} is not a DNS name: use letters, digits, "-" and "_", in dot-separated labels`));
            continue;
          }
          const key = `${attachment.network}|${name}`;
          const owner = claims.get(key);
          if (owner) {
            issues.push(error(IssueCode.DuplicateAlias, path, `${quote(name)} already resolves to ${owner} on networks.${attachment.network}; Docker would answer with both containers in turn. Pick another alias for the registry`));
          } else {
            claims.set(key, `registries.${registry.key}`);
          }
        }
      }
    }
    return issues;
  },
};
