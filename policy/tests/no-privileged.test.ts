import { noPrivileged } from "../rules/no-privileged";
import { container } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

const run = (r: TestResource, config: Record<string, unknown> = {}) => checkResource(noPrivileged, r, { config, stack: "prod" });

describe("no-privileged", () => {
  it("is mandatory by default", () => {
    expect(noPrivileged.enforcementLevel).toBe("mandatory");
  });

  it("reports privileged: true with the exact message", async () => {
    const out = await run(container("probe", { privileged: true }));
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-probe" privileged: true gives the container every capability and host device. ' +
          'Add only the capabilities it needs (capabilities.adds), or allow-list "probe"',
      },
    ]);
  });

  it.each([[false], [undefined]])("accepts privileged %j", async (privileged) => {
    expect(await run(container("web", privileged === undefined ? {} : { privileged }))).toEqual({ violations: [] });
  });

  it("reports privileged on dev stacks too", async () => {
    const out = await checkResource(noPrivileged, container("probe", { privileged: true }), { stack: "dev" });
    expect(out.violations).toHaveLength(1);
  });

  it("honours the allow-list", async () => {
    expect(await run(container("probe", { privileged: true }), { allow: ["pro*"] })).toEqual({ violations: [] });
  });

  it("notes an unknown privileged flag as advisory only", async () => {
    const out = await run(container("probe", { privileged: unknown.boolean }));
    expect(out.violations).toEqual([]);
    expect(out.advisory).toMatch(/could not decide: privileged is unknown until apply$/);
  });
});
