import { DriverOption } from "../docker/driver-options";
import { error, Issue, IssueCode } from "../errors";
import { cidrWithin, Family } from "../ip";
import { joinPath } from "../paths";
import { NetworkSpec, TopologySpec } from "../types";
import { readCidr, readIp, requireInside } from "./address-checks";
import { Rule } from "./rule";

const FIELDS: Record<Family, { subnet: string; ipRange: string; gateway: string; other: string }> = {
  ipv4: { subnet: "subnet", ipRange: "ipRange", gateway: "gateway", other: "ipv6Subnet" },
  ipv6: { subnet: "ipv6Subnet", ipRange: "ipv6IpRange", gateway: "ipv6Gateway", other: "subnet" },
};

function checkPool(network: NetworkSpec, family: Family, issues: Issue[]) {
  const pool = network.pools.find((p) => p.family === family);
  if (!pool) return;
  const fields = FIELDS[family];
  const at = (field: string) => joinPath("networks", network.key, field);
  const subnet = pool.origin === "declared" && pool.subnet !== undefined ? readCidr(at(fields.subnet), pool.subnet, family, issues, fields.other) : undefined;
  const subnetUnknown = pool.origin !== "declared";
  if (pool.ipRange !== undefined) {
    const range = readCidr(at(fields.ipRange), pool.ipRange, family, issues);
    if (range && subnet && !cidrWithin(range, subnet)) {
      issues.push(error(IssueCode.OutsideSubnet, at(fields.ipRange), `${range.text} is not within the subnet ${subnet.text}`));
    } else if (range && subnetUnknown) {
      issues.push(error(IssueCode.MissingField, at(fields.ipRange), `needs ${fields.subnet}: declare the subnet this range lies in`));
    }
  }
  if (pool.gateway !== undefined) {
    const gateway = readIp(at(fields.gateway), pool.gateway, family, issues);
    if (gateway && subnet) requireInside(at(fields.gateway), gateway, subnet, issues);
    else if (gateway && subnetUnknown) {
      issues.push(error(IssueCode.MissingField, at(fields.gateway), `needs ${fields.subnet}: declare the subnet the gateway lies in`));
    }
  }
  if (family === "ipv6" && !network.ipv6) {
    const field = pool.subnet !== undefined ? fields.subnet : pool.ipRange !== undefined ? fields.ipRange : fields.gateway;
    issues.push(error(IssueCode.Ipv6Disabled, at(field), "needs IPv6 enabled, but ipv6 is false. Set ipv6: true or remove the IPv6 fields"));
  }
}

function checkAuxAddresses(network: NetworkSpec, issues: Issue[]) {
  for (const [name, value] of Object.entries(network.auxAddresses)) {
    const path = joinPath("networks", network.key, "auxAddresses", name);
    const ip = readIp(path, value, undefined, issues);
    if (!ip) continue;
    const pool = network.pools.find((p) => p.family === ip.family);
    if (!pool || pool.origin !== "declared" || pool.subnet === undefined) {
      issues.push(error(IssueCode.MissingField, path, `needs ${FIELDS[ip.family].subnet}: aux addresses are reserved inside a declared subnet`));
      continue;
    }
    const subnet = readCidr(path, pool.subnet, ip.family, []);
    if (subnet) requireInside(path, ip, subnet, issues);
  }
}

function checkDriverFields(network: NetworkSpec, issues: Issue[]) {
  const at = (field: string) => joinPath("networks", network.key, field);
  const binding = network.driverOptions[DriverOption.BridgeHostBindingIpv4];
  if (binding !== undefined) {
    const field = network.userOptions[DriverOption.BridgeHostBindingIpv4] !== undefined ? `options.${DriverOption.BridgeHostBindingIpv4}` : "hostBindingIpv4";
    readIp(at(field), binding, "ipv4", issues);
  }
  const bridgeName = network.driverOptions[DriverOption.BridgeName];
  if (bridgeName !== undefined && !/^[A-Za-z0-9_.-]{1,15}$/.test(bridgeName)) {
    issues.push(error(IssueCode.InvalidName, at("bridgeName"), `${JSON.stringify(bridgeName)} is not a Linux interface name: 1-15 letters, digits, "_", "." or "-"`));
  }
}

/** The declared default bridge (dockerd's bip) is an IPv4 block and its gateway lies in it; otherwise overlaps with docker0 would go unchecked. */
function checkDefaultBridge(bridge: TopologySpec["defaultBridge"], issues: Issue[]) {
  const subnet = readCidr("defaultBridge.subnet", bridge.subnet, "ipv4", issues);
  // An empty gateway is the default of a subnet that does not parse: reported there.
  if (bridge.gateway === "") return;
  const gateway = readIp("defaultBridge.gateway", bridge.gateway, "ipv4", issues);
  if (gateway && subnet) requireInside("defaultBridge.gateway", gateway, subnet, issues);
}

/** Subnets, ranges, gateways and aux addresses parse, have the right family and lie inside their subnet. */
export const networkAddresses: Rule = {
  id: "network-addresses",
  summary: "subnet, ipRange, gateway and auxAddresses (and the default bridge's subnet and gateway) are valid, of the right family, and inside the subnet; IPv6 fields need ipv6; MTU in range",
  check({ topology }) {
    const issues: Issue[] = [];
    for (const network of topology.networks) {
      checkPool(network, "ipv4", issues);
      checkPool(network, "ipv6", issues);
      checkAuxAddresses(network, issues);
      checkDriverFields(network, issues);
    }
    checkDefaultBridge(topology.defaultBridge, issues);
    return issues;
  },
};
