import * as path from "path";
import { HOST, ReachabilityEdge } from "../model/reachability";
import { hostsSection } from "./hosts-section";
import { RenderedResource } from "./mock-runtime";
import { formatDiagnostic } from "./diagnostics";
import type { StackRun } from "./run-stack";
import { renderTable } from "./table";

/**
 * `docker:index/network:Network` -> `docker:index:Network`, as `pulumi preview`
 * displays types: the module's last segment goes when it only repeats the type
 * name (`kubernetes:apps/v1:Deployment` stays).
 */
export function displayType(type: string): string {
  const match = /^([^:]+):([^:]+)\/([^:/]+):([^:]+)$/.exec(type);
  if (!match || match[3]!.toLowerCase() !== match[4]!.toLowerCase()) return type;
  return `${match[1]}:${match[2]}:${match[4]}`;
}

type Inputs = Record<string, unknown>;
const list = (value: unknown): Inputs[] => (Array.isArray(value) ? (value as Inputs[]) : []);
const text = (value: unknown): string => (typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "");
const bracket = (ip: string) => (ip.includes(":") ? `[${ip}]` : ip);

/** The key inputs of one resource, by column: docker name, driver or image, subnets or ports, networks, mode. */
function keyInputs(resource: RenderedResource): [string, string, string, string, string] {
  const inputs = resource.inputs as Inputs;
  const name = text(inputs.name);
  switch (resource.type) {
    case "docker:index/network:Network": {
      const subnets = list(inputs.ipamConfigs).map((c) => [text(c.subnet), c.gateway ? `gw ${text(c.gateway)}` : "", c.ipRange ? `range ${text(c.ipRange)}` : ""].filter(Boolean).join(" "));
      const flags = ["internal", "attachable", "ipv6"].filter((f) => inputs[f] === true);
      const options = Object.entries((inputs.options ?? {}) as Inputs).map(([k, v]) => `${k}=${text(v)}`);
      return [name, text(inputs.driver), subnets.join("\n") || "(Docker allocates)", "", [...flags, ...options].join("\n")];
    }
    case "docker:index/container:Container": {
      const ports = list(inputs.ports).map((p) => `${bracket(text(p.ip) || "0.0.0.0")}:${text(p.external) || "random"}->${text(p.internal)}/${text(p.protocol) || "tcp"}`);
      const networks = list(inputs.networksAdvanced).map((n) => {
        const aliases = Array.isArray(n.aliases) ? (n.aliases as unknown[]).map(text) : [];
        const ips = [n.ipv4Address, n.ipv6Address].map(text).filter(Boolean);
        return `${text(n.name)}${aliases.length > 0 ? ` (${aliases.join(", ")})` : ""}${ips.length > 0 ? ` ip ${ips.join(" ")}` : ""}`;
      });
      return [name, text(inputs.image), ports.join("\n"), networks.join("\n"), text(inputs.networkMode)];
    }
    default: {
      const metadata = inputs.metadata as Inputs | undefined;
      return [name || text(metadata?.name), text(inputs.image), "", "", ""];
    }
  }
}

/** Resources as `pulumi preview` would list them: components indented above their children. */
export function resourceTable(resources: readonly RenderedResource[]): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const depth = (resource: RenderedResource): number => {
    let d = 0;
    for (let parent = resource.parent && byUrn.get(resource.parent); parent; parent = parent.parent && byUrn.get(parent.parent)) d++;
    return d;
  };
  const children = new Map<string, RenderedResource[]>();
  const roots: RenderedResource[] = [];
  for (const resource of resources) {
    const siblings = resource.parent && byUrn.has(resource.parent) ? (children.get(resource.parent) ?? children.set(resource.parent, []).get(resource.parent)!) : roots;
    siblings.push(resource);
  }
  const ordered: RenderedResource[] = [];
  const visit = (r: RenderedResource) => {
    ordered.push(r);
    (children.get(r.urn) ?? []).forEach(visit);
  };
  roots.forEach(visit);
  const rows = ordered.map((r) => [`${"  ".repeat(depth(r))}${displayType(r.type)}`, r.name, ...keyInputs(r)]);
  return renderTable(["TYPE", "NAME", "DOCKER NAME", "DRIVER / IMAGE", "SUBNET / PORTS", "NETWORKS (ALIASES)", "MODE / OPTIONS"], rows);
}

const endLabel = (ref: string) => (ref.startsWith("services.") ? ref.slice("services.".length) : ref);

/** `9000 network`, `8080 published-port`: the port and how, for a matrix cell. */
function cell(edges: readonly ReachabilityEdge[]): string {
  const seen = new Set<string>();
  for (const e of edges) seen.add(`${e.port ?? "(any port)"}${e.protocol === "tcp" ? "" : `/${e.protocol}`} ${e.via}`);
  return [...seen].join("\n");
}

