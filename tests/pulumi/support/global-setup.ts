/**
 * jest globalSetup of the real-engine suites: the private dockerd and its images (as tests/e2e), the
 * Pulumi toolchain and Node.js (scripts/pulumi-install.sh, scripts/node-install.sh; cached, seconds
 * when built). Anything that cannot start fails the run here; only `E2E=skip` skips.
 */
import { ensureEngine } from "../../e2e/support/engine";
import { ensureToolchain, pulumiEnabled } from "./toolchain";

export default async function globalSetup(): Promise<void> {
  if (!pulumiEnabled()) return;
  ensureEngine();
  const { pulumiBin, nodeBin } = ensureToolchain();
  console.log(`\n[pulumi] toolchain ${pulumiBin}, node ${nodeBin}, DOCKER_HOST=${process.env.DOCKER_HOST}`);
}
