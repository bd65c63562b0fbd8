import { error, Issue, IssueCode } from "../../errors";
import { isLoopback } from "../../ip";
import { joinPath } from "../../paths";
import { readIp } from "../../rules/address-checks";
import { Rule, RuleContext } from "../../rules/rule";
import { ServiceSpec } from "../../types";
import { didYouMean, listValues, quote } from "../../suggest";
import { ClusterNodesSpec } from "../nodes";
import { exposesNodePort } from "../normalize";
import { BridgeVia, ClusterBridgeSpec, ClusterServiceSpec, NODE_PORT_RANGE } from "../types";
import { bridgePath, clusterServices } from "./common";
import { checkPort } from "./ports";

/** A POSIX environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/** Pushes invalid-name unless `name` is a usable environment variable name. */
export function checkEnvName(path: string, name: string, issues: Issue[]): void {
  if (ENV_NAME.test(name)) return;
  const fixed = name.toUpperCase().replace(/[^A-Z0-9_]/g, "_").replace(/^(?=[0-9])/, "_");
  issues.push(error(IssueCode.InvalidName, path, `${quote(name)} is not a valid environment variable name: use letters, digits and "_", not starting with a digit. Did you mean ${quote(fixed)}?`));
}

/** Reports why the bridged port did not resolve; true when it did. */
function checkTarget(bridge: ClusterBridgeSpec, service: ClusterServiceSpec, issues: Issue[]): boolean {
  if (bridge.portIndex !== undefined) return true;
  const path = bridgePath(bridge, "port");
  const owner = `kubernetes.services.${service.key}`;
  const requested = bridge.declared.port;
  if (service.ports.length === 0) {
    issues.push(error(IssueCode.InvalidValue, bridgePath(bridge, "service"), `${owner} declares no ports: a bridge exposes one of them. Declare its ports`));
  } else if (requested === undefined) {
    const names = service.ports.map((p) => p.name ?? String(p.port));
    issues.push(error(IssueCode.MissingField, path, `is required: ${owner} has several ports (${listValues(names, "and")}). Name the one to bridge`));
  } else if (typeof requested === "number") {
    issues.push(error(IssueCode.InvalidValue, path, `${requested} is not a port of ${owner}. Its ports: ${service.ports.map((p) => p.port).join(", ")}`));
  } else {
    const names = service.ports.flatMap((p) => (p.name !== undefined ? [p.name] : []));
    const hint = didYouMean(requested, names) || (names.length > 0 ? `. Port names: ${listValues(names, "and")}` : ". Name the port under ports, or give its number");
    issues.push(error(IssueCode.InvalidValue, path, `${quote(requested)} is not a port name of ${owner}${hint}`));
  }
  return false;
}

