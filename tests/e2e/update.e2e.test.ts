/**
 * A subnet change applied to the real engine the way `pulumi up` would apply it.
 *
 * The old declaration is rendered (Topology on the mock runtime) and applied
 * with exactly the rendered inputs (support/apply.ts); then the new one, where
 * one network's subnet changed, is applied from the recorded resource options
 * (support/apply-update.ts: applyUpdate): the containers on the network, and the
 * one sharing a namespace with them, are deleted first, then the network, then
 * the network and the containers are created again. The engine ends in the new
 * declared state, with no "has active endpoints" failure, and a container on
 * another network is left alone.
 *
 * The naive order (replace the network first, as Pulumi would if the containers
 * did not list it in replaceWith) is tried too: Docker refuses to remove a
 * network with active endpoints, so the test is meaningful.
 */
import type Docker from "dockerode";
import { RenderedResource, runOnMocks } from "../../cli/mock-runtime";
import { Topology } from "../../components/topology";
import { plannedReplacements } from "../unit/support-diff";
import { apply, applyUpdate, planUpdate, teardown } from "./support/apply";
import { canConnect, cleanup, connectEngine, describeE2E, E2E_PREFIX, PROBE_IMAGE } from "./support/engine";

const PREFIX = `${E2E_PREFIX}subnet-update`;
const name = (key: string) => `${PREFIX}-${key}`;
const HTTPD = ["httpd", "-f", "-p", "8080", "-h", "/etc"];

jest.setTimeout(180_000);

/** Subnets unlikely to be used by another suite on the shared engine. */
const OLD = { net: "10.213.1.0/24", web: "10.213.1.10" };
const NEW = { net: "10.213.2.0/24", web: "10.213.2.10" };

function declaration(subnet: string, webIp: string) {
  return {
    networks: { net: { subnet }, other: { subnet: "10.213.3.0/24" } },
    services: {
      web: { image: PROBE_IMAGE, command: HTTPD, networks: { net: { aliases: ["www"], ipv4Address: webIp } } },
      client: { image: PROBE_IMAGE, networks: ["net", "other"] },
      side: { image: PROBE_IMAGE, networkMode: "container:web" },
      bystander: { image: PROBE_IMAGE, command: HTTPD, networks: ["other"] },
    },
  };
}

async function render(subnet: string, webIp: string): Promise<readonly RenderedResource[]> {
  const { resources } = await runOnMocks(() => new Topology("upd", { declaration: declaration(subnet, webIp), namePrefix: PREFIX }), { stack: "e2e" });
  return resources;
}

async function ids(docker: Docker): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of ["web", "client", "side", "bystander"]) out[key] = (await docker.getContainer(name(key)).inspect()).Id;
  return out;
}

