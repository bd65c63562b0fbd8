/**
 * One Docker provider per declared host (`hosts.<key>`): its `host` URL, and for a `tcp://` engine
 * the TLS material read from the stack's config secrets. Overlays are created through the swarm
 * manager's provider; every other object through the provider of its host.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { managerOf } from "../../model/hosts/normalize";
import { HostSpec } from "../../model/hosts/types";

/** A config secret by key: `namespace:key`, or `key` in the project's namespace. */
function secret(key: string): pulumi.Output<string> {
  const at = key.indexOf(":");
  return at < 0 ? new pulumi.Config().requireSecret(key) : new pulumi.Config(key.slice(0, at)).requireSecret(key.slice(at + 1));
}

/** The provider arguments of a host. */
export function providerArgs(host: HostSpec): docker.ProviderArgs {
  return {
    ...(host.host !== undefined ? { host: host.host } : {}),
    ...(host.tls !== undefined ? { caMaterial: secret(host.tls.ca), certMaterial: secret(host.tls.cert), keyMaterial: secret(host.tls.key) } : {}),
  };
}

/** The providers of the declared hosts, by key; named `<name>-<host key>`. */
export function hostProviders(name: string, hosts: readonly HostSpec[], parent: pulumi.Resource): Readonly<Record<string, docker.Provider>> {
  return Object.fromEntries(hosts.map((h) => [h.key, new docker.Provider(`${name}-${h.key}`, providerArgs(h), { parent })]));
}

export { managerOf };
