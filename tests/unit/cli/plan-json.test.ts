/**
 * `plan --json` and `graph --format json`: one JSON document on stdout and nothing else, valid against
 * the published schema (schema/plan.schema.json, checked with ajv), with resources, endpoints,
 * reachability edges with reasons, intents with status and reason, and diagnostics with file lines.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { planJsonSchemaDocument, PlanJson } from "../../../cli/plan-json";
import { ROOT, runCli, tempDir } from "./cli-support";

const schemaFile = path.join(ROOT, "schema", "plan.schema.json");

describe("plan --json", () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")) as object);
  const valid = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

  it("publishes the schema it prints with `schema --plan` (regenerate with npm run schema)", async () => {
    expect(JSON.parse(fs.readFileSync(schemaFile, "utf8"))).toEqual(planJsonSchemaDocument());
    const { code, stdout } = await runCli(["schema", "--plan"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(planJsonSchemaDocument());
  });

  it("plans the dev stack as one valid document: resources, endpoints, edges, intents", async () => {
    const { code, stdout, stderr } = await runCli(["plan", "--stack", "dev", "--json"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const doc = JSON.parse(stdout) as PlanJson;
    expect(valid(doc)).toEqual([]);
    expect(doc).toMatchObject({ version: 1, stack: "dev", project: "container-topology", failed: false, diagnostics: [] });
    expect(doc.resources.find((r) => r.name === "dev-hello-bridge" && r.custom)).toMatchObject({ type: "docker:index/container:Container", options: { deleteBeforeReplace: true } });
    expect(doc.endpoints).toContainEqual(expect.objectContaining({ service: "hello-bridge", published: 8080, hostAddress: "127.0.0.1:8080" }));
    expect(doc.reachability).toContainEqual(expect.objectContaining({ from: "services.client", to: "hostServices.port-forward", via: "host-gateway", reason: expect.any(String) }));
    expect(doc.intents.map((i) => `${i.path} ${i.host}:${i.port} ${i.status}`)).toEqual([
      "services.client.env.API_URL host.docker.internal:4000 reachable",
      "services.client.env.HELLO_URL hello:80 reachable",
    ]);
  });

  it("prints a failed plan as the document too (exit 1), each diagnostic with its code and line", async () => {
    const text = "config:\n  container-topology:topology:\n    hostServices:\n      pg: {address: 127.0.0.1, port: 5432}\n    services:\n      app:\n        image: app\n        env: {DATABASE_URL: 'postgres://host.docker.internal:5432/app'}\n";
    const { code, stdout } = await runCli(["plan", "--stack", "h", "--json"], { cwd: tempDir({ "Pulumi.h.yaml": text }) });
    expect(code).toBe(1);
    const doc = JSON.parse(stdout) as PlanJson;
    expect(valid(doc)).toEqual([]);
    expect(doc.failed).toBe(true);
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", code: "unreachable-intent", path: "container-topology:topology.services.app.env.DATABASE_URL", file: "Pulumi.h.yaml", line: 8 }),
    ]);
  });
});

describe("graph --format json", () => {
  it("prints the graph's nodes and edges as JSON", async () => {
    const { code, stdout } = await runCli(["graph", "--stack", "dev", "--format", "json"]);
    expect(code).toBe(0);
    const graph = JSON.parse(stdout) as { version: number; nodes: { id: string }[]; edges: unknown[] };
    expect(graph.version).toBe(1);
    expect(graph.nodes.length).toBeGreaterThan(5);
    expect(graph.edges.length).toBeGreaterThan(5);
  });
});
