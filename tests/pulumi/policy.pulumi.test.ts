/**
 * The policy pack as pull-request previews run it: `pulumi preview --policy-pack policy` with the
 * real CLI. The dev stack passes (its host networking and open registry are exempt on `dev*` stacks,
 * which the pack learns from the CLI's ConfigureStack call); a stack publishing on 0.0.0.0 fails,
 * naming the rule.
 */
import * as path from "node:path";
import { PROBE_IMAGE } from "../e2e/support/engine";
import { describeRun, PulumiProject } from "./support/project";
import { stackFile } from "./support/stack-file";
import { describePulumi, REPO_ROOT } from "./support/toolchain";

jest.setTimeout(900_000);

const PACK = path.join(REPO_ROOT, "policy");

describePulumi("the policy pack under the real Pulumi CLI", () => {
  let project: PulumiProject;

  beforeAll(async () => {
    project = PulumiProject.fromRepo("policy", {
      dev: PulumiProject.repoStack("dev"),
      open: stackFile({ services: { web: { image: PROBE_IMAGE, ports: ["0.0.0.0:18099:80"] } } }),
      typo: "config:\n  container-topology:topolgy:\n    services:\n      web: {image: nginx}\n",
    });
    await project.initStack("dev");
    await project.initStack("open");
    await project.initStack("typo");
  });

  afterAll(async () => project?.dispose());

  it("passes the dev stack", async () => {
    const r = await project.run(["preview", "--stack", "dev", "--policy-pack", PACK, "--non-interactive", "--color", "never"], { allowFailure: true });
    expect(r.code === 0 ? "" : describeRun(r)).toBe("");
    expect(r.stdout).toMatch(/Policies:[\s\S]*container-topology@v\d/);
    expect(r.stdout).not.toMatch(/mandatory/);
  });

  it("fails a stack that publishes on 0.0.0.0, naming no-wildcard-publish", async () => {
    const r = await project.run(["preview", "--stack", "open", "--policy-pack", PACK, "--non-interactive", "--color", "never"], { allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/\[mandatory\].*no-wildcard-publish/);
    expect(r.stdout + r.stderr).not.toMatch(/no-host-network|registry-auth/);
  });

  it("fails the preview of a stack whose config misspells the topology key, naming it", async () => {
    const r = await project.run(["preview", "--stack", "typo", "--non-interactive", "--color", "never"], { allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('container-topology:topolgy: unknown key: this program reads only container-topology:topology, container-topology:preflight. Did you mean "topology"?');
  });
});
