/**
 * The editor schema (schema/stack.schema.json) against a real JSON Schema validator (ajv, draft
 * 2020-12): it is what `container-topology schema` prints, every stack file of the repo passes, and
 * on the bad-input corpus it agrees with parse on what is a shape error (types, keys, required fields):
 * a declaration parse finds no shape issue in passes; one with such an issue fails.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { stackJsonSchema, STACK_SCHEMA_FILE } from "../../../model/json-schema";
import { parseDeclaration } from "../../../model/parse";
import { CONFIG_KEY, yamlCases } from "../../fixtures/bad/cases";

const root = path.join(__dirname, "..", "..", "..");
/** The parse codes a JSON Schema can express (short syntax and value checks are parse's and the rules' own). */
const SHAPE_CODES = new Set(["invalid-type", "unknown-key", "missing-field"]);

describe("the stack file JSON Schema", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(stackJsonSchema());
  const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

  it("is the file the repo and the package ship (regenerate with npm run schema)", () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(root, STACK_SCHEMA_FILE), "utf8")) as unknown;
    expect(shipped).toEqual(stackJsonSchema());
  });

  const stackFiles = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
  it.each(stackFiles)("%s passes and names the schema in its yaml-language-server header", (file) => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=./${STACK_SCHEMA_FILE}`);
    expect(errorsOf(parse(text))).toEqual([]);
  });

  it("has stack files to check", () => expect(stackFiles.length).toBeGreaterThanOrEqual(2));

  const cases = yamlCases();
  it.each(cases.map((c) => [c.name, c] as const))("agrees with parse on shape errors: %s", (_name, c) => {
    const shapeIssues = parseDeclaration(c.declaration).issues.filter((i) => SHAPE_CODES.has(i.code));
    const schemaErrors = errorsOf({ config: { [CONFIG_KEY]: c.declaration } });
    if (shapeIssues.length > 0) expect(schemaErrors).not.toEqual([]);
    if (parseDeclaration(c.declaration).issues.length === 0) expect(schemaErrors).toEqual([]);
  });

  it("rejects the classic mistakes with the path an editor underlines", () => {
    const doc = { config: { [CONFIG_KEY]: { services: { web: { image: "nginx", port: ["8080:80"], restart: "sometimes" } }, networks: { lan: { driver: "macvlan", icc: false } } } } };
    const errors = errorsOf(doc);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringContaining("/config/container-topology:topology/services/web must NOT have additional properties"),
      expect.stringContaining("/config/container-topology:topology/services/web/restart must be equal to one of the allowed values"),
    ]));
    expect(errors.some((e) => e.startsWith("/config/container-topology:topology/networks/lan"))).toBe(true);
  });
});
