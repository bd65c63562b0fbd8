/**
 * Adopting what runs, under the real Pulumi engine (issue 16, point 4): networks and containers made
 * with the docker CLI (a static address, aliases, a port on 127.0.0.1 and one on every address, a
 * healthcheck, a shared network namespace, a default-bridge container, an unlabelled network the
 * containers also join), then `container-topology import --from-engine --label`, then `pulumi up`:
 * every object is imported and none created or replaced; the containers are the same ones (IDs);
 * preview and refresh find nothing to change; a declared change previews as exactly that container's
 * replacement; destroy removes what was adopted and leaves the unlabelled network alone. The same for
 * a project docker-compose (v1, Debian's) started, selected by its com.docker.compose.project label.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type Docker from "dockerode";
import { parse, stringify } from "yaml";
import { importFromEngine } from "../../cli/import-engine";
import { canConnect, connectEngine, PROBE_IMAGE } from "../e2e/support/engine";
import { PulumiProject, urnName, urnType } from "./support/project";
import { freePorts } from "./support/stack-file";
import { describePulumi } from "./support/toolchain";

jest.setTimeout(900_000);

const STACK = "adopt";
const LABEL = "ct-test.adopt=shop";
const NET = "ct-adopt-shop";
const OTHER = "ct-adopt-other";
const CONTAINERS = ["ct-adopt-web", "ct-adopt-db", "ct-adopt-sidecar", "ct-adopt-solo"];

/** The Pulumi resource name of a declared object under the Topology: `<stack>-<key>`. */
const resource = (key: string) => `${STACK}-${key}`;
const docker = (...args: string[]) => execFileSync("docker", args, { env: process.env, encoding: "utf8" }).trim();

async function removeAll(engine: Docker): Promise<void> {
  for (const name of [...CONTAINERS].reverse()) await engine.getContainer(name).remove({ force: true }).catch(() => undefined);
  for (const name of [NET, OTHER]) await engine.getNetwork(name).remove().catch(() => undefined);
}

