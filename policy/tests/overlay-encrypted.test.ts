import { overlayEncrypted } from "../rules/overlay-encrypted";
import { container, network } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

const run = (r: TestResource, config: Record<string, unknown> = {}) => checkResource(overlayEncrypted, r, { config, stack: "prod" });
const overlay = (props: Record<string, unknown> = {}) => network("mesh", { driver: "overlay", attachable: true, ...props });

describe("overlay-encrypted", () => {
  it("is mandatory by default", () => {
    expect(overlayEncrypted.enforcementLevel).toBe("mandatory");
  });

  it("reports an overlay network without encryption with the exact message", async () => {
    const out = await run(overlay());
    expect(out.violations).toEqual([
      {
        message:
          'network "dev-mesh" options: an overlay network without "encrypted" sends VXLAN traffic between nodes in clear. ' +
          'Set options.encrypted to "true", or allow-list "mesh"',
      },
    ]);
  });

  it("reports an overlay network whose options lack encrypted", async () => {
    expect((await run(overlay({ options: { "com.docker.network.driver.mtu": "1400" } }))).violations).toHaveLength(1);
  });

  it.each([["true"], [""]])("accepts options.encrypted = %j (Docker only checks presence)", async (encrypted) => {
    expect(await run(overlay({ options: { encrypted } }))).toEqual({ violations: [] });
  });

  it("accepts an encrypted value that is only known after apply", async () => {
    expect(await run(overlay({ options: { encrypted: unknown.string } }))).toEqual({ violations: [] });
  });

  it.each([["bridge"], ["macvlan"], ["ipvlan"], [undefined]])("ignores driver %j", async (driver) => {
    expect(await run(network("lan", driver ? { driver } : { driver: undefined }))).toEqual({ violations: [] });
  });

  it("honours the allow-list", async () => {
    expect(await run(overlay(), { allow: ["dev-mesh"] })).toEqual({ violations: [] });
  });

  it("notes an unknown driver or options as advisory only", async () => {
    expect(await run(network("mesh", { driver: unknown.string }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: driver is unknown until apply$/),
    });
    expect(await run(overlay({ options: unknown.object }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: options is unknown until apply$/),
    });
  });

  it("does not look at containers", async () => {
    expect((await run(container("web"))).notApplicable).toBe("applies to docker:index/network:Network");
  });
});
