import { uniqueSubnets } from "../rules/unique-subnets";
import { container, network } from "./fixtures";
import { checkStack, TestResource, unknown } from "./support";

const run = (resources: TestResource[], config: Record<string, unknown> = {}) => checkStack(uniqueSubnets, resources, { config, stack: "prod" });
const net = (name: string, ...subnets: unknown[]) => network(name, { ipamConfigs: subnets.map((subnet) => ({ subnet })) });
const urn = (name: string) => `urn:pulumi:prod::container-topology::docker:index/network:Network::${name}`;

describe("unique-subnets (stack policy)", () => {
  it("is mandatory by default and validates the stack", () => {
    expect(uniqueSubnets.enforcementLevel).toBe("mandatory");
    expect(typeof uniqueSubnets.validateStack).toBe("function");
  });

  it("reports the second of two overlapping networks with the exact message and its URN", async () => {
    const out = await run([net("front", "172.30.0.0/16"), net("back", "172.30.5.0/24")]);
    expect(out.violations).toEqual([
      {
        message:
          'network "dev-back" ipamConfigs[0].subnet: 172.30.5.0/24 overlaps 172.30.0.0/16 of network "dev-front" (ipamConfigs[0].subnet). ' +
          "Give each network its own subnet",
        urn: urn("back"),
      },
    ]);
  });

  it("accepts disjoint subnets, IPv4 and IPv6", async () => {
    const out = await run([net("front", "172.30.0.0/24", "fd00:1::/64"), net("back", "172.30.1.0/24", "fd00:2::/64")]);
    expect(out).toEqual({ violations: [] });
  });

  it("reports overlapping IPv6 subnets", async () => {
    const out = await run([net("front", "fd00:1::/48"), net("back", "fd00:1:0:5::/64")]);
    expect(out.violations).toHaveLength(1);
  });

  it("reports two pools of the same network that overlap", async () => {
    const out = await run([net("lan", "10.1.0.0/16", "10.1.2.0/24")]);
    expect(out.violations[0]?.message).toContain("overlaps 10.1.0.0/16 of the same network (ipamConfigs[0].subnet)");
  });

  it("reports each overlapping network once", async () => {
    const out = await run([net("a", "10.0.0.0/8"), net("b", "10.1.0.0/16"), net("c", "10.2.0.0/16"), net("d", "172.16.0.0/24")]);
    expect(out.violations.map((v) => v.urn)).toEqual([urn("b"), urn("c")]);
  });

  it("compares networks only within one Docker engine (provider)", async () => {
    const a = { ...net("a", "10.1.0.0/16"), provider: "urn:pulumi:prod::container-topology::pulumi:providers:docker::laptop" };
    const b = { ...net("b", "10.1.0.0/16"), provider: "urn:pulumi:prod::container-topology::pulumi:providers:docker::ci-host" };
    expect(await run([a, b])).toEqual({ violations: [] });
    expect((await run([a, { ...b, provider: a.provider }])).violations).toHaveLength(1);
  });

  it("honours the allow-list", async () => {
    expect(await run([net("front", "172.30.0.0/16"), net("back", "172.30.5.0/24")], { allow: ["dev-back"] })).toEqual({ violations: [] });
  });

  it("decides known subnets and notes unknown ones, naming the network", async () => {
    const out = await run([net("front", "172.30.0.0/16"), net("back", "172.30.5.0/24"), net("auto", unknown.string), network("bare", { ipamConfigs: unknown.array })]);
    expect(out.violations).toHaveLength(1);
    expect(out.advisory).toBe(
      "can't run policy 'unique-subnets' from policy pack 'container-topology@v0.1.0' during preview: " +
        'could not decide: network "dev-auto" ipamConfigs[0].subnet, network "dev-bare" ipamConfigs are unknown until apply',
    );
  });

  it("is not applicable to a stack without networks", async () => {
    expect(await run([container("web")])).toEqual({ violations: [], notApplicable: "the stack has no docker:index/network:Network" });
  });
});
