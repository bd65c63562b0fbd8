import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "..", "..");

/** The ```ts blocks of the README, in order. */
function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe("README examples", () => {
  const examples = readmeExamples();

  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it("every example type-checks against the package as users import it", () => {
    // One program for all examples: each is its own module, compiled once (fast), diagnostics named by example.
    const dir = fs.mkdtempSync(path.join(root, "tests", ".readme-"));
    try {
      const files = examples.map((code, i) => {
        const file = path.join(dir, `example-${i}.ts`);
        fs.writeFileSync(file, code);
        return file;
      });
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        baseUrl: root,
        paths: { "container-topology": ["components/index.ts"] },
        types: ["node"],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file ? path.basename(d.file.fileName) : "?"}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      expect(diagnostics).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
