import * as path from "path";
import { loadStack, locate, StackLoadError, stacksIn, TOPOLOGY_KEY } from "../../../cli/load-stack";
import { ROOT, tempDir } from "./cli-support";

function problems(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (err) {
    if (err instanceof StackLoadError) return err.problems;
    throw err;
  }
  throw new Error("expected a StackLoadError");
}

const PROJECT = "name: demo\nruntime: nodejs\n";

describe("loadStack: finding the stack", () => {
  it("reads Pulumi.<stack>.yaml beside Pulumi.yaml, with the project's name", () => {
    const stack = loadStack({ stack: "dev", cwd: ROOT });
    expect(stack).toMatchObject({ stack: "dev", project: "container-topology", file: path.join(ROOT, "Pulumi.dev.yaml"), projectFile: path.join(ROOT, "Pulumi.yaml") });
    expect(stack.config[TOPOLOGY_KEY]).toMatchObject({ networks: { dev: { subnet: "172.30.0.0/24" } } });
  });

  it("lists the repository's stacks", () => {
    expect(stacksIn(ROOT)).toEqual(expect.arrayContaining(["ci", "dev"]));
  });

  it("takes the stack name from a --file name, or the --stack given with it", () => {
    const dir = tempDir({ "Pulumi.staging.yaml": "config: {}\n", "other.yaml": "config: {}\n" });
    expect(loadStack({ file: path.join(dir, "Pulumi.staging.yaml"), cwd: ROOT }).stack).toBe("staging");
    expect(loadStack({ file: "other.yaml", cwd: dir }).stack).toBe("other");
    expect(loadStack({ file: "other.yaml", stack: "qa", cwd: dir }).stack).toBe("qa");
  });

  it("uses the only stack of a directory when none is named", () => {
    const dir = tempDir({ "Pulumi.yaml": PROJECT, "Pulumi.solo.yml": "config:\n  x: 1\n" });
    expect(loadStack({ cwd: dir })).toMatchObject({ stack: "solo", project: "demo", config: { "demo:x": 1 } });
  });

  it.each<[string, Record<string, string>, { stack?: string; file?: string }, string[]]>([
    ["an unknown stack, listing those present", { "Pulumi.a.yaml": "", "Pulumi.b.yaml": "" }, { stack: "c" }, ["Pulumi.c.yaml: no such stack settings file (stacks here: a, b)"]],
    ["several stacks and none named", { "Pulumi.a.yaml": "", "Pulumi.b.yaml": "" }, {}, ["choose a stack with --stack NAME or a settings file with --file PATH (stacks here: a, b)"]],
    ["a missing --file", {}, { file: "nope.yaml" }, ["nope.yaml: no such file"]],
    [
      "YAML syntax errors, each with line and column",
      { "Pulumi.bad.yaml": "config:\n  container-topology:topology:\n    networks: {dev: [}\n" },
      { stack: "bad" },
      [
        "Pulumi.bad.yaml:3:22: Flow sequence in block collection must be sufficiently indented and end with a ]",
        "Pulumi.bad.yaml:3:23: Flow map in block collection must be sufficiently indented and end with a }",
      ],
    ],
    [
      "a duplicate key",
      { "Pulumi.dup.yaml": "config:\n  a: 1\n  a: 2\n" },
      { stack: "dup" },
      ["Pulumi.dup.yaml:3:3: Map keys must be unique"],
    ],
    ["a file that is not a map", { "Pulumi.list.yaml": "- config\n" }, { stack: "list" }, ["Pulumi.list.yaml:1:1: must be a map of settings (name, runtime, config, ...)"]],
    ["config that is not a map", { "Pulumi.flat.yaml": "config: yes\n" }, { stack: "flat" }, ["Pulumi.flat.yaml:1:9: config: must be a map of keys to values"]],
    [
      "an object in Pulumi.yaml's config not nested under value:",
      { "Pulumi.yaml": `${PROJECT}config:\n  topology:\n    networks: {}\n`, "Pulumi.dev.yaml": "" },
      { stack: "dev" },
      ['Pulumi.yaml:4:3: config.topology: an object value in Pulumi.yaml must be nested under "value:" (or "default:"); allowed fields: type, description, secret, items, default, value'],
    ],
  ])("reports %s", (_name, files, options, expected) => {
    const dir = tempDir(files);
    expect(problems(() => loadStack({ ...options, cwd: dir }))).toEqual(expected);
  });
});

describe("loadStack: project defaults and stack values (Pulumi's precedence)", () => {
  const project = `${PROJECT}config:
  region: eu                      # a plain value: a default for every stack
  size:
    type: integer
    default: 2
    value: 1                      # default wins over value, as in the Pulumi CLI
  container-topology:topology:
    value:
      networks:
        shared: {subnet: 10.9.0.0/24}
  schemaOnly:
    type: string
`;

  it("fills in project values the stack does not set", () => {
    const dir = tempDir({ "Pulumi.yaml": project, "Pulumi.dev.yaml": "config:\n  demo:region: us\n" });
    const stack = loadStack({ stack: "dev", cwd: dir });
    expect(stack.config).toEqual({ "demo:region": "us", "demo:size": 2, [TOPOLOGY_KEY]: { networks: { shared: { subnet: "10.9.0.0/24" } } } });
  });

  it("replaces a project object whole with the stack's (no deep merge)", () => {
    const dir = tempDir({ "Pulumi.yaml": project, "Pulumi.ci.yaml": `config:\n  ${TOPOLOGY_KEY}:\n    services: {}\n` });
    expect(loadStack({ stack: "ci", cwd: dir }).config[TOPOLOGY_KEY]).toEqual({ services: {} });
  });

  it("namespaces keys written without one with the project name", () => {
    const dir = tempDir({ "Pulumi.yaml": PROJECT, "Pulumi.dev.yaml": "config:\n  region: us\n  aws:region: eu-west-1\n" });
    expect(loadStack({ stack: "dev", cwd: dir }).config).toEqual({ "demo:region": "us", "aws:region": "eu-west-1" });
  });

  it("notes ESC environments, which it cannot open", () => {
    const dir = tempDir({ "Pulumi.yaml": PROJECT, "Pulumi.dev.yaml": "environment:\n  - shared\nconfig: {}\n" });
    expect(loadStack({ stack: "dev", cwd: dir }).notes).toEqual(["Pulumi.dev.yaml: environment: Pulumi ESC environments are not resolved here; values they would supply are missing from this plan"]);
  });
});

describe("locate", () => {
  const text = `config:
  container-topology:topology:
    services:
      web:
        image: nginx
        ports:
          - "8080:80"
          - target: 443
`;
  const stack = loadStack({ file: path.join(tempDir({ "Pulumi.dev.yaml": text }), "Pulumi.dev.yaml"), cwd: ROOT });
  const file = stack.file;

  it.each<[string, (string | number)[], string]>([
    ["a map entry: its key", ["services", "web", "image"], "5:9"],
    ["a list item", ["services", "web", "ports", 0], "7:13"],
    ["a field of a list item", ["services", "web", "ports", 1, "target"], "8:13"],
    ["a missing field: its nearest written ancestor", ["services", "web", "networks", "dev"], "4:7"],
    ["the key itself", [], "2:3"],
  ])("%s", (_name, segments, position) => {
    expect(locate(stack, TOPOLOGY_KEY, segments)).toBe(`${file}:${position}`);
  });

  it("is undefined for a key the stack does not set", () => {
    expect(locate(stack, "other:key")).toBeUndefined();
  });
});
