import { noHostNetwork } from "../rules/no-host-network";
import { container } from "./fixtures";
import { checkResource, TestResource, unknown, withStack } from "./support";

const run = (r: TestResource, stack: string, config: Record<string, unknown> = {}) => checkResource(noHostNetwork, r, { config, stack });
const host = container("agent", { networkMode: "host" });

describe("no-host-network", () => {
  it("is mandatory by default", () => {
    expect(noHostNetwork.enforcementLevel).toBe("mandatory");
  });

  it("reports host networking outside dev stacks with the exact message", async () => {
    const out = await run(host, "prod");
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-agent" networkMode: "host" shares the host\'s network namespace, so the container can bind any host address and port. ' +
          'Use a bridge network and publish ports on a specific address, or allow-list "agent"',
      },
    ]);
  });

  it.each([["bridge"], ["none"], ["container:abc"], [undefined]])("accepts networkMode %j", async (networkMode) => {
    expect(await run(container("web", networkMode ? { networkMode } : {}), "prod")).toEqual({ violations: [] });
  });

  it.each([["dev"], ["dev-alice"], ["development"]])("does not apply on stack %j (default ^dev)", async (stack) => {
    const out = await run(host, stack);
    expect(out.violations).toEqual([]);
    expect(out.notApplicable).toBe(`stack ${JSON.stringify(stack)} matches exemptStackPattern /^dev/`);
  });

  it("applies on stacks that only contain dev", async () => {
    expect((await run(host, "staging-dev")).violations).toHaveLength(1);
  });

  it("takes the exempt pattern from config", async () => {
    expect((await run(host, "dev", { exemptStackPattern: "^(ci|sandbox)" })).violations).toHaveLength(1);
    expect((await run(host, "ci-42", { exemptStackPattern: "^(ci|sandbox)" })).notApplicable).toBeDefined();
    expect((await run(host, "dev", { exemptStackPattern: "" })).violations).toHaveLength(1);
  });

  it("applies when the stack name is not known", async () => {
    const out = await withStack("", () => checkResource(noHostNetwork, host, { stack: "" }));
    expect(out.violations).toHaveLength(1);
  });

  it("honours the allow-list", async () => {
    expect(await run(host, "prod", { allow: ["dev-agent"] })).toEqual({ violations: [] });
  });

  it("notes an unknown networkMode as advisory only", async () => {
    const out = await run(container("agent", { networkMode: unknown.string }), "prod");
    expect(out.violations).toEqual([]);
    expect(out.advisory).toMatch(/during preview: could not decide: networkMode is unknown until apply$/);
  });

  it("fails loudly on a pattern that is not a regular expression", async () => {
    await expect(run(host, "prod", { exemptStackPattern: "(" })).rejects.toThrow(
      'no-host-network: config exemptStackPattern "(" is not a regular expression',
    );
  });
});
