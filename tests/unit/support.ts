import { RenderedResource } from "../../cli/mock-runtime";

/** The resources of one type, in registration order. */
export function ofType(resources: readonly RenderedResource[], type: string): RenderedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of a type and name; fails loudly when absent. */
export function resource(resources: readonly RenderedResource[], type: string, name: string): RenderedResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}; have: ${resources.map((r) => `${r.type}:${r.name}`).join(", ")}`);
  return found;
}

/** Short type tokens. */
export const T = {
  network: "docker:index/network:Network",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
} as const;
