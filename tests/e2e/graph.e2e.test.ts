/**
 * `npm run graph -- --stack dev -o dev.svg` on a fresh build, then the SVG
 * opened in headless Chromium (Debian's `chromium`, installed by
 * scripts/engine-install.sh): every node label the dev stack implies must be
 * laid out with a visible size. Needs no Docker Engine; fails (does not skip)
 * when Chromium is missing, unless E2E=skip.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { checkTopology } from "../../model/check";
import { describeE2E, REPO_ROOT } from "./support/engine";

function findChromium(): string {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error("headless Chromium not found: install Debian's chromium (bash scripts/engine-install.sh), or run with E2E=skip");
}

/** Chromium's DOM after loading the page and running its scripts. */
function dumpDom(chromium: string, file: string): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ct-chromium-"));
  try {
    return execFileSync(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${profile}`, "--dump-dom", `file://${file}`], {
      encoding: "utf8",
      timeout: 120_000,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** A page that inlines the SVG and lists, per node and cluster, the texts Chromium laid out with a non-zero size. */
function measuringPage(svg: string): string {
  const inline = svg.replace(/^[\s\S]*?(<svg[\s>])/, "$1");
  return `<!DOCTYPE html><html><body>${inline}<pre id="result"></pre><script>
const groups = [...document.querySelectorAll("g.node, g.cluster")];
const drawn = groups.flatMap((g) => [...g.querySelectorAll("text")].filter((t) => t.getBBox().width > 0).map((t) => t.textContent));
document.getElementById("result").textContent = JSON.stringify({ groups: groups.length, drawn });
</script></body></html>`;
}

const unescapeHtml = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

describeE2E("the dev stack's picture (npm run graph) in headless Chromium", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-graph-"));
  const svgFile = path.join(dir, "dev.svg");
  let chromium: string;

  beforeAll(() => {
    chromium = findChromium();
    execFileSync("npm", ["run", "-s", "graph", "--", "--stack", "dev", "-o", svgFile], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 170_000 });
  }, 180_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("parses as an SVG document", () => {
    const dom = dumpDom(chromium, svgFile);
    expect(dom).toMatch(/<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(dom).not.toContain("parsererror");
  });

  it("lays out a visible label for the host, its gateway, every network, service, host service, published port and registry", () => {
    const page = path.join(dir, "measure.html");
    fs.writeFileSync(page, measuringPage(fs.readFileSync(svgFile, "utf8")));
    const match = /<pre id="result">([^<]*)<\/pre>/.exec(dumpDom(chromium, page));
    expect(match).not.toBeNull();
    const { groups, drawn } = JSON.parse(unescapeHtml(match![1]!)) as { groups: number; drawn: string[] };

    const config = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")).config["container-topology:topology"];
    const { topology } = checkTopology(config, { namePrefix: "dev" });
    const expected = [
      "host",
      "host.docker.internal",
      "Docker host",
      ...topology.networks.flatMap((n) => [n.key, `networks.${n.key}: ${n.dockerName}`]),
      ...topology.services.flatMap((s) => [s.key, s.dockerName]),
      ...topology.hostServices.map((h) => h.key),
      ...topology.services.flatMap((s) => s.ports.map((p) => `${p.hostIp}:${p.published}/${p.protocol}`)),
      ...(topology.registries ?? []).map((r) => `registries.${r.key}`),
    ];
    expect(expected).toEqual(expect.arrayContaining(["hello-bridge", "127.0.0.1:8080/tcp", "port-forward", "dev"]));
    expect(groups).toBeGreaterThanOrEqual(expected.length / 2);
    expect(drawn).toEqual(expect.arrayContaining(expected));
  });
});
