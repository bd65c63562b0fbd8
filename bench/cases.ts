import { checkTopology } from "../model/check";
import { computeReachability } from "../model/reachability";
import { TopologySpec } from "../model/types";
import { validateTopology } from "../model/validate";
import { Topology } from "../components/topology";
import { makeDeclaration, networkKey, Shape } from "./declaration";
import { handwrittenProgram } from "./handwritten";
import { runLean } from "./mocks";

/** Name of the Topology (and prefix of every resource name) on both sides; also the stack name. */
export const NAME = "bench";

/** The two ways of declaring the same Docker resources. */
export type Side = "topology" | "handwritten";

/** What one program run registered. */
export interface ProgramResult {
  readonly registered: number;
  /** Reachability edges (Topology only). */
  readonly edges?: number;
}

/** N services over N/20 networks (the program benchmark). */
export const programShape = (services: number): Shape => ({ services, networks: Math.max(1, Math.round(services / 20)) });
/** N services over N/10 networks (the validation scaling benchmark: 1,000 on 100, 10,000 on 1,000). */
export const validationShape = (services: number): Shape => ({ services, networks: Math.max(1, Math.round(services / 10)) });

/**
 * A prepared run of one side on the lean mock runtime. The declaration is built
 * beforehand (it is data, like the stack config); the hand-written program
 * builds its literal inputs as it goes, as user code would.
 */
export function prepareProgram(side: Side, shape: Shape): () => Promise<ProgramResult> {
  if (side === "handwritten") {
    const program = handwrittenProgram(shape, NAME, subnetsOf(shape));
    return async () => ({ registered: (await runLean(program, NAME)).registered });
  }
  const declaration = makeDeclaration(shape);
  return async () => {
    const run = await runLean(() => new Topology(NAME, { declaration }), NAME);
    return { registered: run.registered, edges: run.value.reachability.edges.length };
  };
}

/** The IPv4 subnet of every network (by index) as Topology renders it, for the hand-written program's literals. */
export function subnetsOf(shape: Shape): string[] {
  const networks = new Map(prepareModel(shape).networks.map((n) => [n.key, n]));
  return Array.from({ length: shape.networks }, (_, k) => {
    const subnet = networks.get(networkKey(k))?.pools.find((p) => p.family === "ipv4")?.subnet;
    if (subnet === undefined) throw new Error(`${networkKey(k)} got no subnet`);
    return subnet;
  });
}

/** The normalized model of a shape, built once, outside timing. */
export function prepareModel(shape: Shape): TopologySpec {
  return checkTopology(makeDeclaration(shape), { namePrefix: NAME }).topology;
}

/**
 * validateTopology + computeReachability, as a Topology run does them, on a
 * fresh copy of the model: the address plan the rules share is cached per model
 * value, and a Topology run computes it once.
 */
export function validateAndReach(topology: TopologySpec): { issues: number; edges: number } {
  const fresh = { ...topology };
  const issues = validateTopology(fresh).length;
  const edges = computeReachability(fresh).edges.length;
  return { issues, edges };
}
