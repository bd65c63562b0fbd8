import { error, Issue, IssueCode } from "../../errors";
import { Rule } from "../../rules/rule";
import { quote } from "../../suggest";
import { ClusterServiceSpec } from "../types";
import { servicePath } from "./common";

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

const pair = (key: string, value: string) => `${key}=${quote(value)}`;

/**
 * A service's selector (the Deployment's and the Service's) equals a subset of
 * its pod template labels, is not empty, and selects no other service's pods
 * in its namespace (the Service would send them traffic).
 */
export const selectors: Rule = {
  id: "selectors",
  summary: "selectors are non-empty, match their own pod template labels, and select no other service's pods",
  check({ topology }) {
    const services = topology.kubernetes?.services ?? [];
    const issues: Issue[] = [];
    for (const service of services) {
      const entries = Object.entries(service.selector);
      if (entries.length === 0) {
        issues.push(error(IssueCode.SelectorMismatch, servicePath(service, "selector"), "is empty: it would select every pod in the namespace. Leave selector out, or give it a label"));
        continue;
      }
      for (const [key, value] of entries) {
        const label = service.declaredLabels[key];
        if (label !== undefined && label !== value) {
          issues.push(error(IssueCode.SelectorMismatch, servicePath(service, "labels", key), `${pair(key, label)} contradicts the selector ${pair(key, value)}: the selector must match the pod template labels. Remove the label, or change the selector`));
        }
      }
    }
    const byNamespace = new Map<string, ClusterServiceSpec[]>();
    for (const service of services) byNamespace.set(service.namespace, [...(byNamespace.get(service.namespace) ?? []), service]);
    for (const group of byNamespace.values()) {
      for (const service of group) {
        const other = group.find((o) => o !== service && selects(service.selector, o.labels));
        if (!other) continue;
        const shown = Object.entries(service.selector).map(([k, v]) => pair(k, v)).join(", ");
        issues.push(error(IssueCode.SelectorMismatch, servicePath(service, "selector"), `${shown} also selects the pods of kubernetes.services.${other.key}: the Service would send them traffic. Make the selectors distinct`));
      }
    }
    return issues;
  },
};
