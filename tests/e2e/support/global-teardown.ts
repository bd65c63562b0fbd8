/**
 * jest globalTeardown for the e2e suites: removes every container, network and
 * volume named `ct-e2e-*`. The engine keeps running (others use it; .ci/run
 * stops it); set CT_E2E_STOP_ENGINE=1 to stop it here as well.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { cleanup, e2eEnabled, E2E_PREFIX, REPO_ROOT } from "./engine";

export default async function globalTeardown(): Promise<void> {
  if (!e2eEnabled()) return;
  await cleanup(E2E_PREFIX);
  if (process.env.CT_E2E_STOP_ENGINE === "1") {
    execFileSync("bash", [path.join(REPO_ROOT, "scripts", "engine-stop.sh")], { stdio: "inherit" });
  }
}
