/**
 * jest globalTeardown of the real-engine suites: stops the Kubernetes control plane the Kubernetes
 * suites started (its own run dir; a developer's control plane is left alone). The private dockerd
 * keeps running, as after tests/e2e (.ci/run stops it).
 */
import { stopKube } from "./kube";
import { pulumiEnabled } from "./toolchain";

export default async function globalTeardown(): Promise<void> {
  if (!pulumiEnabled()) return;
  stopKube();
}