/**
 * The reachability matrix: one row per client (the host first), one column per
 * listener, each cell the ports reachable and how (`via`); `-` where nothing
 * gets through.
 */
export function reachabilityMatrix(edges: readonly ReachabilityEdge[], services: readonly string[], hostServices: readonly string[], hosts: readonly string[] = []): string[] {
  const from = [...(hosts.length > 1 ? hosts.map((h) => `hosts.${h}`) : [HOST]), ...services.map((s) => `services.${s}`)];
  const to = [...services.map((s) => `services.${s}`), ...hostServices.map((h) => `hostServices.${h}`)];
  // Ends the model lists elsewhere (Kubernetes services, the host as a listener), in edge order.
  for (const e of edges) {
    if (!from.includes(e.from)) from.push(e.from);
    if (!to.includes(e.to)) to.push(e.to);
  }
  const rows = from.map((f) => [endLabel(f), ...to.map((t) => cell(edges.filter((e) => e.from === f && e.to === t)) || "-")]);
  return renderTable(["FROM \\ TO", ...to.map(endLabel)], rows);
}

/** Every edge with what to dial and why. */
export function connectionTable(edges: readonly ReachabilityEdge[]): string[] {
  const rows = edges.map((e) => [
    endLabel(e.from),
    endLabel(e.to),
    `${e.host ?? "<container IP>"}:${e.port ?? "<any port>"}/${e.protocol}`,
    `${e.via}${e.network ? ` (${e.network})` : ""}`,
    e.reason,
  ]);
  return renderTable(["FROM", "TO", "DIAL", "VIA", "WHY"], rows);
}

/** Where each published port is reached, from the program's `endpoints` output. */
function endpointTable(endpoints: unknown): string[] {
  const rows = list(endpoints).map((e) => [
    text(e.service),
    `${text(e.target)}/${text(e.protocol)}`,
    text(e.hostAddress) || (e.unreachable ? `- (${text(e.unreachable)})` : "-"),
    text(e.containerAddress) || (e.unreachable ? "-" : "- (bound to a host-only address)"),
    list(e.networkAddresses).map((n) => `${text(n.address)} on ${text(n.network)}`).join("\n") || "-",
  ]);
  return rows.length === 0 ? [] : renderTable(["SERVICE", "TARGET", "FROM THE HOST", "FROM CONTAINERS (GATEWAY)", "FROM SHARED NETWORKS"], rows);
}

/** The diagnostics section: every diagnostic on its own line. */
export function diagnosticLines(run: StackRun): string[] {
  return run.diagnostics.length === 0 ? ["Diagnostics: none"] : ["Diagnostics:", ...run.diagnostics.map((d) => `  ${formatDiagnostic(d)}`)];
}

/**
 * The plan of a stack that checks out: the resources `pulumi up` would
 * create, the published endpoints, the reachability matrix and the
 * connections behind it, then every diagnostic.
 */
export function planReport(run: StackRun): string[] {
  const { stack, model, reachability } = run;
  const custom = run.resources.filter((r) => r.custom).length;
  const out = [
    `Stack ${stack.stack} (project ${stack.project}, ${path.basename(stack.file)}): ${run.resources.length} resources, ${custom} of them Docker objects`,
    "",
    ...resourceTable(run.resources),
  ];
  const endpoints = endpointTable(run.outputs.endpoints);
  if (endpoints.length > 0) out.push("", "Published endpoints:", ...endpoints);
  const hosts = model ? hostsSection(model) : [];
  if (hosts.length > 0) out.push("", ...hosts);
  if (model && reachability) {
    const services = model.services.map((s) => s.key);
    const hostServices = model.hostServices.map((h) => h.key);
    if (services.length === 0 && hostServices.length === 0 && reachability.edges.length === 0) out.push("", "Reachability: nothing listens (no services declared).");
    else out.push("", "Reachability (rows reach columns: port and how):", ...reachabilityMatrix(reachability.edges, services, hostServices, (model.hosts ?? []).map((h) => h.key)));
    if (reachability.edges.length > 0) out.push("", "Connections:", ...connectionTable(reachability.edges));
  }
  out.push("", ...diagnosticLines(run));
  return out;
}

/** What a failed run prints: the count, then every diagnostic on its own line. */
export function failureReport(run: StackRun): string[] {
  const errors = run.diagnostics.filter((d) => d.severity === "error").length;
  return [`Stack ${run.stack.stack}: ${errors} error${errors === 1 ? "" : "s"} in ${path.basename(run.stack.file)}; pulumi up would stop before creating anything.`, ...diagnosticLines(run)];
}
