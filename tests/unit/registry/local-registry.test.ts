import * as pulumi from "@pulumi/pulumi";
import { runOnMocks, valueOf } from "../../../cli/mock-runtime";
import { BridgeNetwork } from "../../../components/docker/bridge-network";
import { LocalRegistry, LocalRegistryArgs } from "../../../components/docker/local-registry";
import { TopologyResourceError } from "../../../components/docker/validation";
import { Topology } from "../../../components/topology";
import { ofType, resource, T } from "../support";

const PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Unwraps `{sig: secret, value}` as recorded by the mock runtime, and says whether it was secret. */
function secretValue(value: unknown): { secret: boolean; value: unknown } {
  const wrapped = value as { [key: string]: unknown; value?: unknown };
  if (wrapped && typeof wrapped === "object" && wrapped["4dabf18193072939515e22adb298388d"] === SECRET_SIG) return { secret: true, value: wrapped.value };
  return { secret: false, value };
}

async function render(args: LocalRegistryArgs = {}, withNetwork = false) {
  return runOnMocks(() => {
    const kind = withNetwork ? new BridgeNetwork("kind", { name: "kind", subnet: "172.31.0.0/24" }) : undefined;
    const networks = kind ? [{ network: kind }] : [];
    return new LocalRegistry("registry", { ...args, ...(kind && !args.networks ? { networks } : {}) });
  });
}

