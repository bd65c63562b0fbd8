/**
 * LocalRegistry on the real engine (issue 5): what the component renders is
 * applied to the engine, then an image built locally is pushed from the host,
 * pulled by alias from a container on the registry's network and again from
 * the host, survives a replacement of the registry container, and with auth on
 * is refused anonymously but accepted with the generated credentials.
 */
import type Docker from "dockerode";
import { BridgeNetwork } from "../../components/docker/bridge-network";
import { LocalRegistry, LocalRegistryArgs } from "../../components/docker/local-registry";
import { pushImage } from "../../components/docker/registry-image";
import { cleanup, connectEngine, describeE2E, exec, runProbe, E2E_PREFIX, PROBE_IMAGE } from "./support/engine";
import {
  applyContainer,
  applyNetwork,
  applyRegistryImage,
  applyTag,
  applyVolume,
  Credentials,
  freePort,
  httpGet,
  pull,
  push,
  Rendered,
  rendered,
  renderProgram,
  resolve,
  untag,
  waitForRegistry,
} from "./support/registry";

const P = `${E2E_PREFIX}reg-`;
const NETWORK = `${P}net`;
const T = {
  network: "docker:index/network:Network",
  volume: "docker:index/volume:Volume",
  container: "docker:index/container:Container",
  tag: "docker:index/tag:Tag",
  registryImage: "docker:index/registryImage:RegistryImage",
} as const;
const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

jest.setTimeout(180_000);

/** Renders a LocalRegistry named `<P><name>` on the e2e network, and a push of the probe image to `repository:v1`. */
function renderRegistry(name: string, port: number, extra: Partial<LocalRegistryArgs> = {}, repository = "e2e/probe") {
  return renderProgram(() => {
    const network = new BridgeNetwork("net", { name: NETWORK });
    const registry = new LocalRegistry(name, { name: `${P}${name}`, volumeName: `${P}${name}-data`, port, networks: [{ network }], ...extra });
    const pushed = pushImage(`${name}-probe`, { image: PROBE_IMAGE, registry, repository, tag: "v1" });
    return { registry, pushed };
  });
}

