import { error, Issue, IssueCode } from "../errors";
import { joinPath } from "../paths";
import { didYouMean, quote } from "../suggest";
import { ServiceSpec } from "../types";
import { RuleContext, Rule } from "./rule";

function modeName(service: ServiceSpec): string {
  const mode = service.mode;
  return mode.kind === "container" ? `container:${mode.service}` : mode.kind === "default-bridge" ? "bridge" : mode.kind;
}

/** Settings Docker refuses (or silently ignores) with a shared or absent network stack. */
function conflicts(service: ServiceSpec, issues: Issue[]) {
  const kind = service.mode.kind;
  const at = (...segments: (string | number)[]) => joinPath("services", service.key, ...segments);
  const mode = quote(modeName(service));
  if (kind === "networks") return;
  if (service.attachments.length > 0) {
    const why =
      kind === "default-bridge"
        ? "the container would sit on the default bridge, where containers find each other by IP only. Remove networkMode to use the declared networks"
        : kind === "host"
          ? "the container uses the host's network stack and joins no network. Remove networks or networkMode"
          : kind === "none"
            ? "the container has no network at all. Remove networks or networkMode"
            : "the container joins the network stack of another container. Attach that container to the networks instead";
    issues.push(error(IssueCode.NetworkModeConflict, at("networks"), `networkMode ${mode} cannot be combined with networks: ${why}`));
  }
  if (kind === "default-bridge") return;
  if (service.ports.length > 0) {
    const why =
      kind === "host"
        ? "Docker discards published ports in host mode; the process listens on the host directly. Remove ports"
        : kind === "none"
          ? "a container without a network cannot be reached. Remove ports"
          : "the ports of a shared network stack are published by the container that owns it. Publish them there";
    issues.push(error(IssueCode.NetworkModeConflict, at("ports"), `networkMode ${mode} cannot publish ports: ${why}`));
  }
  if (kind !== "container") return;
  const owner = `services.${service.mode.kind === "container" ? service.mode.service : ""}`;
  if (service.expose.length > 0) issues.push(error(IssueCode.NetworkModeConflict, at("expose"), `networkMode ${mode} cannot expose ports: Docker refuses it. Expose them on ${owner}`));
  // normalize adds no host-gateway mapping in this mode, so every entry here was declared.
  if (service.extraHosts.length > 0) issues.push(error(IssueCode.NetworkModeConflict, at("extraHosts"), `networkMode ${mode} cannot add host mappings: /etc/hosts belongs to the shared namespace. Declare them on ${owner}`));
  if (service.dns.length > 0 || service.dnsSearch.length > 0 || service.dnsOptions.length > 0) {
    const field = service.dns.length > 0 ? "dns" : service.dnsSearch.length > 0 ? "dnsSearch" : "dnsOptions";
    issues.push(error(IssueCode.NetworkModeConflict, at(field), `networkMode ${mode} cannot set DNS: resolv.conf belongs to the shared namespace. Declare it on ${owner}`));
  }
  if (service.hostname !== undefined) issues.push(error(IssueCode.NetworkModeConflict, at("hostname"), `networkMode ${mode} cannot set a hostname: the UTS namespace is shared. Remove hostname`));
}

/** container:X targets: unknown services, and cycles reported once as a path. */
function containerTargets({ topology, services, declared }: RuleContext, issues: Issue[]) {
  const target = (key: string): string | undefined => {
    const mode = services.get(key)?.mode;
    return mode?.kind === "container" ? mode.service : undefined;
  };
  const reported = new Set<string>();
  for (const service of topology.services) {
    const next = target(service.key);
    if (next === undefined) continue;
    const path = joinPath("services", service.key, "networkMode");
    if (!services.has(next)) {
      if (!declared.services.has(next)) {
        const candidates = [...declared.services].filter((k) => k !== service.key);
        issues.push(error(IssueCode.UnknownService, path, `container:${next} names no declared service${didYouMean(next, candidates) || ". Use container:<service key>"}`));
      }
      continue;
    }
    const chain = [service.key];
    let current: string | undefined = next;
    while (current !== undefined && !chain.includes(current)) {
      chain.push(current);
      current = target(current);
    }
    if (current === undefined) continue;
    const cycle = chain.slice(chain.indexOf(current));
    // Report each cycle once, at its smallest member, walking from there.
    const start = [...cycle].sort()[0]!;
    if (start !== service.key || reported.has(start)) continue;
    reported.add(start);
    const walk = [...cycle.slice(cycle.indexOf(start)), ...cycle.slice(0, cycle.indexOf(start)), start];
    issues.push(error(IssueCode.NetworkModeCycle, path, `container:${next} forms a cycle: ${walk.join(" -> ")}. One of them must own its network stack`));
  }
}

/** networkMode host/none/container:X/bridge against networks, ports and the settings Docker refuses with them. */
export const networkMode: Rule = {
  id: "network-mode",
  summary: "network modes are not combined with networks, ports or settings Docker ignores or refuses; container:X names a service and forms no cycle",
  check(context) {
    const issues: Issue[] = [];
    for (const service of context.topology.services) conflicts(service, issues);
    containerTargets(context, issues);
    return issues;
  },
};
