/**
 * no-wildcard-publish: a published container port must name the host address it binds.
 *
 * The Docker provider binds `0.0.0.0` when `ports[].ip` is absent, and Docker's iptables rules for a
 * published port are evaluated before the host firewall's INPUT chain, so a wildcard publish opens
 * the port to every network the host is on, whatever ufw/firewalld say.
 */
import { allowNames, describePort, displayName, DockerType, PortBinding, portsOf, protocolOf } from "../lib/docker";
import { isUnspecified, parseAddress } from "../lib/ip";
import { matchesAny, splitEntry } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";

export interface NoWildcardPublishConfig {
  /** `<container>` or `<container>:<hostPort>[/<protocol>]`; `<container>` is a glob over the Docker or Pulumi name. */
  readonly allow: readonly string[];
}

/** True when the binding is on every address: no ip, an empty one, `0.0.0.0` or `::`. */
function isWildcard(ip: string | undefined): boolean {
  if (ip === undefined || ip.trim() === "") return true;
  const address = parseAddress(ip);
  return address !== undefined && isUnspecified(address);
}

export const noWildcardPublish = resourceRule<NoWildcardPublishConfig>({
  name: "no-wildcard-publish",
  description: "Published container ports bind a specific host address, never 0.0.0.0, :: or the provider default.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set ports[].ip to 127.0.0.1 (or the host address that should serve it), or allow-list the port.",
  types: [DockerType.Container],
  config: {
    allow: allowList(
      'Entries "<container>" (every port) or "<container>:<hostPort>[/<protocol>]"; <container> is a glob over the Docker or Pulumi name.',
    ),
  },
  check: (resource, config, findings) => {
    const names = allowNames(resource);
    const entries = config.allow.map(splitEntry).filter((e) => matchesAny([e.subject], names));
    if (entries.some((e) => e.detail === undefined)) return;
    const { ports, unknown } = portsOf(resource.props);
    unknown.forEach((u) => findings.unknown(u));
    const allowed = (port: PortBinding, protocol: string): boolean | undefined => {
      if (entries.length === 0) return false;
      if (isUnknown(port.external)) {
        findings.unknown(port.external);
        return undefined;
      }
      if (port.external === undefined) return false;
      return entries.some((e) => {
        const [p, proto] = (e.detail ?? "").split("/");
        return p === String(port.external) && (proto === undefined || proto.toLowerCase() === protocol);
      });
    };
    for (const port of ports) {
      if (isUnknown(port.ip)) {
        findings.unknown(port.ip);
        continue;
      }
      if (!isWildcard(port.ip)) continue;
      const protocol = protocolOf(port);
      if (isUnknown(protocol)) {
        findings.unknown(protocol);
        continue;
      }
      const ok = allowed(port, protocol);
      if (ok !== false) continue;
      const where = port.ip === undefined || port.ip.trim() === "" ? "has no ip, so Docker binds 0.0.0.0" : `binds ${port.ip}`;
      const entry = typeof port.external === "number" ? `${resource.name}:${port.external}/${protocol}` : resource.name;
      findings.violation(
        `container ${displayName(resource)} ${port.path}: ${describePort(port)} ${where}, every host address, ` +
          `and Docker's published ports bypass the host firewall. Set ip to "127.0.0.1" or a specific host address, ` +
          `or allow-list ${JSON.stringify(entry)}`,
      );
    }
  },
});
