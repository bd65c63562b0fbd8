import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { runOnMocks } from "../../../cli/mock-runtime";
import { Topology } from "../../../components/topology";
import { ofType, T } from "../support";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const lab = (parse(fs.readFileSync(path.join(ROOT, "Pulumi.lab.yaml"), "utf8")) as { config: Record<string, unknown> }).config["container-topology:topology"];

describe("Topology over several hosts (Pulumi.lab.yaml)", () => {
  it("one Docker provider per host; each object through its host's, each overlay through the manager's", async () => {
    const { resources } = await runOnMocks(() => void new Topology("lab", { declaration: lab }), { stack: "lab" });
    const providers = ofType(resources, "pulumi:providers:docker");
    expect(providers.map((p) => [p.name, p.inputs["host"]])).toEqual([
      ["lab-h1", "unix:///tmp/container-topology-hosts/h1/docker.sock"],
      ["lab-h2", "unix:///tmp/container-topology-hosts/h2/docker.sock"],
      ["lab-h3", "unix:///tmp/container-topology-hosts/h3/docker.sock"],
    ]);
    const through = (type: string) => Object.fromEntries(ofType(resources, type).map((r) => [r.name, /::(lab-h\d)::/.exec(r.options.provider ?? "")?.[1]]));
    expect(through(T.container)).toEqual({ "lab-web": "lab-h1", "lab-edge": "lab-h1", "lab-api": "lab-h2", "lab-db": "lab-h3", "lab-probe": "lab-h3" });
    expect(through(T.network)).toEqual({ "lab-mesh": "lab-h1", "lab-vault": "lab-h1", "lab-front": "lab-h1" });
  });

  it("a tcp:// host takes its TLS material from config secrets", async () => {
    const declaration = { hosts: { remote: { host: "tcp://10.0.0.2:2376", tls: { ca: "remoteCa", cert: "remoteCert", key: "remoteKey" } } }, services: { web: { image: "nginx" } } };
    const config = { "container-topology:remoteCa": "CA PEM", "container-topology:remoteCert": "CERT PEM", "container-topology:remoteKey": "KEY PEM" };
    const { resources } = await runOnMocks(() => void new Topology("t", { declaration }), { stack: "t", config });
    const [provider] = ofType(resources, "pulumi:providers:docker");
    expect(provider!.inputs).toMatchObject({ host: "tcp://10.0.0.2:2376" });
    expect(JSON.stringify(provider!.inputs)).toContain("CA PEM");
    expect(JSON.stringify(provider!.inputs)).toContain("KEY PEM");
  });
});