describeE2E("LocalRegistry (real engine)", () => {
  let docker: Docker;
  const tags: string[] = [];

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanup(P, docker);
  });

  afterAll(async () => {
    if (!docker) return;
    for (const tag of tags) await untag(docker, tag);
    await cleanup(P, docker);
  });

  describe("without auth", () => {
    let port: number;
    let address: string;
    let client: Docker.Container;
    let rendering: Rendered[];
    const repository = "e2e/probe";

    beforeAll(async () => {
      port = await freePort();
      const { value, resources } = await renderRegistry("open", port);
      const registry = value.registry;
      rendering = resources;
      expect(registry.hostAddress).toBe(`127.0.0.1:${port}`);
      expect(registry.containerAddress).toBe("registry:5000");
      await applyNetwork(docker, rendered(resources, T.network, "net").inputs);
      await applyVolume(docker, rendered(resources, T.volume, "open-data").inputs);
      await applyContainer(docker, rendered(resources, T.container, "open").inputs);
      address = registry.hostAddress;
      await waitForRegistry(address);
      client = await runProbe(docker, { name: `${P}client`, network: NETWORK });
    });

    /** The manifest as a container on the registry's network fetches it by alias, or the failure. */
    async function manifestByAlias(tag: string): Promise<{ exitCode: number; manifest?: { schemaVersion: number; layers: { digest: string }[] } }> {
      const r = await exec(docker, client, ["wget", "-q", "-O", "-", "--header", `Accept: ${MANIFEST_V2}`, `http://registry:5000/v2/${repository}/manifests/${tag}`]);
      return r.exitCode === 0 ? { exitCode: 0, manifest: JSON.parse(r.stdout) } : { exitCode: r.exitCode };
    }

    it("accepts the push pushImage renders, from the host to its loopback address (no insecure-registries entry needed)", async () => {
      const reference = await applyTag(docker, rendered(rendering, T.tag, "open-probe-tag").inputs);
      tags.push(reference);
      expect(reference).toBe(`${address}/${repository}:v1`);
      const image = rendered(rendering, T.registryImage, "open-probe").inputs;
      expect(image).toMatchObject({ name: reference, insecureSkipVerify: true, authConfig: { address: `http://${address}` } });
      expect(await applyRegistryImage(docker, image)).toMatch(/^sha256:[0-9a-f]{64}$/);
      const catalog = await httpGet(`http://${address}/v2/_catalog`);
      expect(catalog.status).toBe(200);
      expect(JSON.parse(catalog.body)).toEqual({ repositories: [repository] });
    });

    it("serves the image to a container on its network by the alias registry", async () => {
      const { exitCode, manifest } = await manifestByAlias("v1");
      expect(exitCode).toBe(0);
      expect(manifest!.schemaVersion).toBe(2);
      const layer = manifest!.layers[0]!.digest;
      const blob = await exec(docker, client, `wget -q -O - http://registry:5000/v2/${repository}/blobs/${layer} | wc -c`);
      expect(blob.exitCode).toBe(0);
      expect(Number(blob.stdout.trim())).toBeGreaterThan(100_000); // the busybox layer
    });

    it("lets the host pull the image back after the local tag is gone", async () => {
      const reference = `${address}/${repository}:v1`;
      await untag(docker, reference);
      await expect(docker.getImage(reference).inspect()).rejects.toMatchObject({ statusCode: 404 });
      await pull(docker, reference);
      const image = await docker.getImage(reference).inspect();
      expect(image.Id).toBe((await docker.getImage(PROBE_IMAGE).inspect()).Id);
    });

    it("keeps the images when the registry container is replaced (same volume)", async () => {
      const before = await docker.getContainer(`${P}open`).inspect();
      const { resources } = await renderRegistry("open", port, { env: { REGISTRY_LOG_LEVEL: "debug" } });
      const first = await renderRegistry("open", port);
      // The change forces a new container; the volume's inputs are untouched.
      expect(rendered(resources, T.container, "open").inputs.envs).not.toEqual(rendered(first.resources, T.container, "open").inputs.envs);
      expect(rendered(resources, T.volume, "open-data").inputs).toEqual(rendered(first.resources, T.volume, "open-data").inputs);
      // Replace delete-first, as the component asks (deleteBeforeReplace): the volume stays.
      await docker.getContainer(`${P}open`).remove({ force: true });
      await applyVolume(docker, rendered(resources, T.volume, "open-data").inputs);
      await applyContainer(docker, rendered(resources, T.container, "open").inputs);
      await waitForRegistry(address);
      const after = await docker.getContainer(`${P}open`).inspect();
      expect(after.Id).not.toBe(before.Id);
      expect(after.Config.Env).toContain("REGISTRY_LOG_LEVEL=debug");
      expect(after.Mounts.map((m) => m.Name)).toEqual([`${P}open-data`]);

      const { exitCode, manifest } = await manifestByAlias("v1");
      expect(exitCode).toBe(0);
      expect(manifest!.schemaVersion).toBe(2);
      const reference = `${address}/${repository}:v1`;
      await untag(docker, reference);
      await pull(docker, reference);
    });
  });

  describe("with auth", () => {
    let address: string;
    let credentials: Credentials;
    let rendering: Rendered[];

    beforeAll(async () => {
      const port = await freePort();
      const { value, resources } = await renderRegistry("private", port, { auth: true }, "e2e/private");
      const registry = value.registry;
      rendering = resources;
      credentials = await resolve(registry.credentials!);
      expect(credentials.username).toBe("registry");
      expect(credentials.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const container = rendered(resources, T.container, "private").inputs;
      expect(container.uploads).toEqual([{ file: "/auth/htpasswd", content: expect.stringMatching(/^registry:\$2b\$05\$.{53}\n$/), permissions: "0644" }]);
      if (!(await docker.getNetwork(NETWORK).inspect().catch(() => undefined))) await applyNetwork(docker, rendered(resources, T.network, "net").inputs);
      await applyVolume(docker, rendered(resources, T.volume, "private-data").inputs);
      await applyContainer(docker, container);
      address = registry.hostAddress;
      await waitForRegistry(address);
    });

    it("asks anonymous clients for basic auth and accepts the generated credentials", async () => {
      const anonymous = await httpGet(`http://${address}/v2/`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers["www-authenticate"]).toBe(`Basic realm="${P}private"`);
      expect((await httpGet(`http://${address}/v2/`, { username: credentials.username, password: "wrong" })).status).toBe(401);
      expect((await httpGet(`http://${address}/v2/`, credentials)).status).toBe(200);
    });

    it("refuses an anonymous push and accepts the push pushImage renders with the generated credentials", async () => {
      const reference = await applyTag(docker, rendered(rendering, T.tag, "private-probe-tag").inputs);
      tags.push(reference);
      await expect(push(docker, reference)).rejects.toThrow(/no basic auth credentials|unauthorized|authentication required/i);
      const image = rendered(rendering, T.registryImage, "private-probe").inputs;
      expect(image.authConfig).toEqual({ address: `http://${address}`, ...credentials });
      expect(await applyRegistryImage(docker, image)).toMatch(/^sha256:/);
      const manifest = await httpGet(`http://${address}/v2/e2e/private/manifests/v1`, credentials, { Accept: MANIFEST_V2 });
      expect(manifest.status).toBe(200);
      expect(JSON.parse(manifest.body).schemaVersion).toBe(2);
    });
  });
});
