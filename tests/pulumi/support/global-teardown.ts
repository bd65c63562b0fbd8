/**
 * jest globalTeardown of the real-engine suites: stops the Kubernetes control plane the Kubernetes
 * suites started (its own run dir; a developer's control plane is left alone) and the multi-host lab. The private dockerd
 * keeps running, as after tests/e2e (.ci/run stops it).
 */
import { teardownLab } from "../../e2e/support/hosts";
import { stopKube } from "./kube";
import { pulumiEnabled } from "./toolchain";

export default async function globalTeardown(): Promise<void> {
  if (!pulumiEnabled()) return;
  stopKube();
  // The multi-host lab (three dockerds in their own network namespaces), when a suite left it up.
  teardownLab();
}
