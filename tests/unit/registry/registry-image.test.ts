import * as docker from "@pulumi/docker";
import { runOnMocks, valueOf } from "../../../cli/mock-runtime";
import { LocalRegistry } from "../../../components/docker/local-registry";
import { pushImage, PushImageArgs } from "../../../components/docker/registry-image";
import { TopologyResourceError } from "../../../components/docker/validation";
import { ClusterRegistry } from "../../../components/kubernetes/cluster-registry";
import { resource } from "../support";

const TAG = "docker:index/tag:Tag";
const REGISTRY_IMAGE = "docker:index/registryImage:RegistryImage";
const SECRET_KEY = "4dabf18193072939515e22adb298388d";

describe("pushImage", () => {
  it("tags a local image for a LocalRegistry and pushes it over plain HTTP once the registry runs", async () => {
    const { resources, value } = await runOnMocks(() => {
      const registry = new LocalRegistry("registry", {});
      return { push: pushImage("app", { image: "app:dev", registry, repository: "team/app", tag: "1.0" }) };
    });
    const tag = resource(resources, TAG, "app-tag");
    expect(tag.inputs).toEqual({ sourceImage: "app:dev", targetImage: "127.0.0.1:5001/team/app:1.0" });
    const image = resource(resources, REGISTRY_IMAGE, "app");
    expect(image.inputs).toEqual({
      name: "127.0.0.1:5001/team/app:1.0",
      keepRemotely: true,
      insecureSkipVerify: true,
      // the scheme is what makes the provider's digest lookups (push, refresh, delete) use HTTP
      authConfig: { address: "http://127.0.0.1:5001" },
      triggers: {},
    });
    const container = resource(resources, "docker:index/container:Container", "registry");
    expect(image.options.dependencies).toEqual(expect.arrayContaining([tag.urn, container.urn]));
    expect(value.push.reference).toBe("127.0.0.1:5001/team/app:1.0");
  });

  it("pushes with the generated credentials of a registry with auth", async () => {
    const { resources } = await runOnMocks(() => {
      const registry = new LocalRegistry("registry", { auth: { username: "ci" }, port: 5002 });
      return pushImage("app", { image: "app:dev", registry, repository: "app" });
    });
    // The password is secret, so the whole auth config is.
    const wrapped = resource(resources, REGISTRY_IMAGE, "app").inputs.authConfig as Record<string, unknown>;
    expect(wrapped[SECRET_KEY]).toBeDefined();
    expect(wrapped.value).toEqual({ address: "http://127.0.0.1:5002", username: "ci", password: null }); // the mock provider generates no password
    expect(resource(resources, REGISTRY_IMAGE, "app").inputs.name).toBe("127.0.0.1:5002/app:latest");
  });

  it("pushes to a ClusterRegistry through its node proxy on localhost:5001", async () => {
    const { resources } = await runOnMocks(() => {
      const registry = new ClusterRegistry("cluster", {});
      return pushImage("app", { image: "app:dev", registry, repository: "app", tag: "v2" });
    });
    expect(resource(resources, REGISTRY_IMAGE, "app").inputs).toMatchObject({ name: "localhost:5001/app:v2", insecureSkipVerify: true, authConfig: { address: "http://localhost:5001" } });
  });

  it("takes a docker.RemoteImage, re-tagging when its ID changes, and a TLS endpoint", async () => {
    const { resources, value } = await runOnMocks(() => {
      const base = new docker.RemoteImage("base", { name: "busybox:1.36", keepLocally: true });
      return pushImage("mirror", {
        image: base,
        registry: { address: "registry.example.test", username: "bot", password: "s3cret" },
        repository: "mirror/busybox",
        tag: "1.36",
        keepRemotely: false,
        triggers: { build: "42" },
      });
    });
    // tagTriggers carries the image ID (unknown on the mock runtime): a new ID re-tags.
    expect(resource(resources, TAG, "mirror-tag").inputs).toEqual({ sourceImage: "busybox:1.36", targetImage: "registry.example.test/mirror/busybox:1.36", tagTriggers: [null] });
    const image = resource(resources, REGISTRY_IMAGE, "mirror").inputs;
    expect(image).toMatchObject({ insecureSkipVerify: false, keepRemotely: false, triggers: { build: "42" } });
    expect((image.authConfig as Record<string, unknown>).value).toEqual({ address: "https://registry.example.test", username: "bot", password: "s3cret" });
    expect(await valueOf(value.repoDigest)).toBe("registry.example.test/mirror/busybox@undefined");
  });

  it.each<[string, Partial<PushImageArgs>, string]>([
    ["an upper-case repository", { repository: "Team/App" }, `repository: "Team/App" is not a repository name: use lowercase letters, digits and ".", "_" or "-" separators, in "/"-separated components. Did you mean "team/app"?`],
    ["a tag with a colon", { tag: "1:0" }, `tag: "1:0" is not a tag: use up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`],
    ["an address with a scheme", { registry: { address: "http://localhost:5001" } }, `registry.address: "http://localhost:5001" is not a registry address: write host[:port] without a scheme, e.g. "localhost:5001"`],
  ])("rejects %s", async (_title, override, line) => {
    const error = (await runOnMocks(() => pushImage("app", { image: "app:dev", registry: { address: "localhost:5001" }, repository: "app", ...override })).catch((e: unknown) => e)) as TopologyResourceError;
    expect(error.message).toBe(`PushedImage "app" has invalid arguments (1 error):\n  ${line}`);
    expect(error.issues.map((i) => i.code)).toHaveLength(1);
  });
});
