/**
 * unique-host-ports: no two published container ports on the same engine claim the same host
 * address, port and protocol.
 *
 * Docker fails the second container at start ("port is already allocated" / "address already in
 * use") during apply. A wildcard binding (`0.0.0.0`, `::`, or no ip, which the provider makes
 * `0.0.0.0`) collides with every address of its family on that port.
 */
import { allowNames, describePort, displayName, DockerType, PortBinding, portsOf, protocolOf } from "../lib/docker";
import { isUnspecified, parseAddress } from "../lib/ip";
import { matchesAny } from "../lib/match";
import { stackRule } from "../lib/rule";
import type { ResourceView } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";

export interface UniqueHostPortsConfig {
  readonly allow: readonly string[];
}

interface Binding {
  readonly container: ResourceView;
  readonly port: PortBinding;
  readonly hostPort: number;
  readonly protocol: string;
  /** Normalized address text; `0.0.0.0` when the ip is absent. */
  readonly address: string;
  readonly family: "ipv4" | "ipv6";
  readonly wildcard: boolean;
  /** The ip as written, or `0.0.0.0` when absent. */
  readonly shown: string;
}

function collides(a: Binding, b: Binding): boolean {
  if (a.hostPort !== b.hostPort || a.protocol !== b.protocol || a.family !== b.family) return false;
  return a.wildcard || b.wildcard || a.address === b.address;
}

export const uniqueHostPorts = stackRule<UniqueHostPortsConfig>({
  name: "unique-host-ports",
  description: "Published container ports that share an engine (provider) never claim the same host address, port and protocol.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Pick another host port, or bind the ports to different host addresses.",
  types: [DockerType.Container],
  config: {
    allow: allowList("Containers (globs over the Docker or Pulumi name) left out of the check."),
  },
  check: (containers, config, findings) => {
    const byEngine = new Map<string, Binding[]>();
    for (const container of containers) {
      if (matchesAny(config.allow, allowNames(container))) continue;
      const subject = `container ${displayName(container)}`;
      const engine = container.provider ?? "";
      const bindings = byEngine.get(engine) ?? [];
      const { ports, unknown } = portsOf(container.props);
      unknown.forEach((u) => findings.unknown(u, subject));
      for (const port of ports) {
        const protocol = protocolOf(port);
        const fields = [port.external, port.ip, protocol];
        const undecided = fields.filter(isUnknown);
        if (undecided.length > 0) {
          undecided.forEach((u) => findings.unknown(u, subject));
          continue;
        }
        if (typeof port.external !== "number" || isUnknown(protocol) || isUnknown(port.ip)) continue;
        const ipText = port.ip === undefined || port.ip.trim() === "" ? "0.0.0.0" : port.ip;
        const address = parseAddress(ipText);
        if (!address) continue;
        bindings.push({
          container,
          port,
          hostPort: port.external,
          protocol,
          address: address.text,
          family: address.family,
          wildcard: isUnspecified(address),
          shown: ipText,
        });
      }
      byEngine.set(engine, bindings);
    }
    for (const bindings of byEngine.values()) {
      bindings.forEach((b, j) => {
        const a = bindings.slice(0, j).find((x) => collides(x, b));
        if (!a) return;
        const owner = a.container === b.container ? "the same container" : `container ${displayName(a.container)}`;
        findings.violation(
          `container ${displayName(b.container)} ${b.port.path}: host port ${b.hostPort}/${b.protocol} on ${b.shown} ` +
            `(${describePort(b.port)}) is already published by ${owner} (${a.port.path}, on ${a.shown}). ` +
            `Pick another host port or bind a different host address`,
          b.container.urn,
        );
      });
    }
  },
});
