import { error, Issue, IssueCode } from "../../errors";
import { readIp } from "../../rules/address-checks";
import { isPort } from "../../rules/port-ranges";
import { Rule } from "../../rules/rule";
import { didYouMean, listValues, quote } from "../../suggest";
import { ClusterServiceSpec, ClusterServiceType, NODE_PORT_RANGE } from "../types";
import { portPath, servicePath } from "./common";

/** True for a port in the node port range (30000-32767). */
export function isNodePort(value: number): boolean {
  return Number.isInteger(value) && value >= NODE_PORT_RANGE.min && value <= NODE_PORT_RANGE.max;
}

/** Pushes port-out-of-range unless the value is a port. */
export function checkPort(path: string, value: number | undefined, issues: Issue[]): void {
  if (value === undefined || isPort(value)) return;
  issues.push(error(IssueCode.PortOutOfRange, path, `${value} is not a port: use 1-65535`));
}

/** Pushes node-port-out-of-range unless the value is in 30000-32767. */
export function checkNodePort(path: string, value: number | undefined, issues: Issue[], hint = "Leave nodePort out to let Kubernetes pick one"): void {
  if (value === undefined || isNodePort(value)) return;
  issues.push(error(IssueCode.NodePortOutOfRange, path, `${value} is outside the node port range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}. ${hint}`));
}

function checkService(service: ClusterServiceSpec, issues: Issue[]) {
  const seen = new Map<string, number>();
  for (const port of service.ports) {
    const at = (field: string) => portPath(service, port, field);
    checkPort(at("port"), port.port, issues);
    checkPort(at("targetPort"), port.targetPort, issues);
    checkPort(at("hostPort"), port.hostPort, issues);
    if (port.nodePort !== undefined) {
      if (service.type === ClusterServiceType.ClusterIP) {
        issues.push(error(IssueCode.InvalidValue, at("nodePort"), `needs type NodePort or LoadBalancer; this service is "ClusterIP". Set type: NodePort`));
      } else {
        checkNodePort(at("nodePort"), port.nodePort, issues);
      }
    }
    if (port.hostIP !== undefined) {
      readIp(at("hostIP"), port.hostIP, undefined, issues);
      if (port.hostPort === undefined) issues.push(error(IssueCode.InvalidValue, at("hostIP"), "has no effect without hostPort. Set hostPort, or remove hostIP"));
    }
    if (service.hostNetwork && port.hostPort !== undefined && port.hostPort !== port.targetPort) {
      issues.push(error(IssueCode.InvalidValue, at("hostPort"), `${port.hostPort} must equal targetPort ${port.targetPort} with hostNetwork: the pod listens on the node directly`));
    }
    const key = `${port.port}/${port.protocol}`;
    const first = seen.get(key);
    if (first !== undefined) issues.push(error(IssueCode.PortClash, at("port"), `${key} is also ports[${first}] of this service. Each Service port and protocol appears once`));
    else seen.set(key, port.index);
  }
  if (!Number.isInteger(service.replicas) || service.replicas < 0) {
    issues.push(error(IssueCode.InvalidValue, servicePath(service, "replicas"), `${service.replicas} is not a replica count: use 0 or more`));
  }
  const probe = service.readinessProbe;
  if (probe) {
    const at = (field: string) => servicePath(service, "readinessProbe", field);
    if (probe.port === undefined) {
      issues.push(error(IssueCode.MissingField, at("port"), "is required: the service declares no ports to probe"));
    } else if (typeof probe.port === "string") {
      const names = service.ports.flatMap((p) => (p.name !== undefined ? [p.name] : []));
      if (!names.includes(probe.port)) {
        const hint = didYouMean(probe.port, names) || (names.length > 0 ? `. Port names: ${listValues(names, "and")}` : ". Name the port under ports");
        issues.push(error(IssueCode.InvalidValue, at("port"), `${quote(probe.port)} is not a port name of this service${hint}`));
      }
    } else {
      checkPort(at("port"), probe.port, issues);
    }
    if (probe.path !== undefined && !probe.path.startsWith("/")) issues.push(error(IssueCode.InvalidValue, at("path"), `${quote(probe.path)} must start with "/"`));
    for (const field of ["periodSeconds", "failureThreshold"] as const) {
      if (probe[field] < 1) issues.push(error(IssueCode.InvalidValue, at(field), `${probe[field]} must be at least 1`));
    }
    if (probe.initialDelaySeconds < 0) issues.push(error(IssueCode.InvalidValue, at("initialDelaySeconds"), `${probe.initialDelaySeconds} must not be negative`));
  }
  service.hostAliases.forEach((alias, index) => {
    const path = servicePath(service, "hostAliases", index);
    if (alias.ip === "host-gateway") {
      issues.push(error(IssueCode.InvalidIp, path, `"host-gateway" is a Docker keyword Kubernetes does not resolve: a host alias needs an IP address, e.g. the node's address as pods see it`));
    } else {
      readIp(path, alias.ip, undefined, issues);
    }
  });
}

/** Ports are in range, node ports only on NodePort/LoadBalancer services and in 30000-32767, probes and host aliases are usable. */
export const clusterPorts: Rule = {
  id: "cluster-ports",
  summary: "cluster ports are in 1-65535, node ports in 30000-32767 on NodePort/LoadBalancer services only, hostIP only with hostPort, probes name a declared port, host aliases are addresses",
  check({ topology }) {
    const issues: Issue[] = [];
    for (const service of topology.kubernetes?.services ?? []) checkService(service, issues);
    return issues;
  },
};
