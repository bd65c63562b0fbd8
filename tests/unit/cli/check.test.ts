import * as fs from "node:fs";
import * as path from "node:path";
import { runCli, tempDir, repoFile, ROOT } from "./cli-support";

describe("container-topology check", () => {
  it("passes every stack file of the repo (none given: every Pulumi.<stack>.yaml here)", async () => {
    const r = await runCli(["check"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "" });
    const stacks = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).length;
    expect(r.stderr).toBe(`checked ${stacks} stack files: ok\n`);
  });

  it("prints file:line:col: severity: path: message for each problem, every one at once; exit 1", async () => {
    const broken = repoFile("Pulumi.dev.yaml").replace("subnet: 172.30.0.0/24", "subnet: 172.17.0.0/24").replace('ports: ["127.0.0.1:8080:80"]', 'ports: ["127.0.0.1:8080:80", "127.0.0.1:8080:81"]');
    const dir = tempDir({ "Pulumi.yaml": repoFile("Pulumi.yaml"), "Pulumi.dev.yaml": broken });
    const r = await runCli(["check", "Pulumi.dev.yaml"], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Pulumi\.dev\.yaml:\d+:\d+: error: container-topology:topology\.networks\.dev\.subnet: 172\.17\.0\.0\/24 overlaps/);
    expect(lines[1]).toMatch(/^Pulumi\.dev\.yaml:\d+:\d+: error: container-topology:topology\.services\.hello-bridge\.ports\[1\]\.published: 127\.0\.0\.1:8080\/tcp clashes/);
    expect(r.stderr).toBe("checked 1 stack file: errors found\n");
  });

  it("names a file it cannot read; --stack picks one stack", async () => {
    const dir = tempDir({ "Pulumi.yaml": repoFile("Pulumi.yaml"), "Pulumi.a.yaml": "config:\n  container-topology:topology:\n    services:\n      web: {image: nginx}\n" });
    expect((await runCli(["check", "--stack", "a"], { cwd: dir })).code).toBe(0);
    const missing = await runCli(["check", "Pulumi.nope.yaml"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("Pulumi.nope.yaml");
    expect(path.isAbsolute(dir)).toBe(true);
  });
});
