import { execFileSync } from "child_process";
import { pathToFileURL } from "url";

const PACKAGE = "@hpcc-js/wasm-graphviz";

interface GraphvizModule {
  readonly Graphviz: { load(): Promise<{ dot(source: string): string }> };
}

/** Renders in a child Node process through `import()`, for runtimes that cannot `require` an ES module (Node < 20.19, jest). */
function renderInChild(dot: string): string {
  const entry = pathToFileURL(require.resolve(PACKAGE)).href;
  const script = [
    `import { Graphviz } from ${JSON.stringify(entry)};`,
    "const chunks = [];",
    "for await (const chunk of process.stdin) chunks.push(chunk);",
    "const graphviz = await Graphviz.load();",
    'process.stdout.write(graphviz.dot(Buffer.concat(chunks).toString("utf8")));',
  ].join("\n");
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { input: dot, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });
}

/**
 * DOT to SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz):
 * no native `dot` binary needed. The package is an ES module: it is loaded
 * in-process where Node can `require` ES modules (20.19 and later), otherwise
 * in a child Node process.
 */
export async function renderSvg(dot: string): Promise<string> {
  let graphviz: GraphvizModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    graphviz = require(PACKAGE) as GraphvizModule;
  } catch {
    return renderInChild(dot);
  }
  const instance = await graphviz.Graphviz.load();
  return instance.dot(dot);
}
