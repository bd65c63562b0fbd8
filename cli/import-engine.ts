/**
 * `container-topology import --from-engine`: what runs on the engine, selected by label or by name,
 * written as a stack declaration whose networks and services carry `adopt: <docker id>`, so that
 * `pulumi up` imports them (no replacement) and owns them from then on. The engine is read with
 * dockerode (DOCKER_HOST, TLS env); nothing on it is changed.
 */
import Docker from "dockerode";
import { engineToCompose, InspectedContainer, InspectedImageConfig, InspectedNetwork } from "../model/adopt/engine-to-compose";
import { convertCompose } from "../model/compose/convert";
import { ComposeImport, stackFileOf } from "./import-compose";
import { engineAddress } from "../components/docker/engine-snapshot";

/** Which objects to adopt: those carrying every label (`KEY=VALUE` or `KEY`), and those named. */
export interface EngineSelection {
  readonly labels: readonly string[];
  readonly names: readonly string[];
}

/** Reads the selected containers (with their images) and the engine's networks. */
async function readSelection(docker: Docker, selection: EngineSelection) {
  const byLabel = selection.labels.length > 0 ? { filters: JSON.stringify({ label: selection.labels }) } : undefined;
  const listed = byLabel ? await docker.listContainers({ all: true, ...byLabel }) : [];
  const named = await Promise.all(selection.names.map((n) => docker.getContainer(n).inspect().then((c) => c.Id, () => undefined)));
  const ids = [...new Set([...listed.map((c) => c.Id), ...named.filter((id): id is string => id !== undefined)])];
  const containers = await Promise.all(
    ids.map(async (id) => {
      const container = (await docker.getContainer(id).inspect()) as unknown as InspectedContainer & { Image: string };
      const image = await docker.getImage(container.Image).inspect().then((i) => i.Config as unknown as InspectedImageConfig, () => undefined);
      return { container, ...(image ? { image } : {}) };
    }),
  );
  const networks = (await docker.listNetworks()) as unknown as InspectedNetwork[];
  const labelled = byLabel ? new Set(((await docker.listNetworks(byLabel)) as unknown as InspectedNetwork[]).map((n) => n.Id)) : new Set<string>();
  const adopt = new Set(networks.filter((n) => labelled.has(n.Id) || selection.names.includes(n.Name)).map((n) => n.Id));
  return { containers: containers.sort((a, b) => a.container.Name.localeCompare(b.container.Name)), networks, adopt };
}

/**
 * The stack file adopting the selection, with what could not be said as comments, then checked with
 * the pure pipeline. Networks the containers join that are not selected are written as external.
 * Rejects when the engine cannot be reached; reports (failed) when nothing matches.
 */
export async function importFromEngine(selection: EngineSelection, stack: string, env: NodeJS.ProcessEnv = process.env): Promise<ComposeImport> {
  const docker = new Docker();
  const source = engineAddress(env);
  const { containers, networks, adopt } = await readSelection(docker, selection);
  if (containers.length === 0 && adopt.size === 0) {
    const wanted = [...selection.labels.map((l) => `label ${l}`), ...selection.names.map((n) => `name ${n}`)].join(", ");
    return { stackFile: "", report: [`error: ${source}: no container or network matches ${wanted || "(nothing selected: give --label or --name)"}`], failed: true };
  }
  const engine = engineToCompose(containers, networks, adopt);
  const conversion = convertCompose(engine.compose);
  const declaration = conversion.declaration as { networks?: Record<string, Record<string, unknown>>; services?: Record<string, Record<string, unknown>> };
  for (const [key, id] of Object.entries(engine.networkIds)) if (declaration.networks?.[key]) declaration.networks[key]["adopt"] = id;
  for (const [key, id] of Object.entries(engine.containerIds)) {
    const service = declaration.services?.[key];
    if (!service) continue;
    service["adopt"] = id;
    // Docker adds host.docker.internal only when asked; this tool adds it by default.
    service["hostGateway"] = engine.hostGateway.has(key);
  }
  const adoptNote = {
    path: "adopt",
    reason: `the next pulumi up --stack ${stack} imports each object with an ID (nothing is created or replaced); after it, write adopt: true in place of each ID, as Pulumi refuses to replace a resource whose program still names an import ID`,
  };
  return stackFileOf({ ...conversion, unmapped: [...engine.unmapped, ...conversion.unmapped], notes: [...conversion.notes, adoptNote] }, source, stack, "import --from-engine");
}
