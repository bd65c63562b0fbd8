import { isDeepStrictEqual } from "util";
import { RenderedResource, runOnMocks } from "../cli/mock-runtime";
import { Topology } from "../components/topology";
import { DeclarationOptions, makeDeclaration, Shape } from "./declaration";
import { handwrittenProgram } from "./handwritten";
import { NAME, subnetsOf } from "./cases";

/** The resource name at the end of a URN. */
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** What must be equal between the two sides: the Docker resources as the provider and the engine would get them. */
function comparable(resource: RenderedResource) {
  return {
    type: resource.type,
    name: resource.name,
    inputs: resource.inputs,
    deleteBeforeReplace: resource.options.deleteBeforeReplace,
    replaceWith: resource.options.replaceWith.map(nameOf).sort(),
    dependencies: resource.options.dependencies.map(nameOf).sort(),
  };
}

const byKey = (a: { type: string; name: string }, b: { type: string; name: string }) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`);

/**
 * Runs both sides once on the recording mock runtime and returns the first
 * difference between their Docker resources (inputs, replace options,
 * dependencies), or undefined when they are the same: the benchmark compares
 * like with like. `stack` names both (and prefixes every Docker name), as in bench:real.
 */
export async function firstDifference(shape: Shape, options: DeclarationOptions = {}, stack = NAME): Promise<string | undefined> {
  const declaration = makeDeclaration(shape, options);
  const ours = (await runOnMocks(() => new Topology(stack, { declaration }), { stack })).resources.filter((r) => r.custom).map(comparable).sort(byKey);
  const theirs = (await runOnMocks(handwrittenProgram(shape, stack, subnetsOf(shape), options), { stack })).resources.filter((r) => r.custom).map(comparable).sort(byKey);
  if (ours.length !== theirs.length) return `Topology registered ${ours.length} Docker resources, the hand-written program ${theirs.length}`;
  for (let i = 0; i < ours.length; i++) {
    if (!isDeepStrictEqual(ours[i], theirs[i])) return `${ours[i]!.type} ${ours[i]!.name}:\n  Topology:     ${JSON.stringify(ours[i])}\n  hand-written: ${JSON.stringify(theirs[i])}`;
  }
  return undefined;
}