/** Checks the node side: a fixed node port or a host port, and the fields of the other way left out. */
function checkExposure(bridge: ClusterBridgeSpec, service: ClusterServiceSpec, issues: Issue[]) {
  const port = service.ports[bridge.portIndex!]!;
  const portRef = `kubernetes.services.${service.key}.ports[${port.index}]`;
  const { nodePort, hostPort } = bridge.declared;
  if (bridge.via === BridgeVia.NodePort) {
    if (hostPort !== undefined) issues.push(error(IssueCode.InvalidValue, bridgePath(bridge, "hostPort"), `applies to via: "hostPort" only; this bridge uses via: "nodePort". Set via: hostPort, or use nodePort`));
    if (exposesNodePort(service, port) && nodePort !== undefined && nodePort !== port.nodePort) {
      issues.push(error(IssueCode.InvalidValue, bridgePath(bridge, "nodePort"), `${nodePort} differs from nodePort ${port.nodePort} of ${portRef}, which already exposes it on every node. Leave nodePort out`));
    } else if (bridge.nodePort === undefined) {
      issues.push(error(IssueCode.MissingField, bridgePath(bridge, "nodePort"), `is required: ${portRef} has no fixed nodePort, and containers need the port before the Service exists. Pick one in ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
    }
    return;
  }
  if (nodePort !== undefined) issues.push(error(IssueCode.InvalidValue, bridgePath(bridge, "nodePort"), `applies to via: "nodePort" only; this bridge uses via: "hostPort". Use hostPort`));
  if (hostPort === undefined) issues.push(error(IssueCode.MissingField, bridgePath(bridge, "hostPort"), "is required with via: hostPort: the port the proxy binds on every node"));
  else checkPort(bridgePath(bridge, "hostPort"), hostPort, issues);
  if (port.protocol !== "tcp") issues.push(error(IssueCode.InvalidValue, bridgePath(bridge, "via"), `"hostPort" proxies TCP only, and ${portRef} is ${port.protocol}. Use via: nodePort`));
}

/**
 * On container nodes (kind, minikube's docker driver) a bridge's port is inside the node container:
 * the host and other containers reach it only where the node publishes it, on an address they reach.
 */
function checkNodeContainer(bridge: ClusterBridgeSpec, nodes: ClusterNodesSpec, context: RuleContext, issues: Issue[]): void {
  if (nodes.kind !== "containers" || bridge.exposedPort === undefined) return;
  const port = `${bridge.exposedPort}/${bridge.via === BridgeVia.HostPort ? "tcp" : bridge.protocol}`;
  const publish = bridge.nodePublish;
  if (!publish) {
    // Consumers on the node's own network reach it by the node's name; any other cannot.
    const consumers = context.topology.services.filter((s) => (s.consumes ?? []).some((c) => c.bridge === bridge.key));
    const onNodeNetwork = (s: ServiceSpec) => s.attachments.some((a) => context.networks.get(a.network)?.dockerName === nodes.network);
    const outside = consumers.filter((s) => !onNodeNetwork(s));
    if (consumers.length > 0 && outside.length === 0) return;
    const who = outside.length > 0 ? `${outside.map((s) => `services.${s.key}`).join(", ")} ${outside.length > 1 ? "are" : "is"} not on network ${quote(nodes.network)}` : "no Docker container here is on that network";
    issues.push(
      error(
        IssueCode.NodePortNotPublished,
        bridgePath(bridge),
        `port ${port} is inside the node container ${quote(nodes.container)}: the host and containers outside network ${quote(nodes.network)} cannot reach it, and ${who}. ` +
          `Publish it from the node (kind: extraPortMappings {containerPort: ${bridge.exposedPort}, hostPort: ${bridge.exposedPort}, listenAddress: "0.0.0.0"}; minikube: start with --ports=${bridge.exposedPort}:${bridge.exposedPort}) and list it under kubernetes.nodes.ports as "0.0.0.0:${bridge.exposedPort}:${bridge.exposedPort}"; ` +
          `or join the consumers to it (networks: {${nodes.network}: {external: true}}), where it is ${bridge.scheme}://${nodes.container}:${bridge.exposedPort}`,
      ),
    );
  } else if (isLoopback(publish.hostIp)) {
    issues.push(error(IssueCode.LoopbackBind, joinPath("kubernetes", "nodes", "ports", publish.index), `${quote(publish.hostIp)} is a loopback address: kubernetes.bridges.${bridge.key} needs containers to reach port ${port} of the node, and they never reach the host's loopback. Publish it on "0.0.0.0" (kind: listenAddress)`));
  }
}

/**
 * Every bridge targets a declared cluster service and one of its ports, has a
 * port known in advance on the node (a fixed nodePort, or a hostPort), and
 * binds an address containers reach: never loopback alone.
 */
export const bridges: Rule = {
  id: "bridges",
  summary: "bridges name a declared cluster service and port, a fixed node port or host port, a non-loopback bind address, a port container nodes publish, and a valid env var name",
  check(context) {
    const kubernetes = context.topology.kubernetes;
    if (!kubernetes) return [];
    const services = clusterServices(context);
    const declared = context.declared.clusterServices ?? new Set(services.keys());
    const gateway = context.topology.defaultBridge.gateway;
    const issues: Issue[] = [];
    for (const bridge of kubernetes.bridges) {
      const service = services.get(bridge.service);
      if (service) {
        if (checkTarget(bridge, service, issues)) checkExposure(bridge, service, issues);
      } else if (!declared.has(bridge.service)) {
        const hint = didYouMean(bridge.service, services.keys()) || `. Declare it under kubernetes.services.${bridge.service}`;
        issues.push(error(IssueCode.UnknownService, bridgePath(bridge, "service"), `${quote(bridge.service)} is not a declared cluster service${hint}`));
      }
      const address = readIp(bridgePath(bridge, "bindAddress"), bridge.bindAddress, undefined, issues);
      if (address && isLoopback(bridge.bindAddress)) {
        issues.push(error(IssueCode.LoopbackBind, bridgePath(bridge, "bindAddress"), `${quote(bridge.bindAddress)} is a loopback address: containers reach the node through host.docker.internal (the bridge gateway ${gateway}), never through its loopback. Use "0.0.0.0" or ${quote(gateway)}`));
      }
      checkNodeContainer(bridge, kubernetes.nodes, context, issues);
      checkEnvName(bridgePath(bridge, "env"), bridge.env, issues);
      if (!SCHEME.test(bridge.scheme)) issues.push(error(IssueCode.InvalidValue, bridgePath(bridge, "scheme"), `${quote(bridge.scheme)} is not a URL scheme, e.g. "http"`));
    }
    return issues;
  },
};
