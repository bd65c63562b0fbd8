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

  it.each(examples.map((code, i) => [i, code] as const))("example %i type-checks against the package as users import it", (i, code) => {
    const dir = fs.mkdtempSync(path.join(root, "tests", ".readme-"));
    try {
      const file = path.join(dir, `example-${i}.ts`);
      fs.writeFileSync(file, code);
      const program = ts.createProgram([file], {
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
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(diagnostics).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