describePulumi("adopting containers and networks made with the docker CLI (import --from-engine, real Pulumi engine)", () => {
  let project: PulumiProject;
  let engine: Docker;
  let ids: Record<string, string>;
  let webPort: number;
  let allPort: number;

  beforeAll(async () => {
    engine = await connectEngine();
    await removeAll(engine);
    [webPort, allPort] = await freePorts(2);
    // What a user has before this tool: made by hand, labelled by project.
    docker("network", "create", "--subnet", "10.217.5.0/24", "--label", LABEL, NET);
    docker("network", "create", "--subnet", "10.217.6.0/24", OTHER);
    docker("run", "-d", "--name", "ct-adopt-web", "--network", NET, "--network-alias", "www", "-p", `127.0.0.1:${webPort}:80`, "-p", `${allPort}:8080`,
      "-e", "GREETING=hi", "--label", LABEL, "--label", "team=web", "--restart", "unless-stopped", PROBE_IMAGE, "httpd", "-f", "-p", "80", "-h", "/www");
    docker("network", "connect", OTHER, "ct-adopt-web");
    docker("run", "-d", "--name", "ct-adopt-db", "--network", NET, "--ip", "10.217.5.10", "--label", LABEL, "--health-cmd", "true", "--health-interval", "5s",
      "--health-retries", "3", PROBE_IMAGE, "sleep", "infinity");
    docker("run", "-d", "--name", "ct-adopt-sidecar", "--network", "container:ct-adopt-web", "--label", LABEL, PROBE_IMAGE, "sleep", "infinity");
    docker("run", "-d", "--name", "ct-adopt-solo", "--label", LABEL, "-p", `127.0.0.1:${allPort + 1}:80`, PROBE_IMAGE, "sleep", "infinity");
    ids = Object.fromEntries(await Promise.all(CONTAINERS.map(async (n) => [n, (await engine.getContainer(n).inspect()).Id] as const)));
    const imported = await importFromEngine({ labels: [LABEL], names: [] }, STACK);
    expect(imported.report.filter((l) => l.startsWith("error"))).toEqual([]);
    expect(imported.failed).toBe(false);
    project = PulumiProject.fromRepo("adopt", { [STACK]: imported.stackFile });
    await project.initStack(STACK);
  });

  afterAll(async () => {
    if (project) await project.dispose([STACK]);
    if (engine) await removeAll(engine);
  });

  test("the declaration adopts every labelled object by ID and joins the unlabelled network as external", async () => {
    const imported = await importFromEngine({ labels: [LABEL], names: [] }, STACK);
    const topology = parse(imported.stackFile).config["container-topology:topology"];
    expect(Object.keys(topology.services).sort()).toEqual([...CONTAINERS].sort());
    for (const name of CONTAINERS) expect(topology.services[name].adopt).toBe(ids[name]);
    expect(topology.networks[NET].adopt).toMatch(/^[0-9a-f]{64}$/);
    expect(topology.networks[OTHER]).toEqual({ external: true, name: OTHER, driver: "bridge" });
    expect(topology.services["ct-adopt-web"]).toMatchObject({ env: { GREETING: "hi" }, networks: { [NET]: { aliases: ["www"] } }, hostGateway: false });
    expect(topology.services["ct-adopt-sidecar"].networkMode).toBe("container:ct-adopt-web");
  });

  test("pulumi up imports every object and creates, replaces or deletes nothing", async () => {
    const steps = await project.previewSteps(STACK);
    const docker = steps.filter((s) => urnType(s.urn).startsWith("docker:"));
    const describe = (ops: string[]) => docker.filter((s) => ops.includes(s.op)).map((s) => `${s.op} ${urnName(s.urn)} ${JSON.stringify(s.detailedDiff ?? s.diffReasons ?? {})}`);
    expect(describe(["create", "replace", "create-replacement", "delete-replaced", "update", "delete"])).toEqual([]);
    expect(docker.filter((s) => s.op === "import").map((s) => urnName(s.urn)).sort()).toEqual([...CONTAINERS, NET].map(resource).sort());
    const up = await project.up(STACK);
    expect(up.stdout).toMatch(/5 imported/);
    for (const name of CONTAINERS) expect((await engine.getContainer(name).inspect()).Id).toBe(ids[name]);
  });

  test("after adoption, preview and refresh find nothing to change", async () => {
    const preview = await project.previewNoChanges(STACK);
    expect(preview.code).toBe(0);
    const refresh = await project.refreshNoChanges(STACK);
    expect(refresh.code).toBe(0);
  });

  test("the adopted containers still serve as before", async () => {
    const fromHost = await new Promise<boolean>((resolve) => {
      const socket = net.connect(webPort, "127.0.0.1", () => (socket.end(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    expect(fromHost).toBe(true);
    // By the alias the web container had, from the container with the static address.
    expect(await canConnect(engine, "ct-adopt-db", "www", 80)).toBe(true);
  });

  test("once adopted (adopt: true), a declared change replaces exactly that container, and up applies it", async () => {
    const imported = await importFromEngine({ labels: [LABEL], names: [] }, STACK);
    const file = parse(imported.stackFile);
    const topology = file.config["container-topology:topology"];
    for (const section of [topology.services, topology.networks]) for (const entry of Object.values<Record<string, unknown>>(section)) if (entry["adopt"]) entry["adopt"] = true;
    project.writeStack(STACK, stringify(file));
    expect((await project.previewNoChanges(STACK)).code).toBe(0);
    topology.services["ct-adopt-solo"].env = { MODE: "changed" };
    project.writeStack(STACK, stringify(file));
    const steps = (await project.previewSteps(STACK)).filter((s) => urnType(s.urn).startsWith("docker:") && s.op !== "same");
    expect(steps.map((s) => `${s.op} ${urnName(s.urn)} ${s.replaceReasons?.join(",")}`)).toEqual([`replace ${resource("ct-adopt-solo")} envs`]);
    await project.up(STACK);
    const solo = await engine.getContainer("ct-adopt-solo").inspect();
    expect(solo.Id).not.toBe(ids["ct-adopt-solo"]);
    expect(solo.Config.Env).toContain("MODE=changed");
    expect((await engine.getContainer("ct-adopt-web").inspect()).Id).toBe(ids["ct-adopt-web"]);
    expect((await project.previewNoChanges(STACK)).code).toBe(0);
  });

  test("destroy removes what was adopted and leaves the network it did not own", async () => {
    const result = await project.destroy(STACK);
    expect(result.code).toBe(0);
    for (const name of CONTAINERS) await expect(engine.getContainer(name).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(engine.getNetwork(NET).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await engine.getNetwork(OTHER).inspect()).Name).toBe(OTHER);
  }, 600_000);
});

/**
 * A compose project as docker-compose made it: its containers and networks carry com.docker.compose.project.
 * Subnets outside Docker's default pools (172.17-31.x, 192.168.x): suites run side by side, and a network
 * Docker allocates a /16 for could otherwise take the block a fixed subnet here lies in.
 */
const COMPOSE_FILE = `
version: "3.8"
services:
  web:
    image: ${PROBE_IMAGE}
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    ports: ["127.0.0.1:PORT:80"]
    environment: {GREETING: hi}
    networks:
      front: {aliases: [www]}
      back: {}
  db:
    image: ${PROBE_IMAGE}
    command: ["sleep", "infinity"]
    networks:
      back: {ipv4_address: 10.217.2.10}
networks:
  front:
    ipam: {config: [{subnet: 10.217.1.0/24}]}
  back:
    ipam: {config: [{subnet: 10.217.2.0/24}]}
`;

describePulumi("adopting a docker-compose project (import --from-engine --label com.docker.compose.project, real Pulumi engine)", () => {
  const PROJECT = "ctadoptc";
  const STACK_C = "adoptc";
  let project: PulumiProject;
  let dir: string;
  const compose = (...args: string[]) => execFileSync("docker-compose", ["-p", PROJECT, "-f", path.join(dir, "docker-compose.yml"), ...args], { env: process.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  beforeAll(async () => {
    await connectEngine();
    const [port] = await freePorts(1);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-compose-"));
    fs.writeFileSync(path.join(dir, "docker-compose.yml"), COMPOSE_FILE.replace("PORT", String(port)));
    compose("down", "--remove-orphans");
    compose("up", "-d");
    const imported = await importFromEngine({ labels: [`com.docker.compose.project=${PROJECT}`], names: [] }, STACK_C);
    expect(imported.report.filter((l) => l.startsWith("error"))).toEqual([]);
    project = PulumiProject.fromRepo("adoptc", { [STACK_C]: imported.stackFile });
    await project.initStack(STACK_C);
  });

  afterAll(async () => {
    if (project) await project.dispose([STACK_C]);
    if (dir) compose("down", "--remove-orphans");
  });

  test("up imports the project's containers and networks; preview and refresh then find nothing; destroy removes them", async () => {
    const steps = (await project.previewSteps(STACK_C)).filter((s) => urnType(s.urn).startsWith("docker:"));
    expect(steps.filter((s) => s.op !== "import").map((s) => `${s.op} ${urnName(s.urn)} ${JSON.stringify(s.detailedDiff ?? {})}`)).toEqual([]);
    expect(steps.map((s) => urnName(s.urn)).sort()).toEqual([`${PROJECT}_back`, `${PROJECT}_db_1`, `${PROJECT}_front`, `${PROJECT}_web_1`].map((k) => `${STACK_C}-${k}`).sort());
    await project.up(STACK_C);
    expect((await project.previewNoChanges(STACK_C)).code).toBe(0);
    expect((await project.refreshNoChanges(STACK_C)).code).toBe(0);
    expect((await project.destroy(STACK_C)).code).toBe(0);
    expect(compose("ps", "-q").trim()).toBe("");
  });
});
