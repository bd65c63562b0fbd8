import { comparePaths } from "./paths";

/** How serious an issue is: errors stop the deployment, warnings are reported. */
export const Severity = { Error: "error", Warning: "warning" } as const;
/** One of {@link Severity}. */
export type Severity = (typeof Severity)[keyof typeof Severity];

/**
 * Every issue code the pipeline can report. Codes are stable: callers (tests,
 * the policy pack, tools) match on them, never on message text.
 */
export const IssueCode = {
  // parse: shape
  InvalidType: "invalid-type",
  UnknownKey: "unknown-key",
  InvalidValue: "invalid-value",
  MissingField: "missing-field",
  DeferredValue: "deferred-value",
  // validate: addresses
  InvalidCidr: "invalid-cidr",
  InvalidIp: "invalid-ip",
  WrongFamily: "wrong-family",
  OutsideSubnet: "outside-subnet",
  SubnetOverlap: "subnet-overlap",
  StaticIpDuplicate: "static-ip-duplicate",
  StaticIpReserved: "static-ip-reserved",
  StaticIpWithoutSubnet: "static-ip-without-subnet",
  Ipv6Disabled: "ipv6-disabled",
  AddressPoolExhausted: "address-pool-exhausted",
  // validate: ports
  PortOutOfRange: "port-out-of-range",
  PortClash: "port-clash",
  // connections a service means to make (connects, env URLs) that the reachability does not satisfy
  UnreachableIntent: "unreachable-intent",
  // validate: values Docker parses with its own grammar
  InvalidDuration: "invalid-duration",
  // validate: references and names
  InvalidName: "invalid-name",
  DuplicateName: "duplicate-name",
  UnknownNetwork: "unknown-network",
  UnknownService: "unknown-service",
  // validate: hosts (several Docker hosts, a swarm)
  UnknownHost: "unknown-host",
  CrossHostNetwork: "cross-host-network",
  SwarmMembership: "swarm-membership",
  DuplicateAlias: "duplicate-alias",
  // validate: modes and drivers
  NetworkModeConflict: "network-mode-conflict",
  NetworkModeCycle: "network-mode-cycle",
  MissingParent: "missing-parent",
  ParentInUse: "parent-in-use",
  VlanIdOutOfRange: "vlan-id-out-of-range",
  OverlayNotAttachable: "overlay-not-attachable",
  MtuOutOfRange: "mtu-out-of-range",
  UnknownDriverOption: "unknown-driver-option",
  // validate: registries
  PlainHttpRegistry: "plain-http-registry",
  // validate: kubernetes
  NodePortOutOfRange: "node-port-out-of-range",
  NodePortDuplicate: "node-port-duplicate",
  SelectorMismatch: "selector-mismatch",
  UnknownBridge: "unknown-bridge",
  LoopbackBind: "loopback-bind",
  NodePortNotPublished: "node-port-not-published",
  // preflight (plan --engine)
  ImageNotPresent: "image-not-present",
} as const;
/** One of {@link IssueCode}. */
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

/** One problem found in a declaration. */
export interface Issue {
  /** Stable machine-readable code. */
  readonly code: IssueCode;
  /** Dotted path of the offending field, e.g. `services.web.ports[0].published`. */
  readonly path: string;
  /** What is wrong and, where possible, how to fix it (without the path). */
  readonly message: string;
  readonly severity: Severity;
}

/** Builds an error-severity issue. */
export function error(code: IssueCode, path: string, message: string): Issue {
  return { code, path, message, severity: Severity.Error };
}

/** Builds a warning-severity issue. */
export function warning(code: IssueCode, path: string, message: string): Issue {
  return { code, path, message, severity: Severity.Warning };
}

/** Sorts issues by path (indexes numerically), then code, then message; returns a new array. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      comparePaths(a.path, b.path) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** `path: message`, the one-line form of an issue. */
export function formatIssue(issue: Issue, pathPrefix = ""): string {
  const joined = pathPrefix && issue.path ? `${pathPrefix}.${issue.path}` : pathPrefix || issue.path;
  const path = joined || "topology";
  return `${path}: ${issue.message}`;
}

/**
 * The one error a declaration produces: every issue found, sorted by path.
 * Its message lists them one per line.
 */
export class TopologyError extends Error {
  /** Every issue, sorted by path; errors and warnings. */
  readonly issues: readonly Issue[];

  /**
   * @param context first words of the message
   * @param pathPrefix where the declaration lives (e.g. `container-topology:topology`), prefixed to each path in the message
   */
  constructor(issues: readonly Issue[], context = "invalid topology", pathPrefix = "") {
    const sorted = sortIssues(issues);
    const errors = sorted.filter((i) => i.severity === Severity.Error).length;
    const lines = sorted.map((i) => `  ${i.severity === Severity.Warning ? "warning: " : ""}${formatIssue(i, pathPrefix)}`);
    super(`${context}: ${errors} error${errors === 1 ? "" : "s"}\n${lines.join("\n")}`);
    this.name = "TopologyError";
    this.issues = sorted;
  }

  /** True for a TopologyError, also across copies of this package. */
  static isInstance(value: unknown): value is TopologyError {
    return value instanceof TopologyError || (value instanceof Error && value.name === "TopologyError" && Array.isArray((value as TopologyError).issues));
  }
}

/** True when any issue is an error. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === Severity.Error);
}
