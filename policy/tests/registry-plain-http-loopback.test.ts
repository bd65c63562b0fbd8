import { registryPlainHttpLoopback } from "../rules/registry-plain-http-loopback";
import { container, registry, registryImage } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

const run = (r: TestResource, config: Record<string, unknown> = {}) => checkResource(registryPlainHttpLoopback, r, { config, stack: "dev" });
const tls = ["REGISTRY_HTTP_TLS_CERTIFICATE=/certs/tls.crt", "REGISTRY_HTTP_TLS_KEY=/certs/tls.key"];

describe("registry-plain-http-loopback", () => {
  it("is mandatory by default and applies on dev stacks too", () => {
    expect(registryPlainHttpLoopback.enforcementLevel).toBe("mandatory");
  });

  it("accepts a plain-HTTP registry published on loopback (LocalRegistry's default)", async () => {
    expect(await run(registry("registry"))).toEqual({ violations: [] });
    expect(await run(registry("registry", { ports: [{ internal: 5000, external: 5001, ip: "::1" }] }))).toEqual({ violations: [] });
  });

  it("reports a plain-HTTP registry published beyond loopback with the exact message", async () => {
    const out = await run(registry("registry", { ports: [{ internal: 5000, external: 5001, ip: "0.0.0.0", protocol: "tcp" }] }));
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-registry": the registry serves plain HTTP (no REGISTRY_HTTP_TLS_CERTIFICATE in envs) and is reachable beyond loopback: ' +
          "ports[0] 5001/tcp -> 5000 on 0.0.0.0. Publish it on 127.0.0.1 only, or give it a TLS certificate",
      },
    ]);
  });

  it("lists every exposure: missing ip, a LAN address, host networking", async () => {
    const out = await run(
      registry("registry", {
        networkMode: "host",
        ports: [
          { internal: 5000, external: 5001 },
          { internal: 5000, external: 5002, ip: "192.168.1.20" },
          { internal: 5000, external: 5003, ip: "127.0.0.1" },
        ],
      }),
    );
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0]?.message).toContain(
      'networkMode: "host" (it listens on every host address); ports[0] 5001/tcp -> 5000 on 0.0.0.0 (no ip); ports[1] 5002/tcp -> 5000 on 192.168.1.20.',
    );
  });

  it("accepts a TLS registry on any address", async () => {
    expect(await run(registry("registry", { envs: tls, ports: [{ internal: 5000, external: 443, ip: "0.0.0.0" }] }))).toEqual({ violations: [] });
  });

  it("ignores containers that are not registries", async () => {
    expect(await run(container("web", { ports: [{ internal: 80, external: 80, ip: "0.0.0.0" }] }))).toEqual({ violations: [] });
  });

  it("needs no answer about TLS when every port is on loopback", async () => {
    expect(await run(registry("registry", { envs: unknown.array }))).toEqual({ violations: [] });
  });

  it("notes an unknown TLS setting when the registry is exposed", async () => {
    const out = await run(registry("registry", { envs: unknown.array, ports: [{ internal: 5000, external: 5001, ip: "0.0.0.0" }] }));
    expect(out).toEqual({ violations: [], advisory: expect.stringMatching(/could not decide: envs is unknown until apply$/) });
  });

  it("notes an unknown port address when the registry has no TLS", async () => {
    const out = await run(registry("registry", { ports: [{ internal: 5000, external: 5001, ip: unknown.string }] }));
    expect(out).toEqual({ violations: [], advisory: expect.stringMatching(/could not decide: ports\[0\].ip is unknown until apply$/) });
  });

  it("skips an unknown port address when the registry has TLS", async () => {
    expect(await run(registry("registry", { envs: tls, ports: [{ internal: 5000, external: 5001, ip: unknown.string }] }))).toEqual({ violations: [] });
  });

  it("honours the allow-list", async () => {
    const exposed = registry("registry", { ports: [{ internal: 5000, external: 5001, ip: "0.0.0.0" }] });
    expect(await run(exposed, { allow: ["registry"] })).toEqual({ violations: [] });
  });

  describe("RegistryImage insecureSkipVerify", () => {
    it.each([["localhost:5001/app:1"], ["127.0.0.1:5001/app:1"], ["[::1]:5001/app:1"], ["registry.localhost/app:1"]])(
      "accepts %j (a loopback registry)",
      async (name) => {
        expect(await run(registryImage("app", { name, insecureSkipVerify: true }))).toEqual({ violations: [] });
      },
    );

    it("reports a remote registry with the exact message", async () => {
      const out = await run(registryImage("app", { name: "registry.corp.example:5000/app:1", insecureSkipVerify: true }));
      expect(out.violations).toEqual([
        {
          message:
            'registry image "registry.corp.example:5000/app:1" insecureSkipVerify: true turns off TLS verification for "registry.corp.example:5000", ' +
            "which is not a loopback registry. Remove insecureSkipVerify, or push to a registry on localhost/127.0.0.1",
        },
      ]);
    });

    it("reports Docker Hub", async () => {
      const out = await run(registryImage("app", { name: "acme/app:1", insecureSkipVerify: true }));
      expect(out.violations[0]?.message).toContain("turns off TLS verification for Docker Hub");
    });

    it("accepts verified pushes anywhere", async () => {
      expect(await run(registryImage("app", { name: "registry.corp.example/app:1" }))).toEqual({ violations: [] });
      expect(await run(registryImage("app", { name: "registry.corp.example/app:1", insecureSkipVerify: false }))).toEqual({ violations: [] });
    });

    it("notes an unknown name or flag as advisory only", async () => {
      expect(await run(registryImage("app", { name: unknown.string, insecureSkipVerify: true }))).toEqual({
        violations: [],
        advisory: expect.stringMatching(/could not decide: name is unknown until apply$/),
      });
      expect(await run(registryImage("app", { name: "acme/app:1", insecureSkipVerify: unknown.boolean }))).toEqual({
        violations: [],
        advisory: expect.stringMatching(/could not decide: insecureSkipVerify is unknown until apply$/),
      });
    });
  });
});
