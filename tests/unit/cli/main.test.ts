import * as fs from "fs";
import * as path from "path";
import { formatFor, main } from "../../../cli/main";
import { CliResult, repoFile, ROOT, runCli, tempDir } from "./cli-support";

/** A copy of Pulumi.dev.yaml with one mistake of each kind; fails loudly if the dev stack changed under it. */
function brokenDev(): string {
  let text = repoFile("Pulumi.dev.yaml");
  const mistakes: [string, string][] = [
    ["subnet: 172.30.0.0/24", "subnet: 172.30.0.0/33"],
    ['ports: ["127.0.0.1:8080:80"]', 'ports: [{target: "80", pubished: 8080}]'],
    ["networkMode: host", "networkMode: hots"],
    ["aliases: [backend]", "aliasses: [backend]"],
    ["networks: [dev]", "networks: [dev, prod]"],
    ["        port: 4000", '        port: "4000"'],
  ];
  for (const [from, to] of mistakes) {
    expect(text.split(from)).toHaveLength(2);
    text = text.replace(from, to);
  }
  return text;
}

describe("container-topology plan", () => {
  let dev: CliResult;
  beforeAll(async () => {
    dev = await runCli(["plan", "--stack", "dev", "--progress"]);
  });

  it("plans the dev stack: resources, endpoints, reachability, diagnostics; exit 0", () => {
    const { code, stdout } = dev;
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^Stack dev \(project container-topology, Pulumi\.dev\.yaml\): \d+ resources, \d+ of them Docker objects$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}docker:index:Network +dev-dev +dev-dev +bridge +172\.30\.0\.0\/24$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}docker:index:Container +dev-hello-bridge +dev-hello-bridge +container-topology\/probe:local +127\.0\.0\.1:8080->80\/tcp +dev-dev \(hello-bridge, hello\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}docker:index:Container +dev-host-agent .* host$/));
    expect(lines).toContain("Reachability (rows reach columns: port and how):");
    expect(lines).toContainEqual(expect.stringMatching(/^host +- +- +8080 published-port +18081 host-network/));
    expect(lines).toContainEqual(expect.stringMatching(/^client +hostServices\.port-forward +host\.docker\.internal:4000\/tcp +host-gateway /));
    expect(lines[lines.length - 2]).toBe("Diagnostics: none");
  });

  it("lists every error of a broken copy of Pulumi.dev.yaml with its config path and line; exit 1, no stack trace", async () => {
    const dir = tempDir({ "Pulumi.dev.yaml": brokenDev() });
    const { code, stdout, stderr } = await runCli(["plan", "--file", path.join(dir, "Pulumi.dev.yaml")], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines.slice(0, 2)).toEqual(["Stack dev: 7 errors in Pulumi.dev.yaml; pulumi up would stop before creating anything.", "Diagnostics:"]);
    // The CLI's part exactly (severity, full config path, file:line:col); the pipeline's own tests own the wording.
    const expected: [string, string, string][] = [
      ["hostServices.port-forward.port", "Write 4000 without quotes", "61:9"],
      ["networks.dev.subnet", '"172.30.0.0/33" is not a valid IPv4 CIDR block', "10:9"],
      ["services.api.networks.dev.aliasses", 'unknown key. Did you mean "aliases"?', "29:13"],
      ["services.client.networks.prod", '"prod" is not a declared network', "44:9"],
      ["services.hello-bridge.ports[0].pubished", 'unknown key. Did you mean "published"?', "18:32"],
      ["services.hello-bridge.ports[0].target", 'must be a number, got the string "80"', "18:18"],
      ["services.host-agent.networkMode", 'got "hots"', "35:9"],
    ];
    expect(lines.slice(2)).toHaveLength(expected.length);
    expected.forEach(([field, phrase, position], i) => {
      const line = lines[2 + i]!;
      expect(line.startsWith(`  error: container-topology:topology.${field}: `)).toBe(true);
      expect(line).toContain(phrase);
      expect(line.endsWith(` [Pulumi.dev.yaml:${position}]`)).toBe(true);
    });
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each<[string, string, string[]]>([
    ["the topology is not a map", "config:\n  container-topology:topology: [1, 2]\n", ["error: container-topology:topology: must be a map, got a list [Pulumi.x.yaml:2:3]"]],
    [
      "a misspelt section and a list where a map belongs",
      "config:\n  container-topology:topology:\n    servces: {}\n    networks: [dev]\n",
      ["error: container-topology:topology.networks: must be a map, got a list [Pulumi.x.yaml:4:5]", 'error: container-topology:topology.servces: unknown key. Did you mean "services"? [Pulumi.x.yaml:3:5]'],
    ],
  ])("reports %s", async (_name, text, expected) => {
    const { code, stderr } = await runCli(["explain", "--stack", "x"], { cwd: tempDir({ "Pulumi.x.yaml": text }) });
    expect(code).toBe(1);
    expect(stderr.split("\n").slice(2, -1).map((l) => l.trim())).toEqual(expected);
  });

  it("fails a stack whose config names a key of the namespace the program does not read (a typo of topology)", async () => {
    const text = "config:\n  container-topology:topolgy:\n    services:\n      web: {image: nginx}\n";
    const { code, stderr } = await runCli(["plan", "--stack", "t"], { cwd: tempDir({ "Pulumi.t.yaml": text }) });
    expect(code).toBe(1);
    expect(stderr).toContain('error: container-topology:topolgy: unknown key: this program reads only container-topology:topology, container-topology:preflight. Did you mean "topology"?');
  });

  it("says that an empty declaration creates nothing", async () => {
    const { code, stdout } = await runCli(["plan", "--stack", "e"], { cwd: tempDir({ "Pulumi.e.yaml": "config: {}\n" }) });
    expect(code).toBe(0);
    expect(stdout).toContain("warning: container-topology:topology is empty or missing: nothing will be created. Declare networks and services under it in Pulumi.e.yaml");
  });

  it("why: the path of a connection that works; exit 0", async () => {
    const { code, stdout } = await runCli(["why", "client", "http://hello:80", "--stack", "dev"]);
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(0, 2)).toEqual([
      "services.client reaches hello:80:",
      "  services.client -> services.hello-bridge (network, networks.dev/tcp): both on networks.dev; hello-bridge resolves by Docker's embedded DNS",
    ]);
  });

  it("why: every failing hop and the fix of a connection that cannot work; exit 3", async () => {
    // The stack fails on exactly this connection (an unreachable-intent error): why still answers.
    const text = "config:\n  container-topology:topology:\n    hostServices:\n      pg: {address: 127.0.0.1, port: 5432}\n    services:\n      app: {image: app, env: {DATABASE_URL: 'postgres://host.docker.internal:5432/app'}}\n";
    const { code, stdout } = await runCli(["why", "app", "hostServices.pg", "--stack", "h"], { cwd: tempDir({ "Pulumi.h.yaml": text }) });
    expect(code).toBe(3);
    expect(stdout).toBe(
      [
        "services.app cannot reach host.docker.internal:5432:",
        "  - hostServices.pg listens on 127.0.0.1:5432, the host's loopback: containers never reach it",
        "Fix: bind it on 0.0.0.0 or on the bridge gateway 172.17.0.1 (for a port-forward: kubectl port-forward --address 0.0.0.0)",
        "",
      ].join("\n"),
    );
  });

  it("plans a stack with warnings: each once, with path and line; exit 0", async () => {
    const text = 'config:\n  container-topology:topology:\n    networks:\n      lan:\n        options:\n          com.example.flag: "on"\n';
    const { code, stdout, stderr } = await runCli(["plan", "--stack", "w"], { cwd: tempDir({ "Pulumi.w.yaml": text }) });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const diagnostics = stdout.trimEnd().split("\n").slice(-2);
    expect(diagnostics[0]).toBe("Diagnostics:");
    expect(diagnostics[1]).toMatch(/^ {2}warning: container-topology:topology\.networks\.lan\.options\["com\.example\.flag"\]: is not an option of the bridge driver.* \[Pulumi\.w\.yaml:6:11\]$/);
    expect(stdout).toContain("Reachability: nothing listens (no services declared).");
  });

  it("reports YAML syntax errors with their line; exit 1", async () => {
    const { code, stdout, stderr } = await runCli(["plan", "--stack", "x"], { cwd: tempDir({ "Pulumi.x.yaml": "config:\n  a: [1, 2\n" }) });
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(/^error: Pulumi\.x\.yaml:3:1: /);
  });

  it("counts registered resources on stderr with --progress, stdout untouched", () => {
    const { stdout, stderr } = dev;
    expect(stderr.split("\n")[0]).toBe("registered 1: container-topology:index:Topology dev");
    expect(stderr.trimEnd().split("\n").every((l) => l.startsWith("registered "))).toBe(true);
    expect(stderr).toMatch(/registered \d+: docker:index:Container dev-api\n/);
    expect(stdout).not.toMatch(/registered/);
  });

  it("reports an unexpected failure of the program as a bug, with its stack; exit 2", async () => {
    const stderr: string[] = [];
    const io = { stdout: () => undefined, stderr: (t: string) => void stderr.push(t), stderrIsTTY: false, cwd: ROOT };
    const code = await main(["plan", "--stack", "dev"], io, {
      program: () => {
        throw new Error("boom");
      },
    });
    expect(code).toBe(2);
    expect(stderr.join("")).toMatch(/^container-topology: unexpected failure \(a bug; please report it\):\nError: boom\n\s+at /);
  });

  it("runs another compiled program with --program", async () => {
    const dir = tempDir({ "Pulumi.x.yaml": "config: {}\n", "program.js": "globalThis.ctProgramRuns = (globalThis.ctProgramRuns ?? 0) + 1;\nexports.answer = 42;\n" });
    const stdout: string[] = [];
    const io = { stdout: (t: string) => void stdout.push(t), stderr: () => undefined, stderrIsTTY: false, cwd: dir };
    expect(await main(["plan", "--stack", "x", "--program", "program.js"], io)).toBe(0);
    expect((globalThis as { ctProgramRuns?: number }).ctProgramRuns).toBe(1);
    expect(stdout.join("")).toMatch(/^Stack x \(project container-topology, Pulumi\.x\.yaml\): 0 resources/);
  });

  it("prints help with exit 0, and a usage error with exit 1", async () => {
    expect((await runCli(["--help"])).code).toBe(0);
    const bad = await runCli(["graph", "--format", "png"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error: option '--format <format>' argument 'png' is invalid. Allowed choices are svg, dot, mermaid, json.");
  });
});

describe("container-topology explain", () => {
  it("prints the Docker commands of the dev stack, networks first; progress rewrites one line on a terminal", async () => {
    const { code, stdout, stderr } = await runCli(["explain", "--stack", "dev"], { tty: true });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^\r\x1b\[Kregistered 1 resources \(container-topology:index:Topology dev\)\r/);
    expect(stderr.endsWith("\r\x1b[K")).toBe(true);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^# Stack dev: the Docker CLI equivalent/);
    expect(lines[1]).toBe("docker network create --driver bridge --subnet 172.30.0.0/24 dev-dev");
    expect(lines.slice(2).every((l) => /^docker (run -d --name dev-|network connect |volume create )/.test(l))).toBe(true);
  });
});

describe("container-topology graph", () => {
  it.each([
    ["dev.svg", "svg"],
    ["dev.DOT", "dot"],
    ["x.gv", "dot"],
    ["dev.mmd", "mermaid"],
    ["dev.mermaid", "mermaid"],
    ["dev.txt", undefined],
    [undefined, undefined],
  ])("infers the format of %s: %s", (file, format) => {
    expect(formatFor(file)).toBe(format);
  });

  it("prints DOT on stdout by default", async () => {
    const { code, stdout } = await runCli(["graph", "--stack", "dev"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^digraph "container-topology: stack dev" \{\n/);
    expect(stdout).toContain('"port:hello-bridge:0" -> "service:hello-bridge" [label="80/tcp"];');
  });

  it("writes mermaid and SVG files, saying so on stderr", async () => {
    const dir = tempDir({});
    const mermaid = await runCli(["graph", "--stack", "dev", "-o", path.join(dir, "dev.mmd")]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toBe("");
    expect(mermaid.stderr).toMatch(/^wrote .*dev\.mmd \(mermaid, \d+ nodes, \d+ edges\)\n$/);
    expect(fs.readFileSync(path.join(dir, "dev.mmd"), "utf8")).toMatch(/^flowchart TB\n/);
    const svg = await runCli(["graph", "--stack", "dev", "--format", "svg", "-o", path.join(dir, "out", "picture")]);
    expect(svg.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, "out", "picture"), "utf8");
    expect(text).toMatch(/<svg [^>]*>/);
    // Graphviz writes "-" as "&#45;" in text.
    expect(text).toContain(">hello&#45;bridge</text>");
    expect(text).toContain(">host.docker.internal</text>");
  });
});
