import { error, Issue, IssueCode, warning } from "../../errors";
import { isWildcard, parseIp } from "../../ip";
import { isPort } from "../../rules/port-ranges";
import { Rule } from "../../rules/rule";
import { BridgeVia } from "../types";
import { bridgePath, portPath, servicePath, socketLabel } from "./common";
import { registryPath } from "./registry";

/** One socket bound on a node. */
interface NodeBind {
  /** Canonical address; `0.0.0.0` when bound on every address. */
  readonly address: string;
  readonly wildcard: boolean;
  readonly port: number;
  readonly protocol: string;
  readonly path: string;
  readonly owner: string;
}

function bindAddress(hostIP: string | undefined): { address: string; wildcard: boolean } | undefined {
  if (hostIP === undefined) return { address: "0.0.0.0", wildcard: true };
  const ip = parseIp(hostIP);
  return ip ? { address: ip.text, wildcard: isWildcard(hostIP) } : undefined; // invalid: reported by cluster-ports / bridges
}

/**
 * Host ports bound on a node never clash: two binds of one port and protocol
 * clash when their addresses are equal or either is every address (an absent
 * hostIP, `0.0.0.0` or `::`). Every pod may land on the same node (local
 * clusters have one), so binds of different services are compared, and so are
 * the replicas of one service: those are warned about.
 */
export const hostPorts: Rule = {
  id: "host-ports",
  summary: "hostPorts, hostNetwork ports, bridge proxies and the registry proxy never bind the same protocol/port on overlapping node addresses",
  check({ topology }) {
    const kubernetes = topology.kubernetes;
    if (!kubernetes) return [];
    const issues: Issue[] = [];
    const binds: NodeBind[] = [];
    const add = (hostIP: string | undefined, port: number, protocol: string, path: string, owner: string) => {
      const address = bindAddress(hostIP);
      if (address && isPort(port)) binds.push({ ...address, port, protocol, path, owner });
    };
    for (const service of kubernetes.services) {
      const owner = `kubernetes.services.${service.key}`;
      let bound: string | undefined;
      for (const port of service.ports) {
        if (service.hostNetwork) {
          add(undefined, port.targetPort, port.protocol, portPath(service, port, "targetPort"), `${owner}.ports[${port.index}] (hostNetwork)`);
          bound ??= `port ${port.targetPort}/${port.protocol} on the node (hostNetwork)`;
        } else if (port.hostPort !== undefined) {
          add(port.hostIP, port.hostPort, port.protocol, portPath(service, port, "hostPort"), `${owner}.ports[${port.index}]`);
          bound ??= `hostPort ${port.hostPort}/${port.protocol}`;
        }
      }
      if (bound && service.replicas > 1) {
        issues.push(warning(IssueCode.PortClash, servicePath(service, "replicas"), `${service.replicas} replicas each bind ${bound}: one node runs only one of them, so on a single-node cluster the others stay Pending. Use 1 replica, or reach the pods through the Service`));
      }
    }
    for (const bridge of kubernetes.bridges) {
      if (bridge.via !== BridgeVia.HostPort || bridge.hostPort === undefined) continue;
      add(bridge.bindAddress, bridge.hostPort, "tcp", bridgePath(bridge, "hostPort"), `kubernetes.bridges.${bridge.key}`);
    }
    const proxy = kubernetes.registry?.proxy;
    if (proxy) {
      const declared = typeof kubernetes.registry!.declared.proxy === "object" && kubernetes.registry!.declared.proxy.hostPort !== undefined;
      add(proxy.hostIp, proxy.hostPort, "tcp", declared ? registryPath("proxy", "hostPort") : registryPath("proxy"), "kubernetes.registry.proxy");
    }
    const groups = new Map<string, NodeBind[]>();
    for (const bind of binds) {
      const key = `${bind.protocol}/${bind.port}`;
      const earlier = groups.get(key) ?? [];
      const clash = earlier.find((e) => e.wildcard || bind.wildcard || e.address === bind.address);
      if (clash) {
        issues.push(error(IssueCode.PortClash, bind.path, `${socketLabel(bind.address, bind.port, bind.protocol)} clashes with ${socketLabel(clash.address, clash.port, clash.protocol)} of ${clash.owner}: pods on one node cannot both bind it. Use another hostPort or hostIP`));
        continue;
      }
      groups.set(key, [...earlier, bind]);
    }
    return issues;
  },
};
