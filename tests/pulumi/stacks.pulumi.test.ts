/**
 * The repo's stacks under the real Pulumi engine (CLI, language host, docker provider plugin of
 * scripts/pulumi-install.sh) against the private dockerd: `pulumi up`, then nothing to change on
 * `preview` and `refresh`, the reachability computeReachability predicts measured on the containers
 * Pulumi created, and a `destroy` that leaves only what the docs say it keeps (registry storage).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type Docker from "dockerode";
import { MANAGED_LABEL } from "../../components/docker/render-network";
import { connectEngine } from "../e2e/support/engine";
import { mismatchTable } from "../e2e/support/measure";
import { labelledContainers, measureStack, stackDeclaration } from "./support/measure-stack";
import { describeRun, PulumiProject } from "./support/project";
import { cleanupStack } from "./support/cleanup";
import { describePulumi } from "./support/toolchain";

jest.setTimeout(900_000);

const STACKS = ["dev", "ci"] as const;

describePulumi("the repo's stacks under the real Pulumi engine", () => {
  let project: PulumiProject;
  let docker: Docker;

  beforeAll(async () => {
    docker = await connectEngine();
    for (const stack of STACKS) await cleanupStack(docker, stack);
    project = PulumiProject.fromRepo("stacks", Object.fromEntries(STACKS.map((s) => [s, PulumiProject.repoStack(s)])));
  });

  afterAll(async () => {
    await project?.dispose([...STACKS]);
    for (const stack of STACKS) if (docker) await cleanupStack(docker, stack);
  });

  describe.each(STACKS)("%s", (stack) => {
    it("pulumi stack init only appends encryptionsalt to the committed stack file", async () => {
      await project.initStack(stack);
      const written = fs.readFileSync(path.join(project.dir, `Pulumi.${stack}.yaml`), "utf8");
      // The files are kept in the form Pulumi's YAML writer gives them, so init changes nothing else.
      expect(written).toMatch(/\nencryptionsalt: v1:\S+\n$/);
      expect(written.replace(/encryptionsalt: v1:\S+\n$/, "")).toBe(PulumiProject.repoStack(stack));
    });

    it("pulumi up creates every resource and the containers stay running", async () => {
      const up = await project.up(stack, { allowFailure: true });
      expect(up.code === 0 ? "" : describeRun(up)).toBe("");
      const outputs = await project.outputs(stack);
      const names = Object.values(outputs["containers"] as Record<string, string>).sort();
      expect(await labelledContainers(docker, stack)).toEqual(expect.arrayContaining(names));
      for (const name of names) {
        const info = await docker.getContainer(name).inspect();
        expect({ name, running: info.State.Running, restarts: info.RestartCount }).toEqual({ name, running: true, restarts: 0 });
      }
    });

    it("a second preview and a refresh find nothing to change", async () => {
      const preview = await project.previewNoChanges(stack);
      expect(preview.code === 0 ? "" : describeRun(preview)).toBe("");
      const refresh = await project.refreshNoChanges(stack);
      expect(refresh.code === 0 ? "" : describeRun(refresh)).toBe("");
    });

    it("the containers Pulumi created connect exactly as computeReachability predicts", async () => {
      const declaration = stackDeclaration(PulumiProject.repoStack(stack));
      const m = await measureStack(docker, stack, declaration);
      expect(m.containers).toEqual(expect.arrayContaining(m.topology.services.map((s) => s.dockerName)));
      const edges = m.measurements.filter((x) => x.kind === "edge").length;
      const nonEdges = m.measurements.length - edges;
      const mismatches = m.measurements.filter((x) => x.predicted !== x.measured).length;
      console.log(`[pulumi ${stack}] edges=${edges} non-edges=${nonEdges} portless-edges-skipped=${m.portless} mismatches=${mismatches}`);
      expect(edges).toBeGreaterThan(0);
      expect(mismatchTable(m.measurements)).toBe("");
    });

    it("pulumi destroy leaves no container and no network; registry storage is retained as documented", async () => {
      await project.destroy(stack);
      const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${MANAGED_LABEL}=true`] }) });
      expect(containers.flatMap((c) => c.Names).filter((n) => n.startsWith(`/${stack}-`))).toEqual([]);
      const networks = await docker.listNetworks({ filters: JSON.stringify({ label: [`${MANAGED_LABEL}=true`] }) });
      expect(networks.map((n) => n.Name).filter((n) => n.startsWith(`${stack}-`))).toEqual([]);
      const { topology } = (await import("../../model/check")).checkTopology(stackDeclaration(PulumiProject.repoStack(stack)), { namePrefix: stack });
      const volumes = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).filter((n) => n.startsWith(`${stack}-`)).sort();
      expect(volumes).toEqual(topology.registries.filter((r) => r.retainStorage).map((r) => r.volumeName).sort());
      for (const v of volumes) await docker.getVolume(v).remove();
    });
  });
});
