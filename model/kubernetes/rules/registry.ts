import { error, Issue, IssueCode } from "../../errors";
import { joinPath, splitPath } from "../../paths";
import { validateClusterRegistryArgs } from "../../registry/args";
import { Rule } from "../../rules/rule";
import { quote } from "../../suggest";
import { BUILT_IN_NAMESPACES } from "../registry";

/** `kubernetes.registry...` */
export function registryPath(...rest: readonly (string | number)[]): string {
  return joinPath("kubernetes", "registry", ...rest);
}

/**
 * `kubernetes.registry` holds what the ClusterRegistry component accepts: Kubernetes names, a
 * storage quantity, the proxy's port and address, a registry host for KEP-1755. The namespace
 * must exist or be created: a built-in one cannot be created (the API server says AlreadyExists).
 */
export const clusterRegistry: Rule = {
  id: "cluster-registry",
  summary: "kubernetes.registry has valid names, storage size, proxy port and address, and a namespace it may create",
  check({ topology }) {
    const registry = topology.kubernetes?.registry;
    if (!registry) return [];
    const issues: Issue[] = validateClusterRegistryArgs(registry.declared).map((issue) => ({ ...issue, path: registryPath(...splitPath(issue.path)) }));
    if (registry.declared.createNamespace === true && BUILT_IN_NAMESPACES.includes(registry.namespace)) {
      issues.push(error(IssueCode.InvalidValue, registryPath("createNamespace"), `namespace ${quote(registry.namespace)} exists in every cluster: creating it fails. Remove createNamespace (it defaults to false there)`));
    }
    return issues;
  },
};
