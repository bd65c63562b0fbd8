import { runOnMocks } from "../../../cli/mock-runtime";
import { BridgeNetwork, IpvlanNetwork, MacvlanNetwork, OverlayNetwork, TopologyResourceError } from "../../../components/docker";
import { resource, T } from "../support";

async function render(create: () => void) {
  return (await runOnMocks(create, { stack: "test" })).resources;
}

describe("network components", () => {
  it("BridgeNetwork renders every bridge option Docker documents", async () => {
    const resources = await render(() => {
      new BridgeNetwork("dev", {
        subnet: "172.30.0.0/16",
        ipRange: "172.30.5.0/24",
        gateway: "172.30.5.254",
        auxAddresses: { router: "172.30.1.5" },
        mtu: 9000,
        icc: false,
        ipMasquerade: false,
        bridgeName: "br-dev",
        hostBindingIpv4: "127.0.0.1",
        internal: true,
        labels: { team: "platform" },
        ipv6: true,
        ipv6Subnet: "fd00:30::/64",
      });
    });
    const network = resource(resources, T.network, "dev");
    expect(network.inputs).toEqual({
      name: "test-dev",
      driver: "bridge",
      ipamConfigs: [
        { subnet: "172.30.0.0/16", ipRange: "172.30.5.0/24", gateway: "172.30.5.254", auxAddress: { router: "172.30.1.5" } },
        { subnet: "fd00:30::/64" },
      ],
      options: {
        "com.docker.network.driver.mtu": "9000",
        "com.docker.network.bridge.enable_icc": "false",
        "com.docker.network.bridge.enable_ip_masquerade": "false",
        "com.docker.network.bridge.name": "br-dev",
        "com.docker.network.bridge.host_binding_ipv4": "127.0.0.1",
      },
      internal: true,
      attachable: false,
      ipv6: true,
      labels: [
        { label: "team", value: "platform" },
        { label: "container-topology.io/managed", value: "true" },
      ],
    });
    expect(network.options.deleteBeforeReplace).toBe(true);
    expect(resource(resources, "container-topology:docker:BridgeNetwork", "dev").custom).toBe(false);
    expect(network.parent).toBe(resource(resources, "container-topology:docker:BridgeNetwork", "dev").urn);
  });

  it("a network without a subnet lets Docker allocate one", async () => {
    const resources = await render(() => new BridgeNetwork("plain"));
    expect(resource(resources, T.network, "plain").inputs).toEqual({ name: "test-plain", driver: "bridge", internal: false, attachable: false, ipv6: false, labels: [{ label: "container-topology.io/managed", value: "true" }] });
  });

  it.each([
    ["macvlan", () => new MacvlanNetwork("lan", { parent: "eth0.10", mode: "private", subnet: "192.168.10.0/24" }), { parent: "eth0.10", macvlan_mode: "private" }],
    ["ipvlan", () => new IpvlanNetwork("lan", { parent: "eth0", mode: "l3", flag: "private", subnet: "192.168.10.0/24" }), { parent: "eth0", ipvlan_mode: "l3", ipvlan_flag: "private" }],
    ["overlay", () => new OverlayNetwork("lan", { encrypted: true, attachable: true, subnet: "10.20.0.0/24" }), { encrypted: "true" }],
  ])("%s renders its driver and options", async (driver, create, options) => {
    const resources = await render(create);
    expect(resource(resources, T.network, "lan").inputs).toMatchObject({ name: "test-lan", driver, options });
  });

  it("refuses bad arguments before any child exists, listing every issue", async () => {
    let thrown: unknown;
    const resources = await render(() => {
      try {
        new MacvlanNetwork("lan", { subnet: "192.168.10.0/24", ipRange: "192.168.10.0/33", gateway: "10.0.0.1", parent: "eth0.5000" });
      } catch (err) {
        thrown = err;
      }
    });
    expect((thrown as Error).message).toBe(
      [
        'MacvlanNetwork "lan" has invalid arguments (3 errors):',
        "  gateway: 10.0.0.1 is outside the subnet 192.168.10.0/24",
        '  ipRange: "192.168.10.0/33" is not a valid IPv4 CIDR block. Write it as address/prefix, e.g. "172.30.0.0/16"',
        '  parent: VLAN id 5000 in "eth0.5000" is outside 1-4094',
      ].join("\n"),
    );
    expect((thrown as TopologyResourceError).issues.map((i) => i.code)).toEqual(["outside-subnet", "invalid-cidr", "vlan-id-out-of-range"]);
    expect(resources.filter((r) => r.type === T.network)).toHaveLength(0);
  });
});
