import { noWildcardPublish } from "../rules/no-wildcard-publish";
import { container, network } from "./fixtures";
import { checkResource, secret, TestResource, unknown } from "./support";

const run = (r: TestResource, config: Record<string, unknown> = {}) => checkResource(noWildcardPublish, r, { config, stack: "prod" });
const advisory = (msg: string) => `can't run policy 'no-wildcard-publish' from policy pack 'container-topology@v0.1.0' during preview: ${msg}`;

describe("no-wildcard-publish", () => {
  it("is mandatory by default and names itself", () => {
    expect(noWildcardPublish.name).toBe("no-wildcard-publish");
    expect(noWildcardPublish.enforcementLevel).toBe("mandatory");
  });

  it("accepts ports bound to loopback or a specific host address", async () => {
    const out = await run(
      container("web", {
        ports: [
          { internal: 80, external: 8080, ip: "127.0.0.1", protocol: "tcp" },
          { internal: 80, external: 8080, ip: "::1", protocol: "tcp" },
          { internal: 53, external: 5353, ip: "192.168.56.10", protocol: "udp" },
        ],
      }),
    );
    expect(out).toEqual({ violations: [] });
  });

  it("accepts a container with no ports", async () => {
    expect(await run(container("web"))).toEqual({ violations: [] });
  });

  it("reports a port without ip with the exact message", async () => {
    const out = await run(container("web", { ports: [{ internal: 80, external: 8080 }] }));
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-web" ports[0]: 8080/tcp -> 80 has no ip, so Docker binds 0.0.0.0, every host address, and Docker\'s published ports bypass ' +
          'the host firewall. Set ip to "127.0.0.1" or a specific host address, or allow-list "web:8080/tcp"',
      },
    ]);
    expect(out.advisory).toBeUndefined();
  });

  it.each([["0.0.0.0"], ["::"], ["[::]"], [""], ["0:0:0:0:0:0:0:0"]])("reports ip %j as a wildcard", async (ip) => {
    const out = await run(container("web", { ports: [{ internal: 80, external: 8080, ip, protocol: "tcp" }] }));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0]?.message).toContain('container "dev-web" ports[0]: 8080/tcp -> 80');
  });

  it("reports a wildcard port whose host port Docker picks", async () => {
    const out = await run(container("web", { ports: [{ internal: 80, ip: "0.0.0.0" }] }));
    expect(out.violations[0]?.message).toContain('ports[0]: <random>/tcp -> 80 binds 0.0.0.0, every host address');
    expect(out.violations[0]?.message).toContain('or allow-list "web"');
  });

  it("reads a secret ip like any other value", async () => {
    const out = await run(container("web", { ports: [{ internal: 80, external: 8080, ip: secret("0.0.0.0") }] }));
    expect(out.violations).toHaveLength(1);
  });

  it.each([
    ["the Pulumi name", ["web"]],
    ["the Docker name", ["dev-web"]],
    ["a glob", ["dev-*"]],
  ])("allow-lists a whole container by %s", async (_what, allow) => {
    const out = await run(container("web", { ports: [{ internal: 80, external: 8080 }] }), { allow });
    expect(out).toEqual({ violations: [] });
  });

  it("allow-lists single ports, with or without protocol", async () => {
    const out = await run(
      container("web", {
        ports: [
          { internal: 80, external: 8080, protocol: "tcp" },
          { internal: 53, external: 53, protocol: "udp" },
          { internal: 81, external: 8081, protocol: "tcp" },
          { internal: 53, external: 54, protocol: "udp" },
        ],
      }),
      { allow: ["web:8080", "dev-web:53/udp", "other:8081", "web:54/tcp"] },
    );
    expect(out.violations.map((v) => v.message.split(":")[0])).toEqual(['container "dev-web" ports[2]', 'container "dev-web" ports[3]']);
  });

  it("decides the known ports and notes the unknown ip as advisory", async () => {
    const out = await run(
      container("web", {
        ports: [
          { internal: 80, external: 8080, ip: "0.0.0.0" },
          { internal: 81, external: 8081, ip: unknown.string },
        ],
      }),
    );
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0]?.message).toMatch(/^container "dev-web" ports\[0\]/);
    expect(out.advisory).toBe(advisory("could not decide: ports[1].ip is unknown until apply"));
  });

  it("notes an unknown ports list without reporting a violation", async () => {
    const out = await run(container("web", { ports: unknown.array }));
    expect(out).toEqual({ violations: [], advisory: advisory("could not decide: ports is unknown until apply") });
  });

  it("notes an unknown port item and an unknown protocol", async () => {
    const out = await run(container("web", { ports: [unknown.object, { internal: 80, external: 8080, protocol: unknown.string }] }));
    expect(out).toEqual({
      violations: [],
      advisory: advisory("could not decide: ports[0], ports[1].protocol are unknown until apply"),
    });
  });

  it("needs the host port only when an allow-list entry names ports", async () => {
    const port = { internal: 80, external: unknown.number, ip: "0.0.0.0" };
    const plain = await run(container("web", { ports: [port] }));
    expect(plain.violations[0]?.message).toContain("ports[0]: <unknown>/tcp -> 80 binds 0.0.0.0");
    expect(plain.advisory).toBeUndefined();
    const listed = await run(container("web", { ports: [port] }), { allow: ["web:8080"] });
    expect(listed).toEqual({ violations: [], advisory: advisory("could not decide: ports[0].external is unknown until apply") });
  });

  it("stays silent about unknowns when reportUnknowns is false", async () => {
    const out = await run(container("web", { ports: unknown.array }), { reportUnknowns: false });
    expect(out).toEqual({ violations: [] });
  });

  it("does not look at other resource types", async () => {
    const out = await run(network("lan"));
    expect(out).toEqual({ violations: [], notApplicable: "applies to docker:index/container:Container" });
  });
});
