import { error, Issue, IssueCode } from "../../errors";
import { joinPath } from "../../paths";
import { Rule } from "../../rules/rule";
import { didYouMean, quote } from "../../suggest";
import { HOST_DOCKER_INTERNAL } from "../../types";
import { checkEnvName } from "./bridges";

/**
 * A service consumes declared bridges, each through its own environment
 * variable (not one it also sets under `env`), from a network mode that can
 * reach the host: not `none`, and with `container:X` only when X maps
 * host.docker.internal.
 */
export const consumes: Rule = {
  id: "consumes",
  summary: "services consume declared bridges, through distinct env vars they do not set themselves, from a network mode that reaches the host",
  check({ topology, declared, services }) {
    const issues: Issue[] = [];
    const bridgeKeys = (topology.kubernetes?.bridges ?? []).map((b) => b.key);
    const known = declared.bridges ?? new Set(bridgeKeys);
    for (const service of topology.services) {
      const list = service.consumes ?? [];
      const seen = new Map<string, number>();
      for (const consume of list) {
        const path = joinPath("services", service.key, "consumes", consume.index);
        if (!consume.resolved) {
          if (!known.has(consume.bridge)) {
            const hint = didYouMean(consume.bridge, bridgeKeys) || `. Declare it under kubernetes.bridges.${consume.bridge}`;
            issues.push(error(IssueCode.UnknownBridge, path, `${quote(consume.bridge)} is not a declared bridge${hint}`));
          }
          continue;
        }
        const before = issues.length;
        checkEnvName(path, consume.env, issues);
        if (issues.length > before) continue;
        const first = seen.get(consume.env);
        if (first !== undefined) {
          issues.push(error(IssueCode.DuplicateName, path, `${consume.env} is also the variable of consumes[${first}]. Name one of them: {bridge: ${quote(consume.bridge)}, env: ${quote(`${consume.env}_2`)}}`));
          continue;
        }
        seen.set(consume.env, consume.index);
        if (consume.url !== undefined && service.env[consume.env] !== consume.url) {
          issues.push(error(IssueCode.DuplicateName, path, `${consume.env} is also set under env. Remove it there, or name the variable: {bridge: ${quote(consume.bridge)}, env: ${quote(`${consume.env.replace(/_URL$/, "")}_BRIDGE_URL`)}}`));
        }
      }
      if (list.length === 0) continue;
      const modePath = joinPath("services", service.key, "networkMode");
      if (service.mode.kind === "none") {
        issues.push(error(IssueCode.NetworkModeConflict, modePath, `"none" has no network, so the bridges under consumes are unreachable. Remove consumes, or change networkMode`));
      } else if (service.mode.kind === "container") {
        const owner = services.get(service.mode.service);
        if (owner && !owner.extraHosts.some((h) => h.host === HOST_DOCKER_INTERNAL)) {
          issues.push(error(IssueCode.NetworkModeConflict, modePath, `shares the network namespace of services.${owner.key}, which does not map ${HOST_DOCKER_INTERNAL} (hostGateway: false), and Docker refuses extra hosts with container:X. Turn hostGateway on for services.${owner.key}, or have it consume the bridges`));
        }
      }
    }
    return issues;
  },
};
