import { registryAuth } from "../rules/registry-auth";
import { container, registry } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

const run = (r: TestResource, stack = "prod", config: Record<string, unknown> = {}) => checkResource(registryAuth, r, { config, stack });
const htpasswd = [
  "REGISTRY_AUTH=htpasswd",
  "REGISTRY_AUTH_HTPASSWD_REALM=registry",
  "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd",
];

describe("registry-auth", () => {
  it("is mandatory by default", () => {
    expect(registryAuth.enforcementLevel).toBe("mandatory");
  });

  it("reports a registry without auth outside dev with the exact message", async () => {
    const out = await run(registry("registry"));
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-registry" envs: the registry has no REGISTRY_AUTH in envs, so anyone who reaches it can push images. ' +
          'Set REGISTRY_AUTH=htpasswd (LocalRegistry auth), or allow-list "registry"',
      },
    ]);
  });

  it("accepts a registry with htpasswd auth", async () => {
    expect(await run(registry("registry", { envs: htpasswd }))).toEqual({ violations: [] });
  });

  it("reports an auth method that is not configured as accepted", async () => {
    const out = await run(registry("registry", { envs: ["REGISTRY_AUTH=silly"] }));
    expect(out.violations[0]?.message).toContain("sets REGISTRY_AUTH=silly, which is not one of htpasswd");
    expect(await run(registry("registry", { envs: ["REGISTRY_AUTH=token"] }), "prod", { methods: ["htpasswd", "token"] })).toEqual({ violations: [] });
  });

  it("does not apply on dev stacks", async () => {
    const out = await run(registry("registry"), "dev");
    expect(out).toEqual({ violations: [], notApplicable: 'stack "dev" matches exemptStackPattern /^dev/' });
  });

  it("ignores containers that are not registries, even running the registry image", async () => {
    expect(await run(container("web", { image: "registry:2.8.3", labels: [{ label: "container-topology.io/role", value: "app" }] }))).toEqual({
      violations: [],
    });
  });

  it("honours the allow-list", async () => {
    expect(await run(registry("registry"), "prod", { allow: ["dev-registry"] })).toEqual({ violations: [] });
  });

  it("notes unknown labels as advisory only", async () => {
    expect(await run(registry("registry", { labels: unknown.array }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: labels is unknown until apply$/),
    });
    expect(await run(registry("registry", { labels: [{ label: "container-topology.io/role", value: unknown.string }] }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: labels\[0\].value is unknown until apply$/),
    });
  });

  it("decides a known role label even when other labels are unknown", async () => {
    const labels = [{ label: unknown.string, value: "x" }, { label: "container-topology.io/role", value: "registry" }];
    expect((await run(registry("registry", { labels }))).violations).toHaveLength(1);
  });

  it("notes unknown envs when REGISTRY_AUTH could be among them", async () => {
    expect(await run(registry("registry", { envs: ["REGISTRY_HTTP_ADDR=0.0.0.0:5000", unknown.string] }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: envs\[1\] is unknown until apply$/),
    });
    expect(await run(registry("registry", { envs: unknown.array }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: envs is unknown until apply$/),
    });
  });

  it("accepts auth set next to an env entry that is unknown (e.g. a secret password file path)", async () => {
    expect(await run(registry("registry", { envs: [...htpasswd, unknown.string] }))).toEqual({ violations: [] });
  });
});
