/**
 * `plan --engine` against the private dockerd and this host: objects made outside the topology
 * first (a network holding a subnet, a container publishing a port, a container with one of our
 * names, a host process on a port), then a stack that collides with each of them and with a missing
 * macvlan parent, external network and image. Every collision is reported at once, each with its
 * path and the object's name; the same stack with the collisions removed passes; an engine that
 * cannot be reached makes plan say the preflight was skipped and keep its answer.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type Docker from "dockerode";
import { runCli, tempDir, ROOT } from "../unit/cli/cli-support";
import { cleanup, connectEngine, describeE2E, E2E_PREFIX, hostListener, HostListener, PROBE_IMAGE, runProbe } from "./support/engine";
import { freePorts } from "../pulumi/support/stack-file";
import { stringify } from "yaml";

jest.setTimeout(180_000);

const P = `${E2E_PREFIX}pf-`;
const OTHER_NETWORK = `${P}other`;
const HOLDER = `${P}holder`;
const STACK = "ctpf";

function stack(declaration: unknown): string {
  return tempDir({ "Pulumi.yaml": fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"), [`Pulumi.${STACK}.yaml`]: stringify({ config: { "container-topology:topology": declaration } }) });
}

describeE2E("plan --engine: preflight against the live engine and this host", () => {
  let docker: Docker;
  let listener: HostListener;
  let ports: number[];

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanup(P, docker);
    await docker.getContainer(`${STACK}-db`).remove({ force: true }).catch(() => undefined);
    ports = await freePorts(2);
    await docker.createNetwork({ Name: OTHER_NETWORK, Driver: "bridge", IPAM: { Config: [{ Subnet: "10.250.0.0/16" }] } });
    await runProbe(docker, { name: HOLDER, portBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(ports[0]) }] } });
    await runProbe(docker, { name: `${STACK}-db` });
    listener = await hostListener("127.0.0.1", ports[1]);
  });

  afterAll(async () => {
    await listener?.close();
    await docker?.getContainer(`${STACK}-db`).remove({ force: true }).catch(() => undefined);
    if (docker) await cleanup(P, docker);
  });

  const colliding = () => ({
    networks: {
      lan: { subnet: "10.250.3.0/24" },
      mac: { driver: "macvlan", parent: "ctnope0", subnet: "192.168.251.0/24" },
      kindlike: { external: true, name: `${P}missing` },
    },
    services: {
      web: { image: PROBE_IMAGE, ports: [`127.0.0.1:${ports[0]}:80`], networks: ["lan"] },
      api: { image: PROBE_IMAGE, ports: [`127.0.0.1:${ports[1]}:80`] },
      db: { image: `${P}not-here:1`, networks: ["kindlike"] },
      probe: { image: PROBE_IMAGE, networks: ["mac"] },
    },
  });

  it("reports every collision at once, with the path and the object's name; exit 1", async () => {
    const r = await runCli(["plan", "--engine", "--stack", STACK], { cwd: stack(colliding()) });
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n").filter((l) => /^\s+(error|warning):/.test(l)).map((l) => l.trim());
    const at = (pathSuffix: string) => lines.find((l) => l.includes(`container-topology:topology.${pathSuffix}:`)) ?? `(nothing at ${pathSuffix})`;
    expect(at("networks.lan.subnet")).toContain(`overlaps 10.250.0.0/16 of network "${OTHER_NETWORK}"`);
    expect(at("networks.kindlike")).toContain(`has no network named "${P}missing"`);
    expect(at("networks.mac.parent")).toContain('"ctnope0" is not an interface of this host');
    expect(at("services.web.ports[0]")).toContain(`container "${HOLDER}" publishes 127.0.0.1:${ports[0]}/tcp`);
    expect(at("services.api.ports[0]")).toContain(`a process on this host listens on 127.0.0.1:${ports[1]}/tcp`);
    expect(at("services.db")).toContain(`the container name "${STACK}-db" is taken on the engine`);
    expect(at("services.db.image")).toMatch(/^warning: .*is not on the engine/);
    expect(lines.filter((l) => l.startsWith("error:"))).toHaveLength(6);
    expect(lines.every((l) => l.includes(`[preflight: ${process.env.DOCKER_HOST}]`) || !l.includes("engine"))).toBe(true);
  });

  it("passes once nothing is in the way", async () => {
    const fixed = {
      networks: { lan: { subnet: "10.251.3.0/24" } },
      services: { web: { image: PROBE_IMAGE, ports: [`127.0.0.1:${ports[0] + 0}:80`], networks: ["lan"] } },
    };
    await docker.getContainer(HOLDER).remove({ force: true });
    const r = await runCli(["plan", "--engine", "--stack", STACK], { cwd: stack(fixed) });
    expect({ code: r.code, diagnostics: r.stdout.slice(r.stdout.indexOf("Diagnostics:")).trim() }).toEqual({ code: 0, diagnostics: "Diagnostics: none" });
  });

  it("without a reachable engine plan keeps its answer and says the preflight was skipped", async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
    try {
      const r = await runCli(["plan", "--engine", "--stack", STACK], { cwd: stack({ services: { web: { image: PROBE_IMAGE } } }) });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("preflight skipped: cannot reach the Docker engine at unix:///nonexistent/docker.sock");
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
