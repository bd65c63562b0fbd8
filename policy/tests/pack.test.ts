import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { container, daemonSet, network, registry } from "./fixtures";
import { runPack, TestResource, unknown } from "./support";

const ids = [
  "no-wildcard-publish",
  "no-host-network",
  "no-privileged",
  "no-dangerous-capabilities",
  "overlay-encrypted",
  "reserved-ranges",
  "unique-subnets",
  "unique-host-ports",
  "registry-auth",
  "registry-plain-http-loopback",
  "pinned-images",
  "kubernetes-host-port",
  "kubernetes-host-network",
  "kubernetes-node-port-range",
];

describe("the pack", () => {
  it("has every rule once, under its fixed kebab-case id", () => {
    expect(policies.map((p) => p.name)).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("keeps each rule in policy/rules/<id>.ts", () => {
    const files = fs.readdirSync(path.join(__dirname, "..", "rules")).map((f) => f.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual([...ids].sort());
  });

  it("gives every rule a default level, a description and a config schema the engine accepts", () => {
    for (const p of policies) {
      expect(["advisory", "mandatory"]).toContain(p.enforcementLevel);
      expect(p.description.length).toBeGreaterThan(20);
      const props = p.configSchema?.properties ?? {};
      // The policy server refuses to start when a schema declares enforcementLevel itself.
      expect(props).not.toHaveProperty("enforcementLevel");
      expect(props).toHaveProperty("reportUnknowns");
      for (const [key, schema] of Object.entries(props)) {
        expect({ policy: p.name, key, hasDefault: schema.default !== undefined }).toEqual({ policy: p.name, key, hasDefault: true });
      }
    }
  });

  it("is documented: the README table lists every rule with its default level and config keys", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const rows = new Map<string, string[]>();
    for (const line of readme.split("\n")) {
      const cells = line.split("|").map((c) => c.trim());
      const id = /^`([a-z0-9-]+)`$/.exec(cells[1] ?? "")?.[1];
      if (id) rows.set(id, cells);
    }
    expect([...rows.keys()]).toEqual(ids);
    for (const p of policies) {
      const cells = rows.get(p.name) ?? [];
      expect({ id: p.name, level: cells[2] }).toEqual({ id: p.name, level: p.enforcementLevel });
      for (const key of Object.keys(p.configSchema?.properties ?? {})) {
        if (key !== "reportUnknowns") expect({ id: p.name, key, listed: (cells[5] ?? "").includes(`\`${key}\``) }).toEqual({ id: p.name, key, listed: true });
      }
    }
  });
});

describe("runPack", () => {
  const urn = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::container-topology::${type}::${name}`;
  const C = "docker:index/container:Container";
  const resources: TestResource[] = [
    network("lan", { ipamConfigs: [{ subnet: "172.30.0.0/24" }] }),
    network("mesh", { driver: "overlay", attachable: true, ipamConfigs: [{ subnet: "172.31.0.0/24" }] }),
    registry("registry"),
    container("web", { image: "nginx:latest", ports: [{ internal: 80, external: 8080 }] }),
    container("api", { image: "api:1.0", ports: [{ internal: 3000, external: 8080, ip: "127.0.0.1" }] }),
    daemonSet("registry-proxy", { containers: [{ name: "proxy", image: "kube-registry-proxy:0.0.6", ports: [{ containerPort: 80, hostPort: 5000 }] }] }),
  ];

  it("runs every policy over the resources of a dev stack", async () => {
    const out = await runPack(resources, "dev");
    expect(out.map((v) => [v.policy, v.name, v.enforcementLevel])).toEqual([
      ["overlay-encrypted", "mesh", "mandatory"],
      ["no-wildcard-publish", "web", "mandatory"],
      ["pinned-images", "web", "advisory"],
      ["kubernetes-host-port", "registry-proxy", "mandatory"],
      ["unique-host-ports", "api", "mandatory"],
    ]);
    expect(out[1]).toEqual({
      policy: "no-wildcard-publish",
      urn: urn("dev", C, "web"),
      name: "web",
      enforcementLevel: "mandatory",
      message: expect.stringMatching(/^container "dev-web" ports\[0\]: 8080\/tcp -> 80 has no ip/),
    });
  });

  it("applies the dev-exempt rules on other stacks", async () => {
    const out = await runPack(resources, "prod");
    expect(out.filter((v) => v.policy === "registry-auth").map((v) => v.urn)).toEqual([urn("prod", C, "registry")]);
  });

  it("takes levels and properties from the stack's policy config", async () => {
    const out = await runPack(resources, "dev", {
      "pinned-images": "disabled",
      "overlay-encrypted": { enforcementLevel: "advisory" },
      "kubernetes-host-port": { allow: ["kube-system/registry-proxy:5000"] },
      "no-wildcard-publish": { allow: ["web:8080/tcp"] },
    });
    expect(out.map((v) => [v.policy, v.name, v.enforcementLevel])).toEqual([
      ["overlay-encrypted", "mesh", "advisory"],
      ["unique-host-ports", "api", "mandatory"],
    ]);
  });

  it("turns unknowns into advisory notes and never into violations", async () => {
    const out = await runPack(
      [container("web", { image: unknown.string, ports: [{ internal: 80, external: 8080, ip: unknown.string }] }), network("lan", { ipamConfigs: unknown.array })],
      "dev",
    );
    expect(out).toEqual([
      {
        policy: "no-wildcard-publish",
        urn: urn("dev", C, "web"),
        name: "web",
        enforcementLevel: "advisory",
        message: "can't run policy 'no-wildcard-publish' from policy pack 'container-topology@v0.1.0' during preview: could not decide: ports[0].ip is unknown until apply",
      },
      {
        policy: "pinned-images",
        urn: urn("dev", C, "web"),
        name: "web",
        enforcementLevel: "advisory",
        message: "can't run policy 'pinned-images' from policy pack 'container-topology@v0.1.0' during preview: could not decide: image is unknown until apply",
      },
      {
        policy: "reserved-ranges",
        urn: urn("dev", "docker:index/network:Network", "lan"),
        name: "lan",
        enforcementLevel: "advisory",
        message: "can't run policy 'reserved-ranges' from policy pack 'container-topology@v0.1.0' during preview: could not decide: ipamConfigs is unknown until apply",
      },
      {
        policy: "unique-subnets",
        enforcementLevel: "advisory",
        message:
          "can't run policy 'unique-subnets' from policy pack 'container-topology@v0.1.0' during preview: " +
          'could not decide: network "dev-lan" ipamConfigs is unknown until apply',
      },
      {
        policy: "unique-host-ports",
        enforcementLevel: "advisory",
        message:
          "can't run policy 'unique-host-ports' from policy pack 'container-topology@v0.1.0' during preview: " +
          'could not decide: container "dev-web" ports[0].ip is unknown until apply',
      },
    ]);
  });

  it("rejects config for a policy the pack does not have", async () => {
    await expect(runPack(resources, "dev", { "no-wildcard-publsh": "disabled" })).rejects.toThrow('config names unknown policy "no-wildcard-publsh"');
  });
});
