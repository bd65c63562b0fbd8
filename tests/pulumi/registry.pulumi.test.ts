/**
 * A local registry under the real engine: a program that pushes an image with `pushImage`; the
 * registry container replaced (its storage volume is not), and the image still served; `destroy`
 * removes the containers and networks and keeps the volume, as the docs say (`retainStorage`).
 */
import * as http from "node:http";
import type Docker from "dockerode";
import { connectEngine, PROBE_IMAGE } from "../e2e/support/engine";
import { describeRun, PulumiProject } from "./support/project";
import { cleanupStack } from "./support/cleanup";
import { freePorts } from "./support/stack-file";
import { describePulumi } from "./support/toolchain";

jest.setTimeout(900_000);

const STACK = "reg";

/** The program: a network, a registry on it, and an image pushed to it. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { BridgeNetwork, LocalRegistry, pushImage } from "./components";

const config = new pulumi.Config();
const net = new BridgeNetwork("apps", { subnet: "172.28.20.0/24" });
const registry = new LocalRegistry("registry", {
  port: config.requireNumber("port"),
  // A change here replaces the registry container; the volume holding the images stays.
  env: { REGISTRY_LOG_LEVEL: config.get("logLevel") ?? "info" },
  networks: [{ network: net, aliases: ["registry"] }],
});
const probe = pushImage("probe", { image: "${PROBE_IMAGE}", registry, repository: "team/probe", tag: "1.0" });
export const reference = probe.reference;
export const digest = probe.digest;
export const volume = registry.volume.name;
`;

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

describePulumi("a local registry under the real Pulumi engine", () => {
  let project: PulumiProject;
  let docker: Docker;
  let port: number;
  const stackText = (logLevel: string) => `config:\n  ${"container-topology"}:port: "${port}"\n  container-topology:logLevel: ${logLevel}\n`;

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanupStack(docker, STACK);
    [port] = (await freePorts(1)) as [number];
    project = PulumiProject.fromRepo("registry");
    project.writeProgram("registry-program.ts", PROGRAM);
    project.writeStack(STACK, stackText("info"));
    await project.initStack(STACK);
  });

  afterAll(async () => {
    await project?.dispose([STACK]);
    if (docker) await cleanupStack(docker, STACK);
  });

  it("pushes the image on up; the registry serves it; nothing changes on preview and refresh", async () => {
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    expect((await project.outputs(STACK))["reference"]).toBe(`127.0.0.1:${port}/team/probe:1.0`);
    expect(await get(`http://127.0.0.1:${port}/v2/team/probe/tags/list`)).toEqual({ status: 200, body: expect.stringContaining('"tags":["1.0"]') });
    for (const r of [await project.previewNoChanges(STACK), await project.refreshNoChanges(STACK)]) expect(r.code === 0 ? "" : describeRun(r)).toBe("");
  });

  it("a replaced registry container still serves the pushed image", async () => {
    const before = (await docker.getContainer(`${STACK}-registry`).inspect()).Id;
    project.writeStack(STACK, stackText("debug"));
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    expect((await docker.getContainer(`${STACK}-registry`).inspect()).Id).not.toBe(before);
    const manifest = await get(`http://127.0.0.1:${port}/v2/team/probe/manifests/1.0`);
    expect(manifest.status).toBe(200);
    const again = await project.previewNoChanges(STACK);
    expect(again.code === 0 ? "" : describeRun(again)).toBe("");
  });

  it("destroy removes the containers and the network and keeps the storage volume", async () => {
    const volume = (await project.outputs(STACK))["volume"] as string;
    await project.destroy(STACK);
    const containers = (await docker.listContainers({ all: true })).flatMap((c) => c.Names).filter((n) => n.startsWith(`/${STACK}-`));
    expect(containers).toEqual([]);
    expect((await docker.listNetworks()).map((n) => n.Name).filter((n) => n.startsWith(`${STACK}-`))).toEqual([]);
    expect((await docker.getVolume(volume).inspect()).Name).toBe(volume);
    await docker.getVolume(volume).remove();
  });
});
