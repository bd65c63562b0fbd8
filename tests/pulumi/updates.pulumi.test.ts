/**
 * Updates under the real engine, read from `pulumi preview --json` and then applied with `pulumi up`:
 * a subnet change replaces exactly that network and the containers on it (delete-first, so Docker
 * never sees a network with active endpoints); an image change replaces one container; a new
 * service creates one container and touches nothing else; a container holding a fixed host port
 * is replaced delete-first, so its new copy can bind the port.
 */
import type Docker from "dockerode";
import { connectEngine, PROBE_IMAGE } from "../e2e/support/engine";
import { describeRun, PreviewStep, PulumiProject, urnName, urnType } from "./support/project";
import { cleanupStack } from "./support/cleanup";
import { freePorts, stackFile } from "./support/stack-file";
import { describePulumi } from "./support/toolchain";

jest.setTimeout(900_000);

const STACK = "upd";
const PROBE_V2 = "container-topology/probe:v2";

const httpd = (port: number) => ({
  command: ["httpd", "-f", "-p", String(port), "-h", "/www"],
  healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}/`], interval: "1s", timeout: "2s", retries: 5 },
});

/** Docker names (resource names) by what the step does to them, stack bookkeeping left out. */
function changes(steps: readonly PreviewStep[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of steps) {
    if (s.op === "same") continue;
    const kind = ["replace", "create-replacement", "delete-replaced"].includes(s.op) ? "replace" : s.op;
    if (urnType(s.urn).startsWith("container-topology:")) continue; // components hold no state
    const list = (out[kind] ??= []);
    const name = urnName(s.urn);
    if (!list.includes(name)) list.push(name);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

describePulumi("updates under the real Pulumi engine", () => {
  let project: PulumiProject;
  let docker: Docker;
  let webPort: number;
  const declaration = (over: { backSubnet?: string; dbImage?: string; extra?: boolean; webEnv?: string } = {}) => ({
    networks: { front: { subnet: "172.28.10.0/24" }, back: { subnet: over.backSubnet ?? "172.28.11.0/24" } },
    services: {
      web: { image: PROBE_IMAGE, ...httpd(80), ports: [`127.0.0.1:${webPort}:80`], env: { MODE: over.webEnv ?? "one" }, networks: ["front"] },
      api: { image: PROBE_IMAGE, ...httpd(9000), expose: [9000], networks: ["front", "back"] },
      db: { image: over.dbImage ?? PROBE_IMAGE, ...httpd(5432), expose: [5432], networks: ["back"] },
      ...(over.extra ? { worker: { image: PROBE_IMAGE, ...httpd(8081), networks: ["back"] } } : {}),
    },
  });
  const apply = async (text: string) => {
    project.writeStack(STACK, text);
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    const again = await project.previewNoChanges(STACK);
    expect(again.code === 0 ? "" : describeRun(again)).toBe("");
  };

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanupStack(docker, STACK);
    await docker.getImage(PROBE_IMAGE).tag({ repo: "container-topology/probe", tag: "v2" });
    [webPort] = (await freePorts(1)) as [number];
    project = PulumiProject.fromRepo("updates");
    project.writeStack(STACK, stackFile(declaration()));
    await project.initStack(STACK);
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
  });

  afterAll(async () => {
    await project?.dispose([STACK]);
    if (docker) {
      await cleanupStack(docker, STACK);
      await docker.getImage(PROBE_V2).remove().catch(() => undefined);
    }
  });

  it("a subnet change replaces that network and exactly the containers on it, and up succeeds", async () => {
    const text = stackFile(declaration({ backSubnet: "172.28.12.0/24" }));
    project.writeStack(STACK, text);
    expect(changes(await project.previewSteps(STACK))).toEqual({ replace: [`${STACK}-api`, `${STACK}-back`, `${STACK}-db`] });
    await apply(text);
    const back = await docker.getNetwork(`${STACK}-back`).inspect();
    expect(back.IPAM?.Config?.[0]?.Subnet).toBe("172.28.12.0/24");
  });

  it("an image change replaces one container", async () => {
    const text = stackFile(declaration({ backSubnet: "172.28.12.0/24", dbImage: PROBE_V2 }));
    project.writeStack(STACK, text);
    expect(changes(await project.previewSteps(STACK))).toEqual({ replace: [`${STACK}-db`] });
    await apply(text);
    expect((await docker.getContainer(`${STACK}-db`).inspect()).Config.Image).toBe(PROBE_V2);
  });

  it("adding a service creates one container and touches nothing else", async () => {
    const text = stackFile(declaration({ backSubnet: "172.28.12.0/24", dbImage: PROBE_V2, extra: true }));
    project.writeStack(STACK, text);
    const steps = await project.previewSteps(STACK);
    expect(changes(steps)).toEqual({ create: [`${STACK}-worker`] });
    await apply(text);
  });

  it("a container that does not stay up makes pulumi up fail, naming its health, instead of succeeding", async () => {
    const crash = "crash";
    try {
      project.writeStack(crash, stackFile({ services: { flaky: { image: PROBE_IMAGE, command: ["sh", "-c", "exit 3"], healthcheck: { test: ["CMD", "true"], interval: "1s", timeout: "1s", retries: 1 } } } }));
      await project.initStack(crash);
      const up = await project.up(crash, { allowFailure: true });
      expect(up.code).not.toBe(0);
      expect(up.stdout + up.stderr).toMatch(/docker:index:Container crash-flaky \*\*creating failed\*\*/);
      expect(up.stdout + up.stderr).toMatch(/healthy/);
    } finally {
      await project.destroy(crash, { allowFailure: true });
      await cleanupStack(docker, crash);
    }
  });

  it("a container holding a fixed host port is replaced delete-first and binds the port again", async () => {
    const text = stackFile(declaration({ backSubnet: "172.28.12.0/24", dbImage: PROBE_V2, extra: true, webEnv: "two" }));
    project.writeStack(STACK, text);
    expect(changes(await project.previewSteps(STACK))).toEqual({ replace: [`${STACK}-web`] });
    await apply(text);
    const web = await docker.getContainer(`${STACK}-web`).inspect();
    expect(web.Config.Env).toContain("MODE=two");
    expect(web.NetworkSettings.Ports["80/tcp"]).toEqual([{ HostIp: "127.0.0.1", HostPort: String(webPort) }]);
  });
});
