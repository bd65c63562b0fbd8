import { DEFAULT_RESERVED_RANGES, reservedRanges } from "../rules/reserved-ranges";
import { network } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

const run = (r: TestResource, config: Record<string, unknown> = {}) => checkResource(reservedRanges, r, { config, stack: "prod" });
const lan = (...subnets: unknown[]) => network("lan", { ipamConfigs: subnets.map((subnet) => ({ subnet })) });
const corp = { ranges: ["10.8.0.0/14 office VPN", "192.168.0.0/16"] };

describe("reserved-ranges", () => {
  it("is mandatory by default, with loopback, link-local, CGNAT and multicast reserved", () => {
    expect(reservedRanges.enforcementLevel).toBe("mandatory");
    expect(reservedRanges.configSchema?.properties["ranges"]?.default).toEqual([...DEFAULT_RESERVED_RANGES]);
  });

  it("reports a subnet inside a configured range with the exact message", async () => {
    const out = await run(lan("10.9.1.0/24"), corp);
    expect(out.violations).toEqual([
      {
        message:
          'network "dev-lan" ipamConfigs[0].subnet: 10.9.1.0/24 overlaps reserved range 10.8.0.0/14 (office VPN). ' +
          'Choose a range outside it, or allow-list "lan"',
      },
    ]);
  });

  it.each([
    ["a subnet containing the range", "10.0.0.0/8", 1],
    ["the same range", "192.168.0.0/16", 1],
    ["an unlabelled range", "192.168.10.0/24", 1],
    ["a disjoint subnet", "172.30.0.0/24", 0],
    ["an adjacent subnet", "10.12.0.0/16", 0],
  ])("with configured ranges: %s", async (_what, subnet, count) => {
    expect((await run(lan(subnet), corp)).violations).toHaveLength(count);
  });

  it.each([
    ["169.254.10.0/24", "link-local"],
    ["100.100.0.0/16", "carrier-grade NAT"],
    ["127.1.0.0/16", "loopback"],
    ["fe80::/64", "link-local"],
  ])("by default reports %s (%s)", async (subnet, label) => {
    const out = await run(lan(subnet));
    expect(out.violations[0]?.message).toContain(`(${label}`);
  });

  it("accepts private subnets by default, IPv4 and IPv6", async () => {
    expect(await run(lan("172.30.0.0/24", "fd00:30::/64"))).toEqual({ violations: [] });
  });

  it("accepts a network without IPAM config", async () => {
    expect(await run(network("lan"))).toEqual({ violations: [] });
  });

  it("honours the allow-list", async () => {
    expect(await run(lan("10.9.1.0/24"), { ...corp, allow: ["lan"] })).toEqual({ violations: [] });
  });

  it("decides known subnets and notes unknown ones", async () => {
    const out = await run(lan("10.9.1.0/24", unknown.string), corp);
    expect(out.violations).toHaveLength(1);
    expect(out.advisory).toMatch(/could not decide: ipamConfigs\[1\].subnet is unknown until apply$/);
  });

  it("notes an unknown ipamConfigs list as advisory only", async () => {
    const out = await run(network("lan", { ipamConfigs: unknown.array }), corp);
    expect(out).toEqual({ violations: [], advisory: expect.stringMatching(/could not decide: ipamConfigs is unknown until apply$/) });
  });

  it("rejects a configured range that is not a CIDR", async () => {
    await expect(run(lan("10.9.1.0/24"), { ranges: ["office"] })).rejects.toThrow(
      'reserved-ranges: config ranges entry "office" does not start with a CIDR such as "10.8.0.0/16"',
    );
  });
});
