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
});
