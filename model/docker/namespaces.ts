import { ServiceSpec } from "../types";

/** The service owning the network namespace `service` runs in (itself unless `container:X`); stops at unknown targets and cycles. */
export function namespaceOwner(service: ServiceSpec, services: ReadonlyMap<string, ServiceSpec>): ServiceSpec {
  let current = service;
  const seen = new Set<string>();
  while (current.mode.kind === "container" && !seen.has(current.key)) {
    seen.add(current.key);
    const next = services.get(current.mode.service);
    if (!next) break;
    current = next;
  }
  return current;
}

/** Services with every `container:X` owner before the services that join its namespace (Docker needs the owner to exist). */
export function creationOrder(services: readonly ServiceSpec[]): ServiceSpec[] {
  const byKey = new Map(services.map((s) => [s.key, s]));
  const done = new Set<string>();
  const order: ServiceSpec[] = [];
  const visit = (service: ServiceSpec) => {
    if (done.has(service.key)) return;
    done.add(service.key);
    if (service.mode.kind === "container") {
      const owner = byKey.get(service.mode.service);
      if (owner) visit(owner);
    }
    order.push(service);
  };
  services.forEach(visit);
  return order;
}
