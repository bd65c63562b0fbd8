import { uniqueHostPorts } from "../rules/unique-host-ports";
import { container, network } from "./fixtures";
import { checkStack, TestResource, unknown } from "./support";

const run = (resources: TestResource[], config: Record<string, unknown> = {}) => checkStack(uniqueHostPorts, resources, { config, stack: "prod" });
const publish = (name: string, ...ports: Record<string, unknown>[]) => container(name, { ports });
const urn = (name: string) => `urn:pulumi:prod::container-topology::docker:index/container:Container::${name}`;

describe("unique-host-ports (stack policy)", () => {
  it("is mandatory by default and validates the stack", () => {
    expect(uniqueHostPorts.enforcementLevel).toBe("mandatory");
    expect(typeof uniqueHostPorts.validateStack).toBe("function");
  });

  it("reports the second container on the same address and port with the exact message", async () => {
    const out = await run([
      publish("web", { internal: 80, external: 8080, ip: "127.0.0.1", protocol: "tcp" }),
      publish("api", { internal: 3000, external: 8080, ip: "127.0.0.1", protocol: "tcp" }),
    ]);
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-api" ports[0]: host port 8080/tcp on 127.0.0.1 (8080/tcp -> 3000) is already published by container "dev-web" ' +
          "(ports[0], on 127.0.0.1). Pick another host port or bind a different host address",
        urn: urn("api"),
      },
    ]);
  });

  it.each([
    ["different addresses", "127.0.0.1", "127.0.0.2", 0],
    ["a wildcard and a specific address", "0.0.0.0", "127.0.0.1", 1],
    ["no ip (the provider's 0.0.0.0) and a specific address", undefined, "192.168.1.5", 1],
    ["IPv4 and IPv6 wildcards", "0.0.0.0", "::", 0],
    ["an IPv6 wildcard and ::1", "::", "::1", 1],
    ["the same IPv6 address written two ways", "::1", "0:0:0:0:0:0:0:1", 1],
  ])("two bindings of 8080/tcp on %s", async (_what, ipA, ipB, count) => {
    const a = { internal: 80, external: 8080, ...(ipA ? { ip: ipA } : {}) };
    const b = { internal: 80, external: 8080, ip: ipB };
    expect((await run([publish("a", a), publish("b", b)])).violations).toHaveLength(count);
  });

  it("keeps tcp and udp apart, and treats a missing protocol as tcp", async () => {
    const out = await run([
      publish("dns", { internal: 53, external: 53, ip: "127.0.0.1", protocol: "udp" }, { internal: 53, external: 53, ip: "127.0.0.1", protocol: "tcp" }),
      publish("other", { internal: 53, external: 53, ip: "127.0.0.1" }),
    ]);
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0]?.message).toContain('already published by container "dev-dns" (ports[1], on 127.0.0.1)');
  });

  it("reports a clash inside one container", async () => {
    const out = await run([publish("web", { internal: 80, external: 8080 }, { internal: 81, external: 8080 })]);
    expect(out.violations[0]?.message).toContain("already published by the same container (ports[0], on 0.0.0.0)");
  });

  it("ignores ports whose host port Docker picks", async () => {
    expect(await run([publish("a", { internal: 80 }), publish("b", { internal: 80 })])).toEqual({ violations: [] });
  });

  it("compares containers only within one Docker engine (provider)", async () => {
    const a = { ...publish("a", { internal: 80, external: 8080 }), provider: "urn:pulumi:prod::p::pulumi:providers:docker::one" };
    const b = { ...publish("b", { internal: 80, external: 8080 }), provider: "urn:pulumi:prod::p::pulumi:providers:docker::two" };
    expect(await run([a, b])).toEqual({ violations: [] });
  });

  it("honours the allow-list", async () => {
    const out = await run([publish("a", { internal: 80, external: 8080 }), publish("b", { internal: 80, external: 8080 })], { allow: ["b"] });
    expect(out).toEqual({ violations: [] });
  });

  it("decides known bindings and notes unknown ones, naming the container", async () => {
    const out = await run([
      publish("a", { internal: 80, external: 8080 }),
      publish("b", { internal: 80, external: 8080 }),
      publish("c", { internal: 80, external: unknown.number, ip: unknown.string }),
      container("d", { ports: unknown.array }),
    ]);
    expect(out.violations.map((v) => v.urn)).toEqual([urn("b")]);
    expect(out.advisory).toMatch(
      /could not decide: container "dev-c" ports\[0\].external, container "dev-c" ports\[0\].ip, container "dev-d" ports are unknown until apply$/,
    );
  });

  it("is not applicable to a stack without containers", async () => {
    expect((await run([network("lan")])).notApplicable).toBe("the stack has no docker:index/container:Container");
  });
});
