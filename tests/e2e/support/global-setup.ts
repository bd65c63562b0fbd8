/**
 * jest globalSetup for the e2e suites: starts the engine once
 * (scripts/engine-start.sh) and builds the images (scripts/build-images.sh),
 * then exports DOCKER_HOST and CT_E2E_ENGINE_READY so the workers forked
 * afterwards connect without repeating it. Under `E2E=skip` it does nothing.
 * An engine that cannot start fails the run here, with the dockerd log tail.
 *
 * Wire it in the jest config of the e2e project:
 *   globalSetup: "<rootDir>/tests/e2e/support/global-setup.ts",
 *   globalTeardown: "<rootDir>/tests/e2e/support/global-teardown.ts",
 */
import { cleanup, e2eEnabled, ensureEngine, E2E_PREFIX } from "./engine";

export default async function globalSetup(): Promise<void> {
  if (!e2eEnabled()) return;
  ensureEngine();
  // leftovers of an interrupted earlier run would collide with fixed names
  await cleanup(E2E_PREFIX);
}
