/**
 * An external network under the real Pulumi engine: a network and a "node container" created outside
 * Pulumi first (as kind creates its `kind` network and `kind-control-plane`), then a stack that joins
 * the network and consumes a bridge of a cluster whose nodes are that container
 * (`kubernetes.nodes: {container, network}`). The consumer gets the node's in-network URL and reaches
 * it (a listener on the node port stands in for kube-proxy, which kwok does not run); preview and
 * refresh find nothing to change; destroy leaves the network and the node container alone. A stack
 * naming a network that does not exist fails its preview, naming it.
 */
import type Docker from "dockerode";
import { canConnect, connectEngine, exec, PROBE_IMAGE, runProbe } from "../e2e/support/engine";
import { cleanupStack } from "./support/cleanup";
import { ensureKube } from "./support/kube";
import { describeRun, PulumiProject } from "./support/project";
import { stackFile } from "./support/stack-file";
import { describePulumi } from "./support/toolchain";

jest.setTimeout(900_000);

const STACK = "extnet";
const NETWORK = "ct-ext-kindlike";
const NODE = "ct-ext-kindlike-control-plane";
const NODE_PORT = 30081;

async function removeOutsideObjects(docker: Docker): Promise<void> {
  await docker.getContainer(NODE).remove({ force: true }).catch(() => undefined);
  await docker.getNetwork(NETWORK).remove().catch(() => undefined);
}

describePulumi("an external network and a kind-like node container under the real Pulumi engine", () => {
  let project: PulumiProject;
  let docker: Docker;

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanupStack(docker, STACK);
    await removeOutsideObjects(docker);
    // What kind does before any stack runs: its network, and the node on it serving the node port.
    await docker.createNetwork({ Name: NETWORK, Driver: "bridge" });
    await runProbe(docker, { name: NODE, network: NETWORK, cmd: ["httpd", "-f", "-p", String(NODE_PORT), "-h", "/www"] });
    const kube = ensureKube();
    const declaration = {
      networks: { kind: { external: true, name: NETWORK } },
      services: { hurl: { image: PROBE_IMAGE, command: ["sleep", "infinity"], consumes: ["api"], networks: { kind: { aliases: ["hurl"] } } } },
      kubernetes: {
        kubeconfig: kube.kubeconfig,
        namespace: "extnet",
        nodes: { container: NODE, network: NETWORK },
        services: { api: { image: "ghcr.io/acme/api:1.4", type: "NodePort", ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: NODE_PORT }] } },
        bridges: { api: { service: "api" } },
      },
    };
    kube.kubectl(["create", "namespace", "extnet"]);
    project = PulumiProject.fromRepo("extnet", {
      [STACK]: stackFile(declaration),
      missing: stackFile({ networks: { gone: { external: true, name: "ct-ext-no-such-network" } }, services: { web: { image: PROBE_IMAGE, networks: ["gone"] } } }),
      // Preflight on: a container name that the node container holds already.
      taken: stackFile({ services: { node: { image: PROBE_IMAGE, name: NODE } } }, { "container-topology:preflight": true }),
    });
    await project.initStack(STACK);
    await project.initStack("missing");
    await project.initStack("taken");
  });

  afterAll(async () => {
    await project?.dispose([STACK]);
    if (docker) {
      await cleanupStack(docker, STACK);
      await removeOutsideObjects(docker);
    }
  });

  it("with container-topology:preflight, a preview fails on a name the engine holds for someone else, naming it", async () => {
    const r = await project.run(["preview", "--stack", "taken", "--non-interactive", "--color", "never"], { allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(`container-topology:topology.services.node: the container name "${NODE}" is taken on the engine by a container that is not this topology's`);
  });

  it("pulumi up joins the network; the consumer gets the node's in-network URL and reaches it", async () => {
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    const info = await docker.getContainer(`${STACK}-hurl`).inspect();
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([NETWORK]);
    expect(info.Config.Env).toContain(`API_URL=http://${NODE}:${NODE_PORT}`);
    expect(await canConnect(docker, `${STACK}-hurl`, NODE, NODE_PORT)).toBe(true);
    const get = await exec(docker, `${STACK}-hurl`, 'wget -q -O /dev/null "$API_URL"');
    expect(get.exitCode).toBe(0);
  });

  it("a second preview and a refresh find nothing to change", async () => {
    const preview = await project.previewNoChanges(STACK);
    expect(preview.code === 0 ? "" : describeRun(preview)).toBe("");
    const refresh = await project.refreshNoChanges(STACK);
    expect(refresh.code === 0 ? "" : describeRun(refresh)).toBe("");
  });

  it("pulumi destroy removes the stack's container and leaves the network and the node alone", async () => {
    await project.destroy(STACK);
    const names = (await docker.listContainers({ all: true })).flatMap((c) => c.Names);
    expect(names.filter((n) => n.startsWith(`/${STACK}-`))).toEqual([]);
    expect(names).toContain(`/${NODE}`);
    expect((await docker.getNetwork(NETWORK).inspect()).Name).toBe(NETWORK);
  });

  it("a stack naming a network that does not exist fails its preview, naming the network", async () => {
    const r = await project.run(["preview", "--stack", "missing", "--non-interactive", "--color", "never"], { allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("ct-ext-no-such-network");
  });
});
