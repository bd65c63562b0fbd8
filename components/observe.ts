/**
 * What a program built with these components declares, for tools that run the program on the mock
 * runtime (`container-topology plan|graph|explain` in any Pulumi project): each Topology reports its
 * normalized model, each component created on its own (not by a Topology) its normalized spec.
 *
 * The observers live on a process-wide symbol, so a program that loads its own copy of this package
 * (a consumer's node_modules) still reports to the CLI that runs it.
 */
import { RegistrySpec } from "../model/registry/types";
import { NetworkSpec, ServiceSpec, TopologySpec } from "../model/types";

/** One observation. */
export type Observed =
  | { readonly kind: "topology"; readonly model: TopologySpec }
  | { readonly kind: "network"; readonly spec: NetworkSpec }
  | { readonly kind: "service"; readonly spec: ServiceSpec }
  | { readonly kind: "registry"; readonly spec: RegistrySpec };

const KEY = Symbol.for("container-topology.observers");
type Observer = (observed: Observed) => void;

function observers(): Set<Observer> {
  const holder = globalThis as { [KEY]?: Set<Observer> };
  return (holder[KEY] ??= new Set());
}

/** Called by the components; does nothing unless a tool is observing. */
export function reportObserved(observed: Observed): void {
  for (const observer of observers()) observer(observed);
}

/** Records every observation until the returned function is called. */
export function observeComponents(observer: Observer): () => void {
  observers().add(observer);
  return () => observers().delete(observer);
}
