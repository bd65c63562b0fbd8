import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { runOnMocks } from "../../cli/mock-runtime";
import { ofType, resource, T } from "./support";

const root = path.join(__dirname, "..", "..");

function stackConfig(stack: string): Record<string, unknown> {
  return (parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
}

describe("the dev stack program (index.ts)", () => {
  it("renders the dev declaration with safe defaults", async () => {
    const { resources } = await runOnMocks(() => {
      jest.isolateModules(() => require("../../index"));
    }, { stack: "dev", config: stackConfig("dev") });
    const dev = resource(resources, T.network, "dev-dev");
    expect(dev.inputs).toMatchObject({ name: "dev-dev", driver: "bridge", ipamConfigs: [{ subnet: "172.30.0.0/24" }] });
    const hello = resource(resources, T.container, "dev-hello-bridge");
    expect(hello.inputs).toMatchObject({
      name: "dev-hello-bridge",
      ports: [{ internal: 80, external: 8080, ip: "127.0.0.1", protocol: "tcp" }],
      networksAdvanced: [{ name: "dev-dev", aliases: ["hello-bridge", "hello"] }],
      hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
    });
    expect(hello.options).toMatchObject({ deleteBeforeReplace: true, replaceWith: [dev.urn] });
    expect(resource(resources, T.container, "dev-host-agent").inputs).toMatchObject({ networkMode: "host", ports: [], networksAdvanced: [] });
    const registry = resource(resources, T.container, "dev-registry");
    expect(registry.inputs).toMatchObject({
      image: "container-topology/registry:local",
      ports: [{ internal: 5000, external: 5001, ip: "127.0.0.1", protocol: "tcp" }],
      networksAdvanced: [{ name: "dev-dev", aliases: ["registry"] }],
      volumes: [{ volumeName: "dev-registry-data", containerPath: "/var/lib/registry" }],
    });
    expect(resource(resources, T.volume, "dev-registry-data").options.retainOnDelete).toBe(true);
    expect(ofType(resources, T.container)).toHaveLength(5); // four services and the registry
  });
});
