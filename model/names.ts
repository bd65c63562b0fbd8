import { AttachmentSpec, ServiceSpec } from "./types";

/** Aliases a service gets on a user-defined network: its key (as compose does; not for an adopted container), then declared and shared aliases, without duplicates. */
export function networkAliases(service: ServiceSpec, attachment: AttachmentSpec): string[] {
  // An adopted container keeps the aliases it has: adding its key would replace it.
  const implicit = service.adopt === undefined ? [service.key] : [];
  return [...new Set([...implicit, ...attachment.aliases, ...attachment.sharedAliases])];
}

/** Every name that resolves to the service on a user-defined network: the container name and the aliases. */
export function dnsNames(service: ServiceSpec, attachment: AttachmentSpec): string[] {
  return [...new Set([service.dockerName, ...networkAliases(service, attachment)])];
}
