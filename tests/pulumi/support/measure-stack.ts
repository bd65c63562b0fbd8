/**
 * The reachability measurement of tests/e2e, run on the containers a real `pulumi up` created: the
 * stack's declaration gives the model's prediction (the same checkTopology and computeReachability
 * the program runs, with the stack name as prefix), the engine is asked for the containers that
 * carry the topology's label, and every predicted edge and non-edge that names a port is dialled.
 */
import type Docker from "dockerode";
import { parse } from "yaml";
import { checkTopology } from "../../../model/check";
import { computeReachability } from "../../../model/reachability";
import { TopologySpec } from "../../../model/types";
import { MANAGED_LABEL } from "../../../components/docker/render-network";
import { hostListener, HostListener } from "../../e2e/support/engine";
import { Measurement, MeasureContext, measureEdge, measureNonEdge, pairNonEdges, pool } from "../../e2e/support/measure";

/** The declaration under `container-topology:topology` in a stack file's text. */
export function stackDeclaration(yaml: string): unknown {
  const doc = parse(yaml) as { config?: Record<string, unknown> };
  return doc.config?.["container-topology:topology"] ?? {};
}

/** What a stack measurement found. */
export interface StackMeasurement {
  readonly topology: TopologySpec;
  readonly measurements: readonly Measurement[];
  /** Predicted edges without a port (a namespace that declares none): nothing to dial in a real stack. */
  readonly portless: number;
  /** Docker names of the running containers that carry the managed label and the stack's prefix. */
  readonly containers: readonly string[];
}

/** Docker names of the labelled containers whose name starts with `<stack>-`. */
export async function labelledContainers(docker: Docker, stack: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${MANAGED_LABEL}=true`] }) });
  return list.flatMap((c) => c.Names.map((n) => n.replace(/^\//, ""))).filter((n) => n.startsWith(`${stack}-`)).sort();
}

/**
 * Measures every predicted edge with a port and every predicted non-edge of the stack's declaration
 * on the engine, with host listeners started for its host services.
 */
export async function measureStack(docker: Docker, stack: string, declaration: unknown): Promise<StackMeasurement> {
  const { topology } = checkTopology(declaration, { namePrefix: stack });
  const reachability = computeReachability(topology);
  const listeners: HostListener[] = [];
  try {
    for (const h of topology.hostServices.filter((s) => s.protocol === "tcp")) listeners.push(await hostListener(h.address, h.port));
    const ctx: MeasureContext = { docker, topology, reachability };
    const edges = reachability.edges.filter((e) => e.port !== undefined && e.protocol !== "udp" && e.protocol !== "sctp");
    const nonEdges = await pairNonEdges(ctx);
    const measurements = await pool(4, [...edges.map((e) => () => measureEdge(ctx, e)), ...nonEdges.map((n) => () => measureNonEdge(ctx, n))]);
    return {
      topology,
      measurements,
      portless: reachability.edges.filter((e) => e.port === undefined).length,
      containers: await labelledContainers(docker, stack),
    };
  } finally {
    for (const l of listeners) await l.close();
  }
}
