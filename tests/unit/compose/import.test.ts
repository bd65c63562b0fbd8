import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { convertCompose, shellWords } from "../../../model/compose/convert";
import { importCompose } from "../../../cli/import-compose";
import { runCli, tempDir, ROOT } from "../cli/cli-support";

const FILES = path.join(__dirname, "files");
const read = (name: string) => fs.readFileSync(path.join(FILES, name), "utf8");
const convert = (name: string) => convertCompose(parse(read(name)));
const imported = (name: string) => importCompose(read(name), name, "dev");
const errors = (name: string) => imported(name).report.filter((l) => l.startsWith("error:"));

describe("import --compose: realistic files", () => {
  it("web + db + cache: Compose's default network, 0.0.0.0 publishes, command words; build, volumes and depends_on listed", () => {
    const { declaration, unmapped, notes } = convert("web-db-cache.yml");
    expect(declaration["networks"]).toEqual({ default: {} });
    const services = declaration["services"] as Record<string, Record<string, unknown>>;
    expect(services["web"]).toEqual({ image: "nginx:1.27", ports: ["0.0.0.0:8080:80"], networks: { default: {} } });
    expect(services["cache"]!["command"]).toEqual(["redis-server", "--appendonly", "yes"]);
    expect(services["db"]!["env"]).toEqual({ POSTGRES_USER: "app", POSTGRES_PASSWORD: "secret" });
    expect(services["api"]).toMatchObject({ image: "ghcr.io/acme/api:1.4", expose: ["9000"] });
    expect(unmapped.map((u) => u.path)).toEqual(["services.web.depends_on", "services.api.build", "services.db.volumes", "volumes"]);
    expect(notes.map((n) => n.path)).toEqual(["services.web.ports"]);
    expect(errors("web-db-cache.yml")).toEqual([]);
  });

  it("a reverse proxy on two networks; labels in both forms; internal back network", () => {
    const { declaration } = convert("reverse-proxy.yml");
    expect(declaration["networks"]).toEqual({ frontend: {}, backend: { internal: true } });
    const services = declaration["services"] as Record<string, Record<string, unknown>>;
    expect(services["proxy"]).toMatchObject({ ports: ["0.0.0.0:80:80", "127.0.0.1:8081:8080"], networks: { frontend: {}, backend: {} }, labels: { "traefik.enable": "true" } });
    expect(services["app"]).toMatchObject({ networks: { backend: { aliases: ["application"] } }, labels: { "traefik.http.routers.app.rule": "Host(`app.localhost`)" } });
    expect(errors("reverse-proxy.yml")).toEqual([]);
  });

  it("a macvlan LAN service: parent, IPAM, static address, dns, capabilities", () => {
    const { declaration, unmapped } = convert("macvlan-lan.yml");
    expect(declaration["networks"]).toEqual({ lan: { driver: "macvlan", parent: "eth0", subnet: "192.168.1.0/24", gateway: "192.168.1.1", ipRange: "192.168.1.48/28" } });
    expect((declaration["services"] as Record<string, unknown>)["pihole"]).toEqual({
      image: "pihole/pihole:2024.07.0",
      networks: { lan: { ipv4Address: "192.168.1.53" } },
      dns: ["127.0.0.1", "1.1.1.1"],
      restart: "unless-stopped",
      capAdd: ["NET_ADMIN"],
    });
    expect(unmapped).toEqual([]);
    expect(errors("macvlan-lan.yml")).toEqual([]);
  });

  it("a host-network agent: network_mode host, no default network; pid and volumes listed", () => {
    const { declaration, unmapped } = convert("host-agent.yml");
    expect(declaration["networks"]).toBeUndefined();
    expect((declaration["services"] as Record<string, unknown>)["node-exporter"]).toEqual({ image: "prom/node-exporter:v1.8.2", networkMode: "host", command: ["--path.rootfs=/host"], restart: "always" });
    expect(unmapped.map((u) => u.path)).toEqual(["services.node-exporter.pid", "services.node-exporter.volumes"]);
    expect(errors("host-agent.yml")).toEqual([]);
  });

  it("static addresses on a dual-stack network: both pools, ip_range, aux addresses", () => {
    const { declaration } = convert("static-ips.yml");
    expect(declaration["networks"]).toEqual({ infra: { ipv6: true, subnet: "10.77.0.0/24", ipRange: "10.77.0.128/25", auxAddresses: { router: "10.77.0.2" }, ipv6Subnet: "fd00:77::/64" } });
    expect(errors("static-ips.yml")).toEqual([]);
  });

  it("healthchecks in every form; on-failure's count listed", () => {
    const services = convert("healthchecks.yml").declaration["services"] as Record<string, Record<string, unknown>>;
    expect(services["api"]!["healthcheck"]).toEqual({ test: ["CMD-SHELL", "curl -fsS http://localhost:9000/health || exit 1"], interval: "10s", timeout: "2s", retries: 5, startPeriod: "30s" });
    expect(services["api"]!["restart"]).toBe("on-failure");
    expect(services["worker"]!["healthcheck"]).toEqual({ test: ["CMD", "/bin/worker", "health"], interval: "1m30s" });
    expect(services["legacy"]!["healthcheck"]).toEqual({ test: ["NONE"] });
    expect(convert("healthchecks.yml").unmapped.map((u) => u.path)).toEqual(["services.api.restart"]);
    expect(errors("healthchecks.yml")).toEqual([]);
  });

  it("kind's registry recipe: the external kind network joined by its name", () => {
    const { declaration } = convert("kind-registry.yml");
    expect(declaration).toEqual({
      networks: { kind: { external: true } },
      services: { registry: { image: "registry:2", name: "kind-registry", ports: ["127.0.0.1:5001:5000"], networks: { kind: {} }, restart: "always" } },
    });
    expect(errors("kind-registry.yml")).toEqual([]);
  });

  it("a sidecar, long-form ports, extra hosts in both forms; a shell variable, an extension and the host port-forward reported", () => {
    const { declaration, unmapped, notes } = convert("sidecar.yml");
    const services = declaration["services"] as Record<string, Record<string, unknown>>;
    expect(services["app"]).toMatchObject({ ports: [{ target: 8080, published: 18080, hostIp: "127.0.0.1", protocol: "tcp" }], env: { PAYMENTS_URL: "http://host.docker.internal:4000" }, extraHosts: ["host.docker.internal:host-gateway"] });
    expect(services["envoy"]).toEqual({ image: "envoyproxy/envoy:v1.31.0", networkMode: "container:app" });
    expect(services["tests"]).toMatchObject({ entrypoint: ["hurl", "--test"], extraHosts: ["db.local:10.0.0.5"] });
    expect(unmapped.map((u) => u.path)).toEqual(["services.app.environment.API_KEY", "x-common"]);
    expect(notes.map((n) => n.path)).toEqual(["services.app.image", "name"]);
    // The seeds' trap: a container calling a port-forward on the host that nothing declares.
    expect(errors("sidecar.yml")).toEqual([expect.stringContaining('services.app.env.PAYMENTS_URL: "http://host.docker.internal:4000" cannot connect: nothing on the host listens on 4000')]);
  });
});

