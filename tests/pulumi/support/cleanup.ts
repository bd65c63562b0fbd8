/** Removing what a test stack left on the engine, even when a test failed half-way. */
import type Docker from "dockerode";
import { MANAGED_LABEL } from "../../../components/docker/render-network";

const ignoreGone = (err: { statusCode?: number }) => {
  if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
};

/**
 * Removes the containers, networks and volumes that carry the topology's label and whose Docker name
 * starts with `<stack>-` (what the components name a stack's objects), in that order.
 */
export async function cleanupStack(docker: Docker, stack: string): Promise<void> {
  const label = JSON.stringify({ label: [`${MANAGED_LABEL}=true`] });
  const ours = (name: string) => name.replace(/^\//, "").startsWith(`${stack}-`);
  for (const c of await docker.listContainers({ all: true, filters: label })) {
    if (c.Names.some(ours)) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone);
  }
  for (const n of await docker.listNetworks({ filters: label })) {
    if (ours(n.Name)) await docker.getNetwork(n.Id).remove().catch(ignoreGone);
  }
  for (const v of (await docker.listVolumes({ filters: label })).Volumes ?? []) {
    if (ours(v.Name)) await docker.getVolume(v.Name).remove({ force: true }).catch(ignoreGone);
  }
}
