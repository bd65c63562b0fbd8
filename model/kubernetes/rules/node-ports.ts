import { error, Issue, IssueCode } from "../../errors";
import { Rule } from "../../rules/rule";
import { BridgeVia, ClusterServiceType, NODE_PORT_RANGE } from "../types";
import { bridgePath, portPath } from "./common";
import { checkNodePort, isNodePort } from "./ports";

/** One node port the topology allocates. */
interface Allocation {
  readonly nodePort: number;
  readonly path: string;
  /** What to name in messages, e.g. `kubernetes.services.web.ports[0]`. */
  readonly owner: string;
  /** `<kind>:<key>` of the Service object the port belongs to. */
  readonly object: string;
  /** The Service port it forwards, and its protocol. */
  readonly port: number;
  readonly protocol: string;
}

/**
 * Node ports are unique across the cluster: kube-apiserver allocates them from
 * one range for every Service. One Service may use a node port twice only for
 * the same port over different protocols (e.g. DNS on tcp and udp).
 */
export const nodePorts: Rule = {
  id: "node-ports",
  summary: "node ports (of services and of bridges) are in 30000-32767 and unique across the topology",
  check({ topology }) {
    const kubernetes = topology.kubernetes;
    if (!kubernetes) return [];
    const issues: Issue[] = [];
    const allocations: Allocation[] = [];
    for (const service of kubernetes.services) {
      if (service.type === ClusterServiceType.ClusterIP) continue; // reported by cluster-ports
      for (const port of service.ports) {
        if (port.nodePort === undefined || !isNodePort(port.nodePort)) continue;
        allocations.push({ nodePort: port.nodePort, path: portPath(service, port, "nodePort"), owner: `kubernetes.services.${service.key}.ports[${port.index}]`, object: `service:${service.key}`, port: port.port, protocol: port.protocol });
      }
    }
    for (const bridge of kubernetes.bridges) {
      if (bridge.via !== BridgeVia.NodePort || !bridge.createsService || bridge.nodePort === undefined) continue;
      const path = bridgePath(bridge, "nodePort");
      checkNodePort(path, bridge.nodePort, issues, `Pick a port in ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`);
      if (!isNodePort(bridge.nodePort)) continue;
      allocations.push({ nodePort: bridge.nodePort, path, owner: `kubernetes.bridges.${bridge.key}`, object: `bridge:${bridge.key}`, port: bridge.servicePort ?? 0, protocol: bridge.protocol });
    }
    const first = new Map<number, Allocation[]>();
    for (const allocation of allocations) {
      const earlier = first.get(allocation.nodePort) ?? [];
      const clash = earlier.find((e) => !(e.object === allocation.object && e.port === allocation.port && e.protocol !== allocation.protocol));
      if (clash) {
        issues.push(error(IssueCode.NodePortDuplicate, allocation.path, `${allocation.nodePort} is also the node port of ${clash.owner}: node ports are unique across the cluster. Pick another in ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
        continue;
      }
      first.set(allocation.nodePort, [...earlier, allocation]);
    }
    return issues;
  },
};
