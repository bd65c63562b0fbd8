import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "..", "..");

/**
 * `npm pack` gives a tarball another stack can install: its main and types
 * resolve, the components load, and a consumer importing "container-topology"
 * type-checks against the emitted .d.ts (not the sources).
 */
describe("the npm package", () => {
  let consumer: string;

  beforeAll(() => {
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), "ct-consumer-"));
    const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", consumer], { cwd: root, encoding: "utf8" });
    const tarball = path.join(consumer, out.trim().split("\n").pop()!);
    const installed = path.join(consumer, "node_modules", "container-topology");
    fs.mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
    // The package's own dependencies come from this checkout (no registry needed).
    for (const dep of fs.readdirSync(path.join(root, "node_modules"))) {
      const target = path.join(consumer, "node_modules", dep);
      if (!fs.existsSync(target)) fs.symlinkSync(path.join(root, "node_modules", dep), target);
    }
  }, 120_000);

  afterAll(() => fs.rmSync(consumer, { recursive: true, force: true }));

  it("contains the built library and the CLI, not the sources or tests", () => {
    const files = execFileSync("find", [".", "-type", "f"], { cwd: path.join(consumer, "node_modules", "container-topology"), encoding: "utf8" }).split("\n");
    expect(files).toContain("./dist/components/index.js");
    expect(files).toContain("./dist/components/index.d.ts");
    expect(files).toContain("./dist/cli/main.js");
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.some((f) => f.includes("/tests/"))).toBe(false);
  });

  it("loads and type-checks as `import { BridgeNetwork } from \"container-topology\"`", () => {
    const file = path.join(consumer, "stack.ts");
    fs.writeFileSync(
      file,
      [
        'import { BridgeNetwork, PublishedService, Topology, checkTopology } from "container-topology";',
        'const net = new BridgeNetwork("dev", { subnet: "172.30.0.0/24" });',
        'new PublishedService("web", { image: "nginx", ports: ["8080:80"], networks: [net] });',
        "export const t: typeof Topology = Topology;",
        "export const c = checkTopology({});",
      ].join("\n"),
    );
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Node10, types: [] });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    const loaded = execFileSync("node", ["-e", 'const c = require("container-topology"); console.log(typeof c.BridgeNetwork, typeof c.checkTopology)'], { cwd: consumer, encoding: "utf8" });
    expect(loaded.trim()).toBe("function function");
  });

  it("`npx container-topology plan` runs the consumer's own Pulumi program (TypeScript, Pulumi.yaml main)", () => {
    // npm links a package's bin into .bin; here .bin is this checkout's (linked with the other dependencies above).
    const bin = path.join(consumer, "node_modules", ".bin");
    fs.rmSync(bin, { force: true, recursive: false });
    fs.mkdirSync(bin);
    fs.symlinkSync("../container-topology/dist/cli/main.js", path.join(bin, "container-topology"));
    fs.chmodSync(path.join(consumer, "node_modules", "container-topology", "dist", "cli", "main.js"), 0o755); // as npm does for a bin
    fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: shop\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: infra/main.ts\n");
    fs.writeFileSync(path.join(consumer, "Pulumi.staging.yaml"), "config: {}\n");
    fs.mkdirSync(path.join(consumer, "infra"), { recursive: true });
    fs.writeFileSync(
      path.join(consumer, "infra", "main.ts"),
      [
        'import { BridgeNetwork, PublishedService } from "container-topology";',
        'const net = new BridgeNetwork("shop", { subnet: "172.31.40.0/24" });',
        'const api = new PublishedService("api", { image: "shop/api:1", expose: [8080], networks: [{ network: net, aliases: ["backend"] }] });',
        'new PublishedService("web", { image: "shop/web:1", ports: ["3000:3000"], networks: [net], env: { API_URL: "http://backend:8080" } });',
        "export const apiName = api.containerName;",
      ].join("\n"),
    );
    const out = execFileSync("npx", ["--no-install", "container-topology", "plan", "--stack", "staging"], { cwd: consumer, encoding: "utf8" });
    expect(out.split("\n")[0]).toMatch(/^Stack staging \(project shop, Pulumi\.staging\.yaml\): \d+ resources/);
    expect(out).toMatch(/docker:index:Container +web +staging-web +shop\/web:1 +127\.0\.0\.1:3000->3000\/tcp +staging-shop \(web\)/);
    // The reachability comes from the components the program created (no declaration in config).
    expect(out).toMatch(/^web +api +api:8080\/tcp +network \(shop\)/m);
    expect(out).toMatch(/^host +web +127\.0\.0\.1:3000\/tcp +published-port/m);
  });
});
