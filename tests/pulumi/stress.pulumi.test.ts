/**
 * Every option the components render, under the real engine: a multi-network container with static
 * IPv4 and IPv6 addresses, publishes on 127.0.0.1 and ::1, udp, sctp exposed, an internal network, a
 * macvlan network on a veth parent made here, an attachable overlay on a single-node swarm, host,
 * none and container:X modes, healthchecks, DNS options, hostname, labels, env, restart, capabilities
 * and a registry without auth. After `up`, neither `preview` nor `refresh` may find a difference
 * between what the components rendered and what the provider reads back from Docker.
 */
import type Docker from "dockerode";
import { connectEngine, ensureSwarm, leaveSwarm, PROBE_IMAGE, vethPair } from "../e2e/support/engine";
import { describeRun, PulumiProject } from "./support/project";
import { cleanupStack } from "./support/cleanup";
import { freePorts, stackFile } from "./support/stack-file";
import { describePulumi } from "./support/toolchain";
import { labelledContainers } from "./support/measure-stack";

jest.setTimeout(900_000);

const STACK = "stress";

const httpd = (port: number) => ({
  command: ["httpd", "-f", "-p", String(port), "-h", "/www"],
  healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}/`], interval: "1500ms", timeout: "2s", retries: 4, startPeriod: "1s" },
});

describePulumi("every rendered option under the real Pulumi engine", () => {
  let project: PulumiProject;
  let docker: Docker;
  let veth: ReturnType<typeof vethPair>;
  let swarmHere = false;
  let declaration: Record<string, unknown>;

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanupStack(docker, STACK);
    veth = vethPair("ctstress0");
    swarmHere = await ensureSwarm(docker);
    const [web, udp, agent, registry] = (await freePorts(4)) as [number, number, number, number];
    declaration = {
      networks: {
        edge: { subnet: "172.29.0.0/24", ipv6: true, ipv6Subnet: "fd00:29::/64", mtu: 1400, labels: { team: "stress" }, options: { "com.docker.network.bridge.enable_icc": "true" } },
        data: { subnet: "172.29.1.0/24", internal: true },
        lan: { driver: "macvlan", parent: veth.parent, mode: "bridge", subnet: "172.29.2.0/24", gateway: "172.29.2.1" },
        mesh: { driver: "overlay", attachable: true, subnet: "172.29.3.0/24" },
      },
      services: {
        web: {
          image: PROBE_IMAGE,
          ...httpd(80),
          ports: [`127.0.0.1:${web}:80`, `[::1]:${web}:80`, { target: 5353, published: udp, protocol: "udp" }],
          // sctp exposed, not published: publishing needs SCTP in the host kernel, which this one lacks
          // (Docker creates the container, then fails to start it: "userland proxy: protocol not supported").
          expose: ["7000/udp", "9999/sctp"],
          networks: {
            edge: { aliases: ["www", "front"], ipv4Address: "172.29.0.10", ipv6Address: "fd00:29::10" },
            data: { aliases: ["web-data"], ipv4Address: "172.29.1.10" },
            mesh: { aliases: ["web-mesh"] },
          },
          extraHosts: ["legacy.internal:172.29.0.99"],
          dns: ["172.29.0.53"],
          dnsSearch: ["stress.internal"],
          dnsOptions: ["ndots:2", "timeout:1"],
          hostname: "web1",
          restart: "always",
          labels: { tier: "front", "com.example/owner": "platform" },
          env: { MODE: "stress", QUOTED: "two words = fine" },
          capDrop: ["NET_RAW"],
          capAdd: ["CHOWN"],
        },
        db: { image: PROBE_IMAGE, ...httpd(5432), expose: [5432], restart: "on-failure", networks: { data: { aliases: ["database"], ipv4Address: "172.29.1.20" } } },
        lanbox: { image: PROBE_IMAGE, networks: { lan: { ipv4Address: "172.29.2.10" } }, hostGateway: false },
        agent: { image: PROBE_IMAGE, ...httpd(agent), networkMode: "host", expose: [agent] },
        sealed: { image: PROBE_IMAGE, networkMode: "none", restart: "no" },
        sidecar: { image: PROBE_IMAGE, networkMode: "container:web", command: ["sh", "-c", "trap 'exit 0' TERM; sleep 2147483647 & wait"] },
        plain: { image: PROBE_IMAGE, networkMode: "bridge", hostGateway: true },
      },
      registries: { reg: { port: registry, networks: { edge: { aliases: ["registry"] } } } },
    };
    project = PulumiProject.fromRepo("stress", { [STACK]: stackFile(declaration) });
    await project.initStack(STACK);
  });

  afterAll(async () => {
    await project?.dispose([STACK]);
    if (docker) {
      await cleanupStack(docker, STACK);
      if (swarmHere) await leaveSwarm(docker);
    }
    veth?.remove();
  });

  it("pulumi up creates it all and every container with a healthcheck is healthy", async () => {
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    const names = await labelledContainers(docker, STACK);
    expect(names).toEqual(["agent", "db", "lanbox", "plain", "reg", "sealed", "sidecar", "web"].map((k) => `${STACK}-${k}`));
    for (const name of [`${STACK}-web`, `${STACK}-db`, `${STACK}-agent`]) {
      expect({ name, health: (await docker.getContainer(name).inspect()).State.Health?.Status }).toEqual({ name, health: "healthy" });
    }
  });

  it("preview and refresh find nothing to change", async () => {
    const preview = await project.previewNoChanges(STACK);
    expect(preview.code === 0 ? "" : describeRun(preview)).toBe("");
    const refresh = await project.refreshNoChanges(STACK);
    expect(refresh.code === 0 ? "" : describeRun(refresh)).toBe("");
    const again = await project.previewNoChanges(STACK);
    expect(again.code === 0 ? "" : describeRun(again)).toBe("");
  });

  it("Docker holds what was declared", async () => {
    const web = await docker.getContainer(`${STACK}-web`).inspect();
    expect(web.NetworkSettings.Networks[`${STACK}-edge`]).toMatchObject({ IPAddress: "172.29.0.10", GlobalIPv6Address: "fd00:29::10" });
    expect(web.HostConfig.PortBindings).toMatchObject({ "80/tcp": expect.arrayContaining([expect.objectContaining({ HostIp: "::1" }), expect.objectContaining({ HostIp: "127.0.0.1" })]) });
    expect(web.HostConfig.Dns).toEqual(["172.29.0.53"]);
    expect([...(web.HostConfig.DnsOptions ?? [])].sort()).toEqual(["ndots:2", "timeout:1"]);
    expect(web.Config.Env).toEqual(expect.arrayContaining(["MODE=stress", "QUOTED=two words = fine"]));
    const lan = await docker.getNetwork(`${STACK}-lan`).inspect();
    expect(lan).toMatchObject({ Driver: "macvlan", Options: expect.objectContaining({ parent: veth.parent }) });
    const mesh = await docker.getNetwork(`${STACK}-mesh`).inspect();
    expect(mesh).toMatchObject({ Driver: "overlay", Attachable: true, Scope: "swarm" });
  });

  it("pulumi destroy leaves no container and no network of the stack", async () => {
    await project.destroy(STACK);
    expect(await labelledContainers(docker, STACK)).toEqual([]);
    const networks = (await docker.listNetworks()).map((n) => n.Name).filter((n) => n.startsWith(`${STACK}-`));
    expect(networks).toEqual([]);
  });
});
