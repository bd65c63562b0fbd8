import { noDangerousCapabilities } from "../rules/no-dangerous-capabilities";
import { container } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

const run = (r: TestResource, config: Record<string, unknown> = {}) => checkResource(noDangerousCapabilities, r, { config, stack: "prod" });
const withCaps = (adds: unknown, drops: string[] = []) => container("vpn", { capabilities: { adds, drops } });

describe("no-dangerous-capabilities", () => {
  it("is mandatory by default", () => {
    expect(noDangerousCapabilities.enforcementLevel).toBe("mandatory");
  });

  it("reports NET_ADMIN with the exact message", async () => {
    const out = await run(withCaps(["NET_ADMIN"]));
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-vpn" capabilities.adds[0]: "NET_ADMIN" is not allowed (denied: NET_ADMIN, SYS_ADMIN, ALL). ' +
          'Drop it, or allow-list "vpn:NET_ADMIN"',
      },
    ]);
  });

  it.each([["SYS_ADMIN"], ["cap_sys_admin"], ["ALL"], ["net_admin"]])("reports %j", async (cap) => {
    expect((await run(withCaps(["CHOWN", cap]))).violations).toHaveLength(1);
  });

  it("accepts harmless capabilities and drops", async () => {
    expect(await run(withCaps(["NET_BIND_SERVICE", "CHOWN"], ["NET_ADMIN", "ALL"]))).toEqual({ violations: [] });
    expect(await run(container("web"))).toEqual({ violations: [] });
  });

  it("allow-lists one capability for one container", async () => {
    const out = await run(withCaps(["NET_ADMIN", "SYS_ADMIN"]), { allow: ["vpn:NET_ADMIN"] });
    expect(out.violations.map((v) => v.message)).toEqual([expect.stringContaining('capabilities.adds[1]: "SYS_ADMIN"')]);
  });

  it("allow-lists a whole container", async () => {
    expect(await run(withCaps(["NET_ADMIN", "SYS_ADMIN"]), { allow: ["dev-vpn"] })).toEqual({ violations: [] });
  });

  it("takes the denied list from config", async () => {
    const out = await run(withCaps(["NET_ADMIN", "SYS_PTRACE"]), { capabilities: ["SYS_PTRACE"] });
    expect(out.violations.map((v) => v.message)).toEqual([expect.stringContaining('"SYS_PTRACE" is not allowed (denied: SYS_PTRACE)')]);
  });

  it("decides known items and notes unknown ones", async () => {
    const out = await run(withCaps(["SYS_ADMIN", unknown.string]));
    expect(out.violations).toHaveLength(1);
    expect(out.advisory).toMatch(/could not decide: capabilities.adds\[1\] is unknown until apply$/);
  });

  it("notes unknown capabilities as advisory only", async () => {
    const whole = await run(container("vpn", { capabilities: unknown.object }));
    expect(whole).toEqual({ violations: [], advisory: expect.stringMatching(/could not decide: capabilities is unknown until apply$/) });
    const adds = await run(withCaps(unknown.array));
    expect(adds).toEqual({ violations: [], advisory: expect.stringMatching(/could not decide: capabilities.adds is unknown until apply$/) });
  });
});
