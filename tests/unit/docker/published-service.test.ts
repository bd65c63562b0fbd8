import { runOnMocks, valueOf } from "../../../cli/mock-runtime";
import { BridgeNetwork, OverlayNetwork, PublishedService, toContainerUrl, TopologyResourceError } from "../../../components/docker";
import { rewriteLocalUrl } from "../../../model/docker/host-url";
import { ofType, resource, T } from "../support";

const image = "container-topology/probe:local";

describe("PublishedService", () => {
  it("renders image, command, env, ports, networks, hosts, DNS, restart and healthcheck", async () => {
    const { resources, value } = await runOnMocks(() => {
      const dev = new BridgeNetwork("dev", { subnet: "172.30.0.0/24" });
      const ops = new BridgeNetwork("ops");
      const web = new PublishedService("web", {
        image,
        command: ["httpd", "-f", "-p", "80"],
        env: { MODE: "dev" },
        ports: [{ target: 80, published: 8080 }, "0.0.0.0:5353:53/udp", { target: 9000 }],
        expose: [9100],
        networks: [{ network: dev, aliases: ["www"], ipv4Address: "172.30.0.10" }, ops],
        extraHosts: ["db.local:10.0.0.5"],
        dns: ["1.1.1.1"],
        dnsSearch: ["corp.example"],
        dnsOptions: ["ndots:1"],
        hostname: "web1",
        restart: "always",
        healthcheck: { test: "wget -qO- localhost", interval: "5s", retries: 2 },
      });
      return { web, dev };
    }, { stack: "test" });
    const dev = resource(resources, T.network, "dev");
    const ops = resource(resources, T.network, "ops");
    const container = resource(resources, T.container, "web");
    expect(container.inputs).toEqual({
      name: "test-web",
      image,
      command: ["httpd", "-f", "-p", "80"],
      envs: ["MODE=dev"],
      ports: [
        { internal: 53, external: 5353, ip: "0.0.0.0", protocol: "udp" },
        { internal: 80, external: 8080, ip: "127.0.0.1", protocol: "tcp" },
        { internal: 9000, ip: "127.0.0.1", protocol: "tcp" },
      ],
      networksAdvanced: [
        { name: "test-dev", aliases: ["web", "www"], ipv4Address: "172.30.0.10" },
        { name: "test-ops", aliases: ["web"] },
      ],
      hosts: [
        { host: "db.local", ip: "10.0.0.5" },
        { host: "host.docker.internal", ip: "host-gateway" },
      ],
      dns: ["1.1.1.1"],
      dnsSearches: ["corp.example"],
      dnsOpts: ["ndots:1"],
      hostname: "web1",
      restart: "always",
      healthcheck: { tests: ["CMD-SHELL", "wget -qO- localhost"], interval: "5s", timeout: "30s", retries: 2, startPeriod: "0s" },
      wait: true,
      waitTimeout: 115,
      labels: [
        { label: "container-topology.io/managed", value: "true" },
        { label: "container-topology.io/expose", value: "9100/tcp" },
      ],
      privileged: false,
    });
    expect(container.options.deleteBeforeReplace).toBe(true);
    expect([...container.options.replaceWith].sort()).toEqual([dev.urn, ops.urn].sort());
    expect(container.options.dependencies).toEqual(expect.arrayContaining([dev.urn, ops.urn]));
    const endpoints = await valueOf(value.web.endpoints);
    expect(endpoints[0]).toEqual({
      service: "web", target: 80, protocol: "tcp", published: 8080, hostIp: "127.0.0.1", hostAddress: "127.0.0.1:8080",
      networkAddresses: [{ network: "dev", address: "web:80" }, { network: "ops", address: "web:80" }],
    });
    expect(endpoints[1]).toMatchObject({ hostAddress: "localhost:5353", containerAddress: "host.docker.internal:5353" });
  });

  it.each([
    ["host", { networkMode: "host" as const }, "host"],
    ["none", { networkMode: "none" as const }, "none"],
    ["default bridge", {}, "bridge"],
  ])("network mode %s", async (_name, args, mode) => {
    const { resources } = await runOnMocks(() => new PublishedService("svc", { image, ...args }), { stack: "test" });
    const inputs = resource(resources, T.container, "svc").inputs;
    expect(inputs.networkMode).toBe(mode);
    expect(inputs.networksAdvanced).toEqual([]);
  });

  it("default bridge, when nothing else is said, and no host gateway when turned off", async () => {
    const { resources } = await runOnMocks(() => new PublishedService("svc", { image, hostGateway: false }), { stack: "test" });
    expect(resource(resources, T.container, "svc").inputs.hosts).toEqual([]);
  });

  it("container:X joins the other service's namespace and is replaced with it", async () => {
    const { resources } = await runOnMocks(() => {
      const app = new PublishedService("app", { image });
      new PublishedService("sidecar", { image, networkMode: app });
    }, { stack: "test" });
    const app = resource(resources, T.container, "app");
    const sidecar = resource(resources, T.container, "sidecar");
    expect(sidecar.inputs).toMatchObject({ networkMode: "container:test-app", hosts: [] });
    expect(sidecar.options.replaceWith).toEqual([app.urn]);
  });

  it.each([
    ["distinct container ports, declared out of order", ["8443:443", "8080:80"], true, ["80/tcp", "443/tcp"], ["127.0.0.1:8443", "127.0.0.1:8080"]],
    ["one port on 127.0.0.1 and ::1 (dual stack)", ["127.0.0.1:8080:80", "[::1]:8080:80"], false, ["80/tcp", "80/tcp"], ["127.0.0.1:8080", "[::1]:8080"]],
    ["one port number on tcp and udp", ["127.0.0.1:5353:53/tcp", "127.0.0.1:5353:53/udp"], false, ["53/tcp", "53/udp"], ["127.0.0.1:5353", "127.0.0.1:5353"]],
  ])("renders ports in the order the provider reads them back: %s", async (_title, ports, inOrder, rendered, hostAddresses) => {
    const { resources, value } = await runOnMocks(() => new PublishedService("dns", { image, ports }).endpoints, { stack: "test" });
    const container = resource(resources, T.container, "dns");
    expect((container.inputs["ports"] as { internal: number; protocol: string }[]).map((p) => `${p.internal}/${p.protocol}`)).toEqual(rendered);
    const labels = container.inputs["labels"] as { label: string; value: string }[];
    if (inOrder) {
      expect(container.options.ignoreChanges ?? []).toEqual([]);
      expect(labels.map((l) => l.label)).not.toContain("container-topology.io/ports");
    } else {
      // Provider noise ignored; a real change of the ports still changes a label, which replaces the container.
      expect(container.options.ignoreChanges).toEqual(["ports"]);
      expect(labels).toContainEqual({ label: "container-topology.io/ports", value: expect.stringContaining("->") });
    }
    // Endpoints follow the declaration, whatever order the ports come back in.
    expect((await valueOf(value)).map((e) => e.hostAddress)).toEqual(hostAddresses);
  });

  it("refuses bad arguments with every issue, relative to the service", async () => {
    let thrown: unknown;
    const { resources } = await runOnMocks(() => {
      const ov = new OverlayNetwork("ov", { subnet: "10.20.0.0/24" });
      const dev = new BridgeNetwork("dev", { subnet: "172.30.0.0/24" });
      try {
        new PublishedService("web", { image, ports: ["8080:80", "0.0.0.0:8080:81"], networks: [ov, { network: dev, ipv4Address: "172.30.0.1" }] });
      } catch (err) {
        thrown = err;
      }
    }, { stack: "test" });
    expect((thrown as Error).message).toBe(
      [
        'PublishedService "web" has invalid arguments (3 errors):',
        "  networks.dev.ipv4Address: 172.30.0.1 is the gateway of networks.dev; pick another address",
        "  networks.ov: networks.ov is an overlay network that is not attachable; standalone containers cannot join it. Set attachable: true on networks.ov",
        "  ports[1].published: 0.0.0.0:8080/tcp clashes with 127.0.0.1:8080/tcp of services.web. Use another published port or host IP",
      ].join("\n"),
    );
    expect((thrown as TopologyResourceError).issues).toHaveLength(3);
    expect(ofType(resources, T.container)).toHaveLength(0);
  });
});

describe("host-gateway helpers", () => {
  it.each([
    ["http://localhost:4000", "http://host.docker.internal:4000"],
    ["http://127.0.0.1:4000/api?q=1", "http://host.docker.internal:4000/api?q=1"],
    ["postgres://user:pw@localhost:5432/db", "postgres://user:pw@host.docker.internal:5432/db"],
    ["http://[::1]:8080", "http://host.docker.internal:8080"],
    ["localhost:6379", "host.docker.internal:6379"],
    ["http://0.0.0.0:3000", "http://host.docker.internal:3000"],
    ["http://api.example.com:4000", "http://api.example.com:4000"],
    ["http://localhost.example.com", "http://localhost.example.com"],
  ])("%s -> %s", async (input, expected) => {
    expect(rewriteLocalUrl(input)).toBe(expected);
    const { value } = await runOnMocks(() => toContainerUrl(input));
    expect(await valueOf(value)).toBe(expected);
  });
});
