import { checkTopology } from "../../../model/check";
import { Severity, TopologyError } from "../../../model/errors";
import { parseDeclaration } from "../../../model/parse";
import { normalizeTopology } from "../../../model/normalize";
import { RULES, validateTopology } from "../../../model/validate";
import { ruleCases } from "./cases";

function issuesOf(declaration: unknown) {
  const parsed = parseDeclaration(declaration);
  const topology = normalizeTopology(parsed.raw, { namePrefix: "dev" });
  return [...parsed.issues, ...validateTopology(topology, parsed.declared)].map((i) => [i.code, i.path, i.message]);
}

describe("validation rules", () => {
  it.each(ruleCases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(issuesOf(c.declaration)).toEqual(c.issues);
  });

  it("reports every issue of a declaration at once, sorted by path, in one TopologyError", () => {
    const declaration = { networks: { a: { subnet: "10.0.0.0/33" }, b: { driver: "macvlan" } }, services: { web: { image: "x", ports: ["70000:80"], networks: ["c"] } } };
    let thrown: unknown;
    try {
      checkTopology(declaration);
    } catch (err) {
      thrown = err;
    }
    expect(TopologyError.isInstance(thrown)).toBe(true);
    const issues = (thrown as TopologyError).issues;
    expect(issues.map((i) => i.path)).toEqual(["networks.a.subnet", "networks.b.parent", "services.web.networks.c", "services.web.ports[0].published"]);
    expect((thrown as Error).message.split("\n")[0]).toBe("invalid topology: 4 errors");
  });

  it("returns warnings without throwing", () => {
    const { warnings } = checkTopology({ networks: { dev: { options: { "com.docker.network.bridge.enable_ic": "false" } } } });
    expect(warnings.map((w) => [w.code, w.severity])).toEqual([["unknown-driver-option", Severity.Warning]]);
  });

  it("has a unique kebab-case id and a summary for every rule", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.summary.length).toBeGreaterThan(10);
    }
  });
});
