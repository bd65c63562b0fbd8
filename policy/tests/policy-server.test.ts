/**
 * The pack as the Pulumi CLI runs it: `@pulumi/pulumi/cmd/run-policy-pack` loads index.ts (through
 * ts-node, type-checked), the policy SDK serves the analyzer gRPC API, and this test plays the engine:
 * GetAnalyzerInfo, Configure, Analyze and AnalyzeStack with protobuf requests, unknowns as the engine
 * marshals them (sentinel strings), and the stack name the way the CLI sends it: a ConfigureStack RPC
 * (no PULUMI_STACK in the environment: `pulumi preview --policy-pack DIR` starts the pack through the
 * language host's RunPlugin, which passes only the ambient environment).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { container, network } from "./fixtures";
import { TestResource, unknown } from "./support";

import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";

jest.setTimeout(180_000);

const level = ["advisory", "mandatory", "disabled", "remediate"] as const;
const urnOf = (r: TestResource) => `urn:pulumi:prod::container-topology::${r.type}::${r.name}`;

let pack: ChildProcess | undefined;
let client: analyzerRpc.AnalyzerClient;

function call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));
}

function options(): analyzer.AnalyzerResourceOptions {
  const opts = new analyzer.AnalyzerResourceOptions();
  opts.setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
  return opts;
}

async function analyze(r: TestResource) {
  const req = new analyzer.AnalyzeRequest();
  req.setType(r.type);
  req.setName(r.name);
  req.setUrn(urnOf(r));
  req.setProperties(Struct.fromJavaScript(r.props as Record<string, JavaScriptValue>));
  req.setOptions(options());
  const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze, req);
  return res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: level[d.getEnforcementlevel()], message: d.getMessage() }));
}

async function analyzeStack(resources: TestResource[]) {
  const req = new analyzer.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const res = new analyzer.AnalyzerResource();
      res.setType(r.type);
      res.setName(r.name);
      res.setUrn(urnOf(r));
      res.setProperties(Struct.fromJavaScript(r.props as Record<string, JavaScriptValue>));
      res.setOptions(options());
      return res;
    }),
  );
  const res = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack, req);
  return res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: level[d.getEnforcementlevel()], urn: d.getUrn(), message: d.getMessage() }));
}

beforeAll(async () => {
  const dir = path.join(__dirname, "..");
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^PULUMI_(NODEJS_)?STACK$/.test(k)));
  pack = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  pack.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    pack?.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /^(\d+)\s*$/m.exec(stdout);
      if (m?.[1]) resolve(Number(m[1]));
    });
    pack?.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
  });
  client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  await configureStack("prod");
});

/** What the CLI sends right after the pack starts (analyzer_plugin.go, NewPolicyAnalyzer). */
async function configureStack(stack: string): Promise<void> {
  const req = new analyzer.AnalyzerStackConfigureRequest();
  req.setStack(stack);
  req.setProject("container-topology");
  req.setOrganization("organization");
  req.setDryRun(true);
  await call<analyzer.AnalyzerStackConfigureRequest, unknown>(client.configureStack, req);
}

afterAll(() => {
  client?.close();
  pack?.kill();
});

describe("the pack served over the analyzer API", () => {
  it("describes itself: name, every rule with its default level and config schema", async () => {
    const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
    expect(info.getName()).toBe("container-topology");
    expect(info.getSupportsconfig()).toBe(true);
    const rules = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), level[p.getEnforcementlevel()]]));
    expect(rules).toEqual({
      "no-wildcard-publish": "mandatory",
      "no-host-network": "mandatory",
      "no-privileged": "mandatory",
      "no-dangerous-capabilities": "mandatory",
      "overlay-encrypted": "mandatory",
      "reserved-ranges": "mandatory",
      "unique-subnets": "mandatory",
      "unique-host-ports": "mandatory",
      "registry-auth": "mandatory",
      "registry-plain-http-loopback": "mandatory",
      "pinned-images": "advisory",
      "kubernetes-host-port": "mandatory",
      "kubernetes-host-network": "mandatory",
      "kubernetes-node-port-range": "mandatory",
    });
  });

  it("reports a violation at the rule's level and an unknown as an advisory note, on the CLI's stack", async () => {
    const web = container("web", {
      networkMode: "host",
      ports: [
        { internal: 80, external: 8080 },
        { internal: 81, external: 8081, ip: unknown.string },
      ],
    });
    const out = await analyze(web);
    expect(out).toEqual([
      {
        policy: "no-wildcard-publish",
        level: "mandatory",
        message: expect.stringMatching(/^Published container ports bind .*\ncontainer "dev-web" ports\[0\]: 8080\/tcp -> 80 has no ip/s),
      },
      {
        policy: "no-wildcard-publish",
        level: "advisory",
        message:
          "can't run policy 'no-wildcard-publish' from policy pack 'container-topology@v0.1.0' during preview: could not decide: ports[1].ip is unknown until apply",
      },
      { policy: "no-host-network", level: "mandatory", message: expect.stringContaining('container "dev-web" networkMode: "host"') },
    ]);
  });

  it("exempts a development stack named by ConfigureStack, and applies again on the next stack", async () => {
    const web = container("web", { networkMode: "host" });
    try {
      await configureStack("dev-alice");
      expect((await analyze(web)).filter((d) => d.policy === "no-host-network")).toEqual([]);
    } finally {
      await configureStack("prod");
    }
    expect((await analyze(web)).map((d) => d.policy)).toContain("no-host-network");
  });

  it("runs stack policies over every resource and reports against the offending URN", async () => {
    const a = network("a", { ipamConfigs: [{ subnet: "10.1.0.0/16" }] });
    const b = network("b", { ipamConfigs: [{ subnet: "10.1.2.0/24" }] });
    const out = await analyzeStack([a, b, container("web", { ports: [{ internal: 80, external: 8080, ip: "127.0.0.1" }] })]);
    expect(out).toEqual([
      { policy: "unique-subnets", level: "mandatory", urn: urnOf(b), message: expect.stringContaining('network "dev-b" ipamConfigs[0].subnet: 10.1.2.0/24 overlaps') },
    ]);
  });

  it("applies the stack's policy config", async () => {
    const req = new analyzer.ConfigureAnalyzerRequest();
    const set = (name: string, lvl: analyzer.EnforcementLevel, props: object) => {
      const c = new analyzer.PolicyConfig();
      c.setEnforcementlevel(lvl);
      c.setProperties(Struct.fromJavaScript(props as Record<string, JavaScriptValue>));
      req.getPolicyconfigMap().set(name, c);
    };
    set("no-wildcard-publish", analyzer.EnforcementLevel.MANDATORY, { allow: ["web:8080/tcp"] });
    set("no-host-network", analyzer.EnforcementLevel.DISABLED, {});
    set("pinned-images", analyzer.EnforcementLevel.MANDATORY, { reportUnknowns: false });
    await call<analyzer.ConfigureAnalyzerRequest, unknown>(client.configure, req);
    const out = await analyze(container("web", { image: "nginx", networkMode: "host", ports: [{ internal: 80, external: 8080 }] }));
    expect(out).toEqual([{ policy: "pinned-images", level: "mandatory", message: expect.stringContaining('container "dev-web" image: "nginx" has no tag') }]);
    expect(await analyze(container("web", { image: unknown.string }))).toEqual([]);
  });
});
