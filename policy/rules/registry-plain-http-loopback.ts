/**
 * registry-plain-http-loopback: a registry that speaks plain HTTP is published on loopback only, and
 * TLS verification is skipped only for loopback registries.
 *
 * Docker talks plain HTTP (or unverified TLS) only to "insecure registries", and treats 127.0.0.0/8
 * as one by default; anywhere else, images and credentials cross the network in clear. A registry
 * container without `REGISTRY_HTTP_TLS_CERTIFICATE` must therefore publish its ports on 127.0.0.1 or
 * ::1 (and not use the host network), and a RegistryImage with `insecureSkipVerify` must push to a
 * loopback registry.
 */
import { allowNames, describePort, displayName, DockerType, envsOf, isRegistry, portsOf } from "../lib/docker";
import { hostOfHostPort, registryHost } from "../lib/image";
import { isLoopback, isLoopbackName, parseAddress } from "../lib/ip";
import { matchesAny } from "../lib/match";
import { Findings, resourceRule, ResourceView } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";
import { bool, str } from "../lib/values";

export interface RegistryPlainHttpLoopbackConfig {
  readonly allow: readonly string[];
}

function isLoopbackHost(host: string): boolean {
  if (isLoopbackName(host)) return true;
  const address = parseAddress(host);
  return address !== undefined && isLoopback(address);
}

/** The non-loopback exposures of a registry container, as message fragments. */
function exposures(resource: ResourceView, findings: Findings): string[] {
  const out: string[] = [];
  const mode = str(resource.props["networkMode"]);
  if (isUnknown(mode)) findings.unknown(mode);
  else if (mode?.toLowerCase() === "host") out.push('networkMode: "host" (it listens on every host address)');
  const { ports, unknown } = portsOf(resource.props);
  unknown.forEach((u) => findings.unknown(u));
  for (const port of ports) {
    if (isUnknown(port.ip)) {
      findings.unknown(port.ip);
      continue;
    }
    if (port.ip !== undefined && port.ip.trim() !== "" && isLoopbackHost(port.ip)) continue;
    out.push(`${port.path} ${describePort(port)} on ${port.ip === undefined || port.ip.trim() === "" ? "0.0.0.0 (no ip)" : port.ip}`);
  }
  return out;
}

function checkContainer(resource: ResourceView, findings: Findings): void {
  const registry = isRegistry(resource.props);
  if (registry === false) return;
  if (registry !== true) {
    registry.forEach((u) => findings.unknown(u));
    return;
  }
  // Decide on the ports first: a registry published on loopback only needs no answer about TLS.
  const scratch = new Findings();
  const exposed = exposures(resource, scratch);
  if (exposed.length === 0 && scratch.unknowns.length === 0) return;
  const envs = envsOf(resource.props);
  const cert = envs.values.get("REGISTRY_HTTP_TLS_CERTIFICATE");
  if (isUnknown(cert)) {
    findings.unknown(cert);
    return;
  }
  if (cert !== undefined && cert !== "") return;
  if (envs.unknown.length > 0) {
    envs.unknown.forEach((u) => findings.unknown(u));
    return;
  }
  findings.adoptUnknowns(scratch);
  if (exposed.length === 0) return;
  findings.violation(
    `container ${displayName(resource)}: the registry serves plain HTTP (no REGISTRY_HTTP_TLS_CERTIFICATE in envs) and is reachable beyond loopback: ` +
      `${exposed.join("; ")}. Publish it on 127.0.0.1 only, or give it a TLS certificate`,
  );
}

function checkRegistryImage(resource: ResourceView, findings: Findings): void {
  const skip = bool(resource.props["insecureSkipVerify"]);
  if (isUnknown(skip)) {
    findings.unknown(skip);
    return;
  }
  if (skip !== true) return;
  const name = str(resource.props["name"]);
  if (isUnknown(name)) {
    findings.unknown(name);
    return;
  }
  const host = name === undefined ? undefined : registryHost(name);
  if (host !== undefined && isLoopbackHost(hostOfHostPort(host))) return;
  findings.violation(
    `registry image ${JSON.stringify(name ?? resource.name)} insecureSkipVerify: true turns off TLS verification for ` +
      `${host === undefined ? "Docker Hub" : JSON.stringify(host)}, which is not a loopback registry. Remove insecureSkipVerify, ` +
      `or push to a registry on localhost/127.0.0.1`,
  );
}

export const registryPlainHttpLoopback = resourceRule<RegistryPlainHttpLoopbackConfig>({
  name: "registry-plain-http-loopback",
  description:
    "Registry containers without TLS publish only on loopback (127.0.0.1/::1); RegistryImage sets insecureSkipVerify only for loopback registries.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Bind the registry's published ports to 127.0.0.1, or configure REGISTRY_HTTP_TLS_CERTIFICATE and REGISTRY_HTTP_TLS_KEY.",
  types: [DockerType.Container, DockerType.RegistryImage],
  config: {
    allow: allowList("Registry containers or registry images (globs over the Docker or Pulumi name) left out of the check."),
  },
  check: (resource, config, findings) => {
    if (matchesAny(config.allow, allowNames(resource))) return;
    if (resource.type === DockerType.RegistryImage) checkRegistryImage(resource, findings);
    else checkContainer(resource, findings);
  },
});
