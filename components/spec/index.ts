// The topology model: pure functions and types, no Pulumi imports.
export * from "./types";
export * from "./errors";
export * from "./parse";
export * from "./normalize";
export * from "./validate";
export * from "./check";
export * from "./reachability";
export { parseIp, parseCidr, cidrsOverlap, cidrContains, isWildcard, isLoopback } from "./ip";
export type { Cidr, ParsedIp, Family } from "./ip";
export { networkAliases, dnsNames } from "./names";
export { DriverOption, KNOWN_DRIVER_OPTIONS } from "./driver-options";
export type { Rule, RuleContext } from "./rules/rule";
export * from "./endpoints";
export * from "./host-url";