describe("LocalRegistry", () => {
  it("runs registry:2 on 127.0.0.1:5001 with its storage on a retained named volume", async () => {
    const { resources, value } = await render();
    const volume = resource(resources, T.volume, "registry-data");
    expect(volume.inputs).toEqual({
      name: "dev-registry-data",
      labels: [
        { label: "container-topology.io/role", value: "registry" },
        { label: "container-topology.io/managed", value: "true" },
      ],
    });
    expect(volume.options).toMatchObject({ retainOnDelete: true, deleteBeforeReplace: true });
    const container = resource(resources, T.container, "registry");
    expect(container.inputs).toMatchObject({
      name: "dev-registry",
      image: "registry:2",
      ports: [{ internal: 5000, external: 5001, ip: "127.0.0.1", protocol: "tcp" }],
      envs: ["REGISTRY_HTTP_ADDR=:5000", "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=/var/lib/registry", "REGISTRY_STORAGE_DELETE_ENABLED=true"],
      volumes: [{ volumeName: "dev-registry-data", containerPath: "/var/lib/registry" }],
      labels: [
        { label: "container-topology.io/role", value: "registry" },
        { label: "container-topology.io/managed", value: "true" },
      ],
      restart: "unless-stopped",
      networksAdvanced: [],
      hosts: [],
    });
    expect(container.inputs.uploads).toBeUndefined();
    // Replacing the container (any input change) keeps the volume; replacing the volume replaces the container.
    expect(container.options).toMatchObject({ deleteBeforeReplace: true, replaceWith: [volume.urn] });
    expect(ofType(resources, PASSWORD)).toEqual([]);
    expect(value.hostAddress).toBe("127.0.0.1:5001");
    expect(value.containerAddress).toBeUndefined();
    expect(value.credentials).toBeUndefined();
  });

  it("joins networks under the alias registry and says where containers and clusters pull from", async () => {
    const { resources, value } = await render({}, true);
    const network = resource(resources, T.network, "kind");
    const container = resource(resources, T.container, "registry");
    expect(container.inputs.networksAdvanced).toEqual([{ name: "kind", aliases: ["registry"] }]);
    expect(container.options.replaceWith).toEqual([network.urn, resource(resources, T.volume, "registry-data").urn]);
    expect(value.containerAddress).toBe("registry:5000");
    expect(value.localRegistryHosting).toEqual({
      host: "127.0.0.1:5001",
      hostFromContainerRuntime: "registry:5000",
      hostFromClusterNetwork: "registry:5000",
      help: "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry",
    });
    expect(value.containerdHostsToml).toBe(`server = "http://127.0.0.1:5001"\n\n[host."http://registry:5000"]\n  capabilities = ["pull", "resolve"]\n`);
  });

  it("takes port, host IP, image, env, volume name and retainStorage", async () => {
    const { resources, value } = await render({
      port: 5055,
      hostIp: "0.0.0.0",
      image: "container-topology/registry:local",
      env: { REGISTRY_LOG_LEVEL: "debug" },
      volumeName: "images",
      retainStorage: false,
    });
    expect(resource(resources, T.volume, "registry-data").inputs.name).toBe("images");
    expect(resource(resources, T.volume, "registry-data").options.retainOnDelete).toBe(false);
    const container = resource(resources, T.container, "registry");
    expect(container.inputs).toMatchObject({ image: "container-topology/registry:local", ports: [{ internal: 5000, external: 5055, ip: "0.0.0.0", protocol: "tcp" }] });
    expect(container.inputs.envs).toContain("REGISTRY_LOG_LEVEL=debug");
    expect(value.hostAddress).toBe("localhost:5055");
  });

  it("turns auth on with a generated password, a bcrypt htpasswd upload and secret credentials", async () => {
    const { resources, value } = await render({ auth: { username: "ci" } });
    const password = resource(resources, PASSWORD, "registry-password");
    expect(password.inputs).toEqual({ length: 32, special: false, keepers: { registry: "dev-registry", username: "ci" } });
    const container = resource(resources, T.container, "registry");
    expect(container.inputs.envs).toEqual(
      expect.arrayContaining(["REGISTRY_AUTH=htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM=dev-registry", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd"]),
    );
    const uploads = secretValue(container.inputs.uploads);
    expect(uploads.secret).toBe(true);
    // The mock provider computes no hash; the real one fills bcryptHash once and keeps it in state.
    expect(uploads.value).toEqual([{ file: "/auth/htpasswd", content: "ci:undefined\n", permissions: "0644" }]);
    expect(await valueOf(value.credentials!)).toEqual({ username: "ci", password: undefined });
    expect(await pulumi.isSecret(value.credentials!)).toBe(true);
    expect(value.pushEndpoint).toMatchObject({ address: "127.0.0.1:5001", plainHttp: true, username: "ci" });
  });

  it("renders identically twice (no random value outside @pulumi/random)", async () => {
    const first = await render({ auth: true }, true);
    const second = await render({ auth: true }, true);
    const strip = (r: typeof first) => r.resources.map(({ type, name, inputs, options }) => ({ type, name, inputs, options }));
    expect(strip(second)).toEqual(strip(first));
  });

  it.each<[string, LocalRegistryArgs, string[]]>([
    ["a port out of range", { port: 0 }, ["port: 0 is not a port: use 1-65535"]],
    ["a bad host IP and user", { hostIp: "localhost", auth: { username: "" } }, [`auth.username: must not be empty`, `hostIp: "localhost" is not a valid IP address, e.g. "172.30.0.10"`]],
    ["an unknown key", { prot: 5002 } as LocalRegistryArgs, [`prot: unknown key. Did you mean "port"?`]],
  ])("rejects %s with the paths of its args", async (_title, args, lines) => {
    const error = (await render(args).catch((e: unknown) => e)) as TopologyResourceError;
    expect(error.message).toBe(`LocalRegistry "registry" has invalid arguments (${lines.length} error${lines.length === 1 ? "" : "s"}):\n${lines.map((l) => `  ${l}`).join("\n")}`);
    expect(error.issues.length).toBe(lines.length);
  });
});

describe("Topology with registries", () => {
  it("renders each registry through LocalRegistry on the declared networks, and lists its endpoint", async () => {
    const { resources, value } = await runOnMocks(
      () =>
        new Topology("dev", {
          declaration: {
            networks: { dev: { subnet: "172.30.0.0/24" } },
            registries: { registry: { image: "container-topology/registry:local", networks: ["dev"], auth: true } },
          },
        }),
    );
    const container = resource(resources, T.container, "dev-registry");
    expect(container.inputs).toMatchObject({ name: "dev-registry", networksAdvanced: [{ name: "dev-dev", aliases: ["registry"] }] });
    expect(container.parent).toContain("container-topology:docker:LocalRegistry::dev-registry");
    expect(resource(resources, PASSWORD, "dev-registry-password").inputs.keepers).toEqual({ registry: "dev-registry", username: "registry" });
    expect(Object.keys(value.registries)).toEqual(["registry"]);
    expect(await valueOf(value.endpoints)).toEqual([
      { service: "registry", target: 5000, protocol: "tcp", published: 5001, hostIp: "127.0.0.1", hostAddress: "127.0.0.1:5001", networkAddresses: [{ network: "dev", address: "registry:5000" }] },
    ]);
  });
});