describeE2E("updating a network's subnet on the real engine", () => {
  let docker: Docker;
  let before: readonly RenderedResource[] = [];
  let after: readonly RenderedResource[] = [];

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanup(`${PREFIX}-`, docker);
    before = await render(OLD.net, OLD.web);
    after = await render(NEW.net, NEW.web);
    await apply(docker, before);
  });

  afterAll(async () => {
    if (!docker) return;
    await teardown(docker, after).catch(() => undefined);
    await teardown(docker, before).catch(() => undefined);
    await cleanup(`${PREFIX}-`, docker);
  });

  it("starts from the old declaration", async () => {
    const network = await docker.getNetwork(name("net")).inspect();
    expect(network.IPAM?.Config).toEqual([expect.objectContaining({ Subnet: OLD.net })]);
    const web = await docker.getContainer(name("web")).inspect();
    expect(web.NetworkSettings.Networks[name("net")]?.IPAddress).toBe(OLD.web);
    expect(await canConnect(docker, name("client"), "www", 8080)).toBe(true);
  });

  it("plans to replace the network and exactly what sits on it, delete-first", () => {
    const plan = planUpdate(before, after);
    const replaced = plan.steps.filter((s) => s.op === "replace").map((s) => s.name).sort();
    expect(replaced).toEqual([name("client"), name("net"), name("side"), name("web")].sort());
    expect(plan.steps.filter((s) => s.op === "replace").every((s) => s.deleteBeforeReplace)).toBe(true);
    expect(plan.steps.filter((s) => s.op !== "replace" && s.op !== "same")).toEqual([]);
    // The unit model (replaceWith and replace-forcing inputs) agrees with the engine-side planner.
    const model = plannedReplacements(before, after);
    expect([...model.replaced.keys()].sort()).toEqual(plan.steps.filter((s) => s.op === "replace").map((s) => s.urn).sort());
  });

  it("cannot replace the network first: Docker refuses to remove a network with active endpoints", async () => {
    let refused: unknown;
    try {
      await docker.getNetwork(name("net")).remove();
    } catch (err) {
      refused = err;
    }
    expect((refused as { statusCode?: number })?.statusCode).toBe(403);
    expect(String((refused as Error)?.message)).toMatch(/has active endpoints/);
    // Nothing changed: the old network is still there, with its containers.
    expect((await docker.getNetwork(name("net")).inspect()).IPAM?.Config).toEqual([expect.objectContaining({ Subnet: OLD.net })]);
  });

  it("applies the new declaration in Pulumi's delete-before-replace order and ends in the declared state", async () => {
    const old = await ids(docker);
    const { operations } = await applyUpdate(docker, before, after);
    const at = (op: string) => {
      const i = operations.indexOf(op);
      if (i < 0) throw new Error(`no "${op}" in: ${operations.join("; ")}`);
      return i;
    };
    // Containers on the network go first (side before web, whose namespace it shares), then the network.
    expect(at(`delete container ${name("side")}`)).toBeLessThan(at(`delete container ${name("web")}`));
    for (const key of ["web", "client", "side"]) expect(at(`delete container ${name(key)}`)).toBeLessThan(at(`delete network ${name("net")}`));
    expect(at(`delete network ${name("net")}`)).toBeLessThan(at(`create network ${name("net")}`));
    for (const key of ["web", "client"]) expect(at(`create network ${name("net")}`)).toBeLessThan(at(`create container ${name(key)}`));
    expect(at(`create container ${name("web")}`)).toBeLessThan(at(`create container ${name("side")}`));
    // The other network and the container that only sits there are left alone.
    expect(operations.filter((op) => op.includes(name("bystander")) || /^(create|delete) network/.test(op) && op.endsWith(name("other")))).toEqual([]);
    expect(operations.filter((op) => /^(create|delete) /.test(op)).sort()).toEqual(
      [...["web", "client", "side"].flatMap((k) => [`create container ${name(k)}`, `delete container ${name(k)}`]), `create network ${name("net")}`, `delete network ${name("net")}`].sort(),
    );

    const network = await docker.getNetwork(name("net")).inspect();
    expect(network.IPAM?.Config).toEqual([expect.objectContaining({ Subnet: NEW.net })]);
    const web = await docker.getContainer(name("web")).inspect();
    expect(web.State.Running).toBe(true);
    expect(web.NetworkSettings.Networks[name("net")]?.IPAddress).toBe(NEW.web);
    const client = await docker.getContainer(name("client")).inspect();
    expect(Object.keys(client.NetworkSettings.Networks).sort()).toEqual([name("net"), name("other")]);
    expect(client.NetworkSettings.Networks[name("net")]?.IPAddress).toMatch(/^10\.213\.2\./);
    const side = await docker.getContainer(name("side")).inspect();
    expect(side.State.Running).toBe(true);
    expect(side.HostConfig.NetworkMode).toMatch(new RegExp(`^container:(${name("web")}|${web.Id})$`));
    const now = await ids(docker);
    expect(now.bystander).toBe(old.bystander);
    for (const key of ["web", "client", "side"]) expect(now[key]).not.toBe(old[key]);
    // And it works: the client reaches web by its alias on the new subnet, and the bystander as before.
    expect(await canConnect(docker, name("client"), "www", 8080)).toBe(true);
    expect(await canConnect(docker, name("client"), "bystander", 8080)).toBe(true);
    expect(await canConnect(docker, name("side"), "127.0.0.1", 8080)).toBe(true);
  });

  it("changes nothing when the new declaration is applied again", async () => {
    const plan = planUpdate(after, after);
    expect(plan.steps.every((s) => s.op === "same")).toBe(true);
    const { operations } = await applyUpdate(docker, after, after);
    expect(operations).toEqual([]);
  });
});