describe("import --compose: mistakes docker compose config accepts", () => {
  it("reports all five at once", () => {
    const found = errors("semantic-errors.yml").map((l) => /container-topology:topology\.(\S+):/.exec(l)![1]);
    expect(found).toEqual([
      "networks.back.subnet",
      "services.api.networks.back.ipv4Address",
      "services.client.env.API_URL",
      "services.web.ports[0].published",
      "services.worker.networks.plain.ipv4Address",
    ]);
    expect(imported("semantic-errors.yml").failed).toBe(true);
  });
});

describe("import --compose: the command", () => {
  it("writes the stack file (what was not imported as comments), and plan runs on it", async () => {
    const dir = tempDir({ "Pulumi.yaml": fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"), "compose.yml": read("web-db-cache.yml") });
    const r = await runCli(["import", "--compose", "compose.yml", "-o", "Pulumi.shop.yaml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("wrote Pulumi.shop.yaml");
    expect(r.stderr).toContain("not imported: compose.yml services.db.volumes: storage is not part of a network topology");
    const text = fs.readFileSync(path.join(dir, "Pulumi.shop.yaml"), "utf8");
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*\n# Imported from compose.yml/);
    expect(text).toContain("#   services.api.build: the image is used as named");
    const plan = await runCli(["plan", "--stack", "shop"], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("shop-web");
  });

  it("exits 1 on a file with errors, and on one that is not YAML", async () => {
    const dir = tempDir({ "bad.yml": read("semantic-errors.yml"), "broken.yml": "services: [\n" });
    expect((await runCli(["import", "--compose", "bad.yml"], { cwd: dir })).code).toBe(1);
    const broken = await runCli(["import", "--compose", "broken.yml"], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: broken.yml: /);
  });
});

describe("import: choosing the source", () => {
  it("takes exactly one of --compose and --from-engine, and --from-engine needs a selection", async () => {
    const dir = tempDir({ "compose.yml": read("web-db-cache.yml") });
    const neither = await runCli(["import"], { cwd: dir });
    expect([neither.code, neither.stderr]).toEqual([1, "error: give either --compose <file> or --from-engine (with --label or --name)\n"]);
    expect((await runCli(["import", "--compose", "compose.yml", "--from-engine", "--label", "a=b"], { cwd: dir })).code).toBe(1);
    const everything = await runCli(["import", "--from-engine"], { cwd: dir });
    expect(everything.code).toBe(1);
    expect(everything.stderr).toContain("--from-engine needs --label KEY=VALUE or --name NAME");
  });

  it("an engine out of reach is said, with the way out", async () => {
    const saved = process.env["DOCKER_HOST"];
    process.env["DOCKER_HOST"] = "unix:///nonexistent/docker.sock";
    try {
      const r = await runCli(["import", "--from-engine", "--label", "app=shop"], { cwd: tempDir({}) });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: cannot read the engine: .*\. Start Docker, or set DOCKER_HOST\n$/);
    } finally {
      if (saved === undefined) delete process.env["DOCKER_HOST"];
      else process.env["DOCKER_HOST"] = saved;
    }
  });
});

describe("command strings", () => {
  it("split into words as Compose does: quotes and escapes, no shell", () => {
    expect(shellWords(`sh -c 'echo "hi there"' x\\ y ""`)).toEqual(["sh", "-c", 'echo "hi there"', "x y", ""]);
  });
});
