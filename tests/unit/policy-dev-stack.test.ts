import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { runOnMocks } from "../../cli/mock-runtime";
import { runPack } from "../../policy/tests/support";

const root = path.join(__dirname, "..", "..");

/** The resources a stack's program renders, shaped as the policy engine sees them. */
async function rendered(stack: string) {
  const config = (parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
  const { resources } = await runOnMocks(() => {
    jest.isolateModules(() => require("../../index"));
  }, { stack, config });
  return resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, ...(r.parent ? { parent: r.parent } : {}) }));
}

describe("the policy pack over what the stacks render", () => {
  it("dev: host networking and a plain-HTTP loopback registry are allowed there, images are pinned: no violation", async () => {
    const violations = await runPack(await rendered("dev"), "dev");
    expect(violations.map((v) => `${v.enforcementLevel} ${v.policy} ${v.name ?? "(stack)"}`)).toEqual([]);
  });

  it("the same resources under a production stack name break the rules dev is exempt from", async () => {
    const violations = await runPack(await rendered("dev"), "prod");
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} ${v.name}`).sort();
    expect(mandatory).toEqual(["no-host-network dev-host-agent", "registry-auth dev-registry"]);
  });

  it("ci: the stricter stack passes every mandatory rule", async () => {
    const violations = await runPack(await rendered("ci"), "ci");
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});
