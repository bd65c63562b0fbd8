/** Validation cases: a declaration and the exact issues it must produce (code, path, message). */
export type Expected = readonly [code: string, path: string, message: string];
export interface RuleCase {
  readonly name: string;
  readonly declaration: unknown;
  readonly issues: readonly Expected[];
}

const img = "container-topology/probe:local";
const net = (extra: object = {}) => ({ subnet: "172.30.0.0/24", ...extra });

export const ruleCases: RuleCase[] = [
  { name: "invalid IPv4 CIDR", declaration: { networks: { a: { subnet: "172.30.0.0/33" } } }, issues: [
      ["invalid-cidr", "networks.a.subnet", "\"172.30.0.0/33\" is not a valid IPv4 CIDR block. Write it as address/prefix, e.g. \"172.30.0.0/16\""],
    ] },
  { name: "invalid IPv6 CIDR", declaration: { networks: { a: { ipv6: true, ipv6Subnet: "fd00::zz/64" } } }, issues: [
      ["invalid-cidr", "networks.a.ipv6Subnet", "\"fd00::zz/64\" is not a valid IPv6 CIDR block. Write it as address/prefix, e.g. \"fd00:30::/64\""],
    ] },
  { name: "IPv6 block in the IPv4 field", declaration: { networks: { a: { subnet: "fd00:1::/64" } } }, issues: [
      ["wrong-family", "networks.a.subnet", "\"fd00:1::/64\" is an IPv6 block; this field takes IPv4. Put it under ipv6Subnet"],
    ] },
  { name: "host bits set", declaration: { networks: { a: { subnet: "172.30.0.5/24" } } }, issues: [
      ["invalid-cidr", "networks.a.subnet", "\"172.30.0.5/24\" has host bits set. Did you mean \"172.30.0.0/24\"?"],
    ] },
  { name: "gateway outside the subnet", declaration: { networks: { a: net({ gateway: "172.31.0.1" }) } }, issues: [
      ["outside-subnet", "networks.a.gateway", "172.31.0.1 is outside the subnet 172.30.0.0/24"],
    ] },
  { name: "invalid gateway", declaration: { networks: { a: net({ gateway: "172.30.0.300" }) } }, issues: [
      ["invalid-ip", "networks.a.gateway", "\"172.30.0.300\" is not a valid IPv4 address, e.g. \"172.30.0.10\""],
    ] },
  { name: "ipRange not within the subnet", declaration: { networks: { a: net({ ipRange: "172.30.0.0/16" }) } }, issues: [
      ["outside-subnet", "networks.a.ipRange", "172.30.0.0/16 is not within the subnet 172.30.0.0/24"],
    ] },
  { name: "aux address outside the subnet", declaration: { networks: { a: net({ auxAddresses: { router: "10.0.0.1" } }) } }, issues: [
      ["outside-subnet", "networks.a.auxAddresses.router", "10.0.0.1 is outside the subnet 172.30.0.0/24"],
    ] },
  { name: "IPv6 gateway outside the IPv6 subnet", declaration: { networks: { a: { ipv6Subnet: "fd00:1::/64", ipv6Gateway: "fd00:2::1" } } }, issues: [
      ["outside-subnet", "networks.a.ipv6Gateway", "fd00:2::1 is outside the subnet fd00:1::/64"],
    ] },
  { name: "overlapping subnets", declaration: { networks: { a: net(), b: { subnet: "172.30.0.128/25" } } }, issues: [
      ["subnet-overlap", "networks.b.subnet", "172.30.0.128/25 overlaps 172.30.0.0/24 of networks.a. Docker refuses overlapping pools on one host: pick a block outside it"],
    ] },
  { name: "subnet overlapping docker0", declaration: { networks: { a: { subnet: "172.17.5.0/24" } } }, issues: [
      ["subnet-overlap", "networks.a.subnet", "172.17.5.0/24 overlaps 172.17.0.0/16 of the engine's default bridge (docker0). Docker refuses overlapping pools on one host: pick a block outside it"],
    ] },
  { name: "static IP outside the subnet", declaration: { networks: { a: net() }, services: { web: { image: img, networks: { a: { ipv4Address: "172.30.1.10" } } } } }, issues: [
      ["outside-subnet", "services.web.networks.a.ipv4Address", "172.30.1.10 is outside the subnet 172.30.0.0/24 of networks.a"],
    ] },
  { name: "static IP on the gateway", declaration: { networks: { a: net() }, services: { web: { image: img, networks: { a: { ipv4Address: "172.30.0.1" } } } } }, issues: [
      ["static-ip-reserved", "services.web.networks.a.ipv4Address", "172.30.0.1 is the gateway of networks.a; pick another address"],
    ] },
  { name: "static IP on the network address", declaration: { networks: { a: net() }, services: { web: { image: img, networks: { a: { ipv4Address: "172.30.0.0" } } } } }, issues: [
      ["static-ip-reserved", "services.web.networks.a.ipv4Address", "172.30.0.0 is the network address of 172.30.0.0/24; pick another address"],
    ] },
  { name: "static IP on the broadcast address", declaration: { networks: { a: net() }, services: { web: { image: img, networks: { a: { ipv4Address: "172.30.0.255" } } } } }, issues: [
      ["static-ip-reserved", "services.web.networks.a.ipv4Address", "172.30.0.255 is the broadcast address of 172.30.0.0/24; pick another address"],
    ] },
  { name: "static IP used twice", declaration: { networks: { a: net() }, services: { api: { image: img, networks: { a: { ipv4Address: "172.30.0.10" } } }, web: { image: img, networks: { a: { ipv4Address: "172.30.0.10" } } } } }, issues: [
      ["static-ip-duplicate", "services.web.networks.a.ipv4Address", "172.30.0.10 is already assigned to services.api on networks.a"],
    ] },
  { name: "static IP without a declared subnet", declaration: { networks: { a: {} }, services: { web: { image: img, networks: { a: { ipv4Address: "172.30.0.10" } } } } }, issues: [
      ["static-ip-without-subnet", "services.web.networks.a.ipv4Address", "networks.a declares no subnet; Docker assigns static addresses only on networks with a user-configured subnet. Declare subnet on networks.a"],
    ] },
  { name: "static IPv6 on a network without IPv6", declaration: { networks: { a: net() }, services: { web: { image: img, networks: { a: { ipv6Address: "fd00::10" } } } } }, issues: [
      ["ipv6-disabled", "services.web.networks.a.ipv6Address", "networks.a does not enable IPv6. Set ipv6: true and an ipv6Subnet there"],
    ] },
  { name: "port clash on the same host IP", declaration: { services: { api: { image: img, ports: ["8080:80"] }, web: { image: img, ports: ["8080:81"] } } }, issues: [
      ["port-clash", "services.web.ports[0].published", "127.0.0.1:8080/tcp clashes with 127.0.0.1:8080/tcp of services.api. Use another published port or host IP"],
    ] },
  { name: "port clash: 0.0.0.0 against 127.0.0.1", declaration: { services: { api: { image: img, ports: ["127.0.0.1:8080:80"] }, web: { image: img, ports: ["0.0.0.0:8080:80"] } } }, issues: [
      ["port-clash", "services.web.ports[0].published", "0.0.0.0:8080/tcp clashes with 127.0.0.1:8080/tcp of services.api. Use another published port or host IP"],
    ] },
  { name: "no clash between :: and 0.0.0.0 (Docker binds IPv6 v6-only)", declaration: { services: { api: { image: img, ports: ["0.0.0.0:8080:80"] }, web: { image: img, ports: [{ target: 80, published: 8080, hostIp: "::" }] } } }, issues: [] },
  { name: "port clash: :: against ::1", declaration: { services: { api: { image: img, ports: [{ target: 80, published: 8080, hostIp: "::" }] }, web: { image: img, ports: [{ target: 80, published: 8080, hostIp: "::1" }] } } }, issues: [
      ["port-clash", "services.web.ports[0].published", "[::1]:8080/tcp clashes with [::]:8080/tcp of services.api. Use another published port or host IP"],
    ] },
  { name: "no clash across protocols", declaration: { services: { api: { image: img, ports: ["8080:80/tcp"] }, web: { image: img, ports: ["8080:80/udp"] } } }, issues: [] },
  { name: "no clash on different host IPs", declaration: { services: { api: { image: img, ports: ["127.0.0.1:8080:80"] }, web: { image: img, ports: ["127.0.0.2:8080:80"] } } }, issues: [] },
  { name: "port clash with a host service", declaration: { hostServices: { forward: { address: "0.0.0.0", port: 4000 } }, services: { web: { image: img, ports: ["4000:80"] } } }, issues: [
      ["port-clash", "services.web.ports[0].published", "127.0.0.1:4000/tcp clashes with 0.0.0.0:4000/tcp of hostServices.forward. Use another published port or host IP"],
    ] },
  { name: "port 0", declaration: { services: { web: { image: img, ports: [{ target: 80, published: 0 }] } } }, issues: [
      ["port-out-of-range", "services.web.ports[0].published", "0 is not a port: use 1-65535. To let Docker pick a free host port, leave published out"],
    ] },
  { name: "port 65536", declaration: { services: { web: { image: img, ports: [{ target: 65536 }] } } }, issues: [
      ["port-out-of-range", "services.web.ports[0].target", "65536 is not a port: use 1-65535"],
    ] },
  { name: "healthcheck durations Docker refuses", declaration: { services: { web: { image: img, healthcheck: { test: "true", interval: "30 sec", timeout: "-1s", startPeriod: "500us", retries: -1 } } } }, issues: [
      ["invalid-duration", "services.web.healthcheck.interval", "\"30 sec\" is not a Go duration. Write numbers with units (ns, us, ms, s, m, h), e.g. \"30s\" or \"1m30s\""],
      ["invalid-value", "services.web.healthcheck.retries", "-1 is negative, which Docker refuses: use 0 for Docker's default (3) or more"],
      ["invalid-duration", "services.web.healthcheck.startPeriod", "\"500\u00b5s\" is below 1ms, which Docker refuses. Use at least \"1ms\", or \"0s\" for Docker's default"],
      ["invalid-duration", "services.web.healthcheck.timeout", "\"-1s\" is negative, which Docker refuses"],
    ] },
  { name: "networks Docker predefines", declaration: { networks: { a: { name: "bridge" }, b: { name: "default" } } }, issues: [
      ["invalid-name", "networks.a.name", "\"bridge\" is a network every Docker engine predefines and cannot be created. Set another name; to use Docker's own, set networkMode: bridge on the services instead"],
      ["invalid-name", "networks.b.name", "\"default\" is a network every Docker engine predefines and cannot be created. Set another name"],
    ] },
  { name: "static address and alias on the default bridge", declaration: { services: { web: { image: img, networks: { bridge: { ipv4Address: "172.17.0.9", aliases: ["www"] } } } } }, issues: [
      ["unknown-network", "services.web.networks.bridge", "\"bridge\" is not a declared network. It is Docker's default bridge, where static addresses and aliases are refused: they need a user-defined network. Declare one, e.g. networks: {app: {subnet: \"172.30.0.0/24\"}}, and join it: services.web.networks: {app: {ipv4Address: 172.17.0.9, aliases: [www]}} (an address must lie in that subnet)"],
    ] },
  { name: "capabilities Docker does not know", declaration: { services: { web: { image: img, capAdd: ["net_admn", "PERFMON", "ALL"], capDrop: ["CAP_FOO"] } } }, issues: [
      ["invalid-value", "services.web.capAdd[0]", "\"CAP_NET_ADMN\" is not a Linux capability Docker knows. Did you mean \"CAP_NET_ADMIN\"?"],
      ["invalid-value", "services.web.capAdd[1]", "\"CAP_PERFMON\" is a recent capability that older engines refuse (\"unknown capability\"); check your engine accepts it"],
      ["invalid-value", "services.web.capDrop[0]", "\"CAP_FOO\" is not a Linux capability Docker knows, e.g. \"NET_ADMIN\" or \"CAP_NET_ADMIN\""],
    ] },
  { name: "published ports nothing can reach (internal and macvlan only)", declaration: { networks: { data: { subnet: "172.30.1.0/24", internal: true }, lan: { driver: "macvlan", parent: "eth9", subnet: "192.168.50.0/24" } }, services: { db: { image: img, ports: ["5432:5432"], networks: ["data", "lan"] } } }, issues: [
      ["network-mode-conflict", "services.db.ports", "Docker publishes nothing for a container only on networks.data (internal), networks.lan (macvlan): these ports could not be reached. Also join a bridge network that is not internal, or remove ports"],
    ] },
  { name: "unknown network", declaration: { networks: { dev: net() }, services: { web: { image: img, networks: ["devv"] } } }, issues: [
      ["unknown-network", "services.web.networks.devv", "\"devv\" is not a declared network. Did you mean \"dev\"?"],
    ] },
  { name: "default bridge named as a network", declaration: { services: { web: { image: img, networks: ["bridge"] } } }, issues: [
      ["unknown-network", "services.web.networks.bridge", "\"bridge\" is not a declared network. \"bridge\" is a network mode, not a user network: use networkMode: bridge instead"],
    ] },
  { name: "alias used twice on one network", declaration: { networks: { dev: net() }, services: { a: { image: img, networks: { dev: { aliases: ["db"] } } }, b: { image: img, networks: { dev: { aliases: ["db"] } } } } }, issues: [
      ["duplicate-alias", "services.b.networks.dev.aliases[0]", "\"db\" is already an alias of services.a on networks.dev; Docker would resolve it to both containers in turn. Rename one, or list it under sharedAliases on both services for round-robin DNS"],
    ] },
  { name: "alias equal to another service", declaration: { networks: { dev: net() }, services: { a: { image: img, networks: { dev: { aliases: ["b"] } } }, b: { image: img, networks: ["dev"] } } }, issues: [
      ["duplicate-alias", "services.a.networks.dev.aliases[0]", "\"b\" is the name of services.b on networks.dev; Docker would resolve it to both containers in turn. Pick another alias"],
    ] },
  { name: "shared aliases are allowed", declaration: { networks: { dev: net() }, services: { a: { image: img, networks: { dev: { sharedAliases: ["pool"] } } }, b: { image: img, networks: { dev: { sharedAliases: ["pool"] } } } } }, issues: [] },
  { name: "same alias on two networks is fine", declaration: { networks: { dev: net(), ops: { subnet: "172.31.0.0/24" } }, services: { a: { image: img, networks: { dev: { aliases: ["db"] } } }, b: { image: img, networks: { ops: { aliases: ["db"] } } } } }, issues: [] },
  { name: "host mode with networks and ports", declaration: { networks: { dev: net() }, services: { web: { image: img, networkMode: "host", networks: ["dev"], ports: ["8080:80"] } } }, issues: [
      ["network-mode-conflict", "services.web.networks", "networkMode \"host\" cannot be combined with networks: the container uses the host's network stack and joins no network. Remove networks or networkMode"],
      ["network-mode-conflict", "services.web.ports", "networkMode \"host\" cannot publish ports: Docker discards published ports in host mode; the process listens on the host directly. Remove ports"],
    ] },
  { name: "none mode with ports", declaration: { services: { web: { image: img, networkMode: "none", ports: ["8080:80"] } } }, issues: [
      ["network-mode-conflict", "services.web.ports", "networkMode \"none\" cannot publish ports: a container without a network cannot be reached. Remove ports"],
    ] },
  { name: "container mode with networks, ports, expose, hosts, dns, hostname", declaration: { networks: { dev: net() }, services: { app: { image: img, networks: ["dev"] }, side: { image: img, networkMode: "container:app", networks: ["dev"], ports: ["8080:80"], expose: [9000], extraHosts: ["db:10.0.0.5"], dns: ["1.1.1.1"], hostname: "side" } } }, issues: [
      ["network-mode-conflict", "services.side.dns", "networkMode \"container:app\" cannot set DNS: resolv.conf belongs to the shared namespace. Declare it on services.app"],
      ["network-mode-conflict", "services.side.expose", "networkMode \"container:app\" cannot expose ports: Docker refuses it. Expose them on services.app"],
      ["network-mode-conflict", "services.side.extraHosts", "networkMode \"container:app\" cannot add host mappings: /etc/hosts belongs to the shared namespace. Declare them on services.app"],
      ["network-mode-conflict", "services.side.hostname", "networkMode \"container:app\" cannot set a hostname: the UTS namespace is shared. Remove hostname"],
      ["network-mode-conflict", "services.side.networks", "networkMode \"container:app\" cannot be combined with networks: the container joins the network stack of another container. Attach that container to the networks instead"],
      ["network-mode-conflict", "services.side.ports", "networkMode \"container:app\" cannot publish ports: the ports of a shared network stack are published by the container that owns it. Publish them there"],
    ] },
  { name: "container mode naming an unknown service", declaration: { services: { app: { image: img }, side: { image: img, networkMode: "container:ap" } } }, issues: [
      ["unknown-service", "services.side.networkMode", "container:ap names no declared service. Did you mean \"app\"?"],
    ] },
  { name: "container mode cycle", declaration: { services: { a: { image: img, networkMode: "container:b" }, b: { image: img, networkMode: "container:a" } } }, issues: [
      ["network-mode-cycle", "services.a.networkMode", "container:b forms a cycle: a -> b -> a. One of them must own its network stack"],
    ] },
  { name: "container mode cycle of three", declaration: { services: { a: { image: img, networkMode: "container:b" }, b: { image: img, networkMode: "container:c" }, c: { image: img, networkMode: "container:a" }, d: { image: img, networkMode: "container:a" } } }, issues: [
      ["network-mode-cycle", "services.a.networkMode", "container:b forms a cycle: a -> b -> c -> a. One of them must own its network stack"],
    ] },
  { name: "macvlan without parent", declaration: { networks: { lan: { driver: "macvlan", subnet: "192.168.50.0/24" } } }, issues: [
      ["missing-parent", "networks.lan.parent", "macvlan networks need a parent host interface. Set parent, e.g. \"eth0\", or \"eth0.10\" for VLAN 10"],
    ] },
  { name: "ipvlan without parent", declaration: { networks: { lan: { driver: "ipvlan", subnet: "192.168.50.0/24" } } }, issues: [
      ["missing-parent", "networks.lan.parent", "ipvlan networks need a parent host interface. Set parent, e.g. \"eth0\", or \"eth0.10\" for VLAN 10"],
    ] },
  { name: "VLAN id 0", declaration: { networks: { lan: { driver: "macvlan", parent: "eth0.0", subnet: "192.168.50.0/24" } } }, issues: [
      ["vlan-id-out-of-range", "networks.lan.parent", "VLAN id 0 in \"eth0.0\" is outside 1-4094"],
    ] },
  { name: "VLAN id 4095", declaration: { networks: { lan: { driver: "ipvlan", parent: "eth0.4095", subnet: "192.168.50.0/24" } } }, issues: [
      ["vlan-id-out-of-range", "networks.lan.parent", "VLAN id 4095 in \"eth0.4095\" is outside 1-4094"],
    ] },
  { name: "a macvlan and an ipvlan network may share a parent", declaration: { networks: { a: { driver: "macvlan", parent: "eth0", subnet: "192.168.50.0/24" }, b: { driver: "ipvlan", parent: "eth0", subnet: "192.168.51.0/24" } } }, issues: [] },
  { name: "two macvlan networks on one parent", declaration: { networks: { a: { driver: "macvlan", parent: "eth0", subnet: "192.168.50.0/24" }, b: { driver: "macvlan", parent: "eth0", subnet: "192.168.51.0/24" } } }, issues: [
      ["parent-in-use", "networks.b.parent", "\"eth0\" is already the parent of networks.a; Docker allows one macvlan network per parent interface. Use a VLAN sub-interface such as \"eth0.20\""],
    ] },
  { name: "overlay joined but not attachable", declaration: { networks: { ov: { driver: "overlay", subnet: "10.10.0.0/24" } }, services: { web: { image: img, networks: ["ov"] } } }, issues: [
      ["overlay-not-attachable", "services.web.networks.ov", "networks.ov is an overlay network that is not attachable; standalone containers cannot join it. Set attachable: true on networks.ov"],
    ] },
  { name: "unknown driver option (warning)", declaration: { networks: { dev: net({ options: { "com.docker.network.bridge.enable_ic": "false" } }) } }, issues: [
      ["unknown-driver-option", "networks.dev.options[\"com.docker.network.bridge.enable_ic\"]", "is not an option of the bridge driver; Docker may ignore it. Did you mean \"com.docker.network.bridge.enable_icc\"?"],
    ] },
  { name: "MTU out of range", declaration: { networks: { dev: net({ mtu: 40 }) } }, issues: [
      ["mtu-out-of-range", "networks.dev.mtu", "40 is not a usable MTU: use 68-65535; 1500 is Ethernet's, 9000 jumbo frames"],
    ] },
  { name: "duplicate Docker names", declaration: { services: { a: { image: img, name: "shared" }, b: { image: img, name: "shared" } } }, issues: [
      ["duplicate-name", "services.b.name", "the Docker name \"shared\" is also the name of services.a; Docker names must be unique. Set a different name"],
    ] },
  { name: "invalid service key", declaration: { services: { "web app": { image: img } } }, issues: [
      ["invalid-name", "services[\"web app\"]", "\"web app\" is not a valid service key: use letters, digits, \"-\" and \"_\" (it is also the service's DNS name)"],
    ] },
  { name: "address pool exhausted", declaration: { addressPools: [{ base: "10.50.0.0/24", size: 25 }], networks: { a: {}, b: {}, c: {} } }, issues: [
      ["address-pool-exhausted", "networks.c", "no free block is left in addressPools 10.50.0.0/24 (/25) for this network. Add a pool, use smaller blocks, or declare a subnet"],
    ] },
  { name: "a valid topology has no issues", declaration: { networks: { dev: net({ gateway: "172.30.0.254", ipRange: "172.30.0.128/25", mtu: 9000 }) }, services: { web: { image: img, ports: ["8080:80"], networks: { dev: { aliases: ["www"], ipv4Address: "172.30.0.10" } } }, side: { image: img, networkMode: "container:web" } } }, issues: [] },
];
