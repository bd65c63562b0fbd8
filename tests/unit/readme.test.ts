import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "..", "..");
const docsDir = path.join(root, "docs");

/** README.md and every docs/*.md page, as paths relative to the repository root. */
function documentationPages(): string[] {
  const docs = fs
    .readdirSync(docsDir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs];
}

const read = (page: string): string => fs.readFileSync(path.join(root, page), "utf8");

/** The ```ts blocks of README.md and docs/*.md, in order, each named by its page. */
function documentationExamples(): { page: string; code: string }[] {
  return documentationPages().flatMap((page) => [...read(page).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({ page, code: m[1]! })));
}

/** The text outside fenced code blocks and inline code spans, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/(`+)[\s\S]*?\1/g, "");
}

/** The targets of the inline links and images of a page (`[text](target)`, `![alt](target)`). */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a page's headings define. */
function anchorsOf(markdown: string): Set<string> {
  const headings = [...markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").matchAll(/^#{1,6}\s+(.*?)\s*#*\s*$/gm)];
  return new Set(headings.map((m) => anchor(m[1]!)));
}

describe("README and docs examples", () => {
  const examples = documentationExamples();

  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.filter((e) => e.page === "README.md").length).toBeGreaterThanOrEqual(1);
  });

  it("every example type-checks against the package as users import it", () => {
    // One program for all examples: each is its own module, compiled once (fast), diagnostics named by example.
    const dir = fs.mkdtempSync(path.join(root, "tests", ".readme-"));
    try {
      const files = examples.map(({ page, code }, i) => {
        const file = path.join(dir, `example-${i}-${page.replace(/[^A-Za-z0-9]+/g, "-")}.ts`);
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

describe("README and docs pages", () => {
  const readme = read("README.md");

  it("README.md is a first page, under 12,000 bytes (reference material goes to docs/)", () => {
    expect(Buffer.byteLength(readme, "utf8")).toBeLessThan(12_000);
  });

  it("README.md links every docs page, the policy pack's and the Pulumi toolchain's README", () => {
    const linked = new Set(
      linkTargets(readme)
        .filter((t) => !isExternal(t))
        .map((t) => path.posix.normalize(t.split("#")[0]!)),
    );
    const pages = [...documentationPages().filter((p) => p !== "README.md"), "policy/README.md", "tools/pulumi/README.md"];
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
  });

  it.each(documentationPages())("every relative link in %s points at an existing file (and heading)", (page) => {
    const broken = linkTargets(read(page))
      .filter((t) => !isExternal(t))
      .filter((target) => {
        const [file, fragment] = target.split("#") as [string, string | undefined];
        const resolved = file === "" ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), decodeURI(file));
        if (!fs.existsSync(resolved)) return true;
        if (fragment === undefined || !resolved.endsWith(".md")) return false;
        return !anchorsOf(fs.readFileSync(resolved, "utf8")).has(fragment);
      });
    expect(broken).toEqual([]);
  });
});
