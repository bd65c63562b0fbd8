import { checkTopology } from "../../../model/check";
import { AdoptedContainer, engineToCompose, InspectedNetwork } from "../../../model/adopt/engine-to-compose";
import { convertCompose } from "../../../model/compose/convert";
import { networkAliases } from "../../../model/names";
import { EngineSnapshot, preflight } from "../../../model/preflight";
import { containerInputs, containerOptions } from "../../../components/docker/render-container";
import { networkInputs } from "../../../components/docker/render-network";

const WEB_ID = "a".repeat(64);
const DB_ID = "b".repeat(64);
const NET_ID = "c".repeat(64);
const KIND_ID = "d".repeat(64);

const image = { Cmd: ["httpd-foreground"], Env: ["PATH=/usr/bin"], Labels: { "org.opencontainers.image.version": "2.4" }, ExposedPorts: { "80/tcp": {} } };
const web: AdoptedContainer = {
  image,
  container: {
    Id: WEB_ID,
    Name: "/shop-web",
    Config: { Image: "httpd:2.4", Cmd: ["httpd-foreground"], Env: ["PATH=/usr/bin", "GREETING=hi"], Labels: { "org.opencontainers.image.version": "2.4", team: "web" }, ExposedPorts: { "80/tcp": {}, "9000/tcp": {} }, Hostname: WEB_ID.slice(0, 12) },
    HostConfig: { NetworkMode: "shop", ExtraHosts: ["host.docker.internal:host-gateway", "db.local:10.0.0.5"], RestartPolicy: { Name: "unless-stopped" }, Dns: ["9.9.9.9"] },
    NetworkSettings: {
      Ports: { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "8080" }, { HostIp: "::", HostPort: "8080" }], "9000/tcp": null },
      Networks: { shop: { Aliases: ["www", WEB_ID.slice(0, 12)], IPAMConfig: { IPv4Address: "172.26.5.20" } }, kind: { Aliases: [] } },
    },
    State: { Running: true },
  },
};
const db: AdoptedContainer = {
  image: { Cmd: ["sh"], Healthcheck: { Test: ["CMD", "pg_isready"], Interval: 30e9 } },
  container: {
    Id: DB_ID,
    Name: "/shop-db",
    Config: { Image: "postgres:16", Cmd: ["postgres", "-c", "fsync=off"], Env: [], Healthcheck: { Test: ["CMD-SHELL", "pg_isready -U app"], Interval: 5e9, Retries: 3 } },
    HostConfig: { NetworkMode: `container:${WEB_ID}`, RestartPolicy: { Name: "on-failure", MaximumRetryCount: 5 } },
    NetworkSettings: { Ports: {}, Networks: {} },
    State: { Running: true },
    Mounts: [{ Type: "volume", Destination: "/var/lib/postgresql/data" }],
  },
};
const networks: InspectedNetwork[] = [
  { Id: NET_ID, Name: "shop", Driver: "bridge", IPAM: { Driver: "default", Config: [{ Subnet: "172.26.5.0/24", Gateway: "172.26.5.1" }] }, Labels: { project: "shop" }, Options: {} },
  { Id: KIND_ID, Name: "kind", Driver: "bridge", IPAM: { Config: [{ Subnet: "172.18.0.0/16" }] }, Labels: {} },
  { Id: "e".repeat(64), Name: "unrelated", Driver: "bridge" },
];

describe("what runs on the engine, said as Compose (import --from-engine)", () => {
  const engine = engineToCompose([web, db], networks, new Set([NET_ID]));

  it("writes what the container was given, not what it inherited from its image", () => {
    const s = engine.compose.services["shop-web"]!;
    expect(s).toMatchObject({ container_name: "shop-web", image: "httpd:2.4", environment: ["GREETING=hi"], labels: { team: "web" }, expose: ["9000"], restart: "unless-stopped", dns: ["9.9.9.9"], extra_hosts: ["db.local:10.0.0.5"] });
    expect(s).not.toHaveProperty("command");
    expect(s).not.toHaveProperty("hostname");
    expect(s["ports"]).toEqual([
      { target: 80, published: 8080, host_ip: "0.0.0.0", protocol: "tcp" },
      { target: 80, published: 8080, host_ip: "::", protocol: "tcp" },
    ]);
    expect(s["networks"]).toEqual({ shop: { aliases: ["www"], ipv4_address: "172.26.5.20" }, kind: {} });
    expect(engine.hostGateway).toEqual(new Set(["shop-web"]));
  });

  it("adopts selected networks, joins the others as external, and leaves unrelated ones out", () => {
    expect(engine.networkIds).toEqual({ shop: NET_ID });
    expect(engine.compose.networks["kind"]).toEqual({ external: true, name: "kind", driver: "bridge" });
    expect(engine.compose.networks["shop"]).toMatchObject({ name: "shop", driver: "bridge", ipam: { config: [{ subnet: "172.26.5.0/24", gateway: "172.26.5.1" }] }, labels: { project: "shop" } });
    expect(engine.compose.networks).not.toHaveProperty("unrelated");
  });

  it("a shared namespace names the adopted owner; a changed command and healthcheck are kept; mounts are reported", () => {
    expect(engine.compose.services["shop-db"]).toMatchObject({ network_mode: "service:shop-web", command: ["postgres", "-c", "fsync=off"], restart: "on-failure:5", healthcheck: { test: ["CMD-SHELL", "pg_isready -U app"], interval: "5s", retries: 3 } });
    expect(engine.unmapped).toEqual([{ path: "services.shop-db.mounts", reason: expect.stringContaining("volume mount on /var/lib/postgresql/data is not carried") }]);
    expect(engineToCompose([db], networks, new Set()).unmapped.map((u) => u.path)).toEqual(["services.shop-db.networkMode", "services.shop-db.mounts"]);
  });

  it("the declaration it converts to is valid, keeps the names, and renders no label of ours", () => {
    const declaration = convertCompose(engine.compose).declaration as { services: Record<string, Record<string, unknown>>; networks: Record<string, Record<string, unknown>> };
    declaration.services["shop-web"]!["adopt"] = WEB_ID;
    declaration.services["shop-web"]!["hostGateway"] = true;
    declaration.networks["shop"]!["adopt"] = NET_ID;
    // Throws on any error.
    const { topology } = checkTopology({ networks: declaration.networks, services: { "shop-web": declaration.services["shop-web"] } }, { namePrefix: "prod" });
    const svc = topology!.services[0]!;
    expect(svc.dockerName).toBe("shop-web");
    expect(topology!.networks.find((n) => n.key === "shop")!.dockerName).toBe("shop");
    // No implicit alias: the key is the container's name, which resolves anyway, and a new alias would replace it.
    expect(networkAliases(svc, svc.attachments[0]!)).toEqual(["www"]);
    const inputs = containerInputs(svc, { networkNames: new Map([["shop", "shop"], ["kind", "kind"]]) });
    expect(inputs.labels).toEqual([{ label: "team", value: "web" }]);
    expect(inputs.hosts).toEqual([{ host: "db.local", ip: "10.0.0.5" }, { host: "host.docker.internal", ip: "host-gateway" }]);
    expect(containerOptions(svc)).toEqual({ import: WEB_ID });
    expect(networkInputs(topology!.networks.find((n) => n.key === "shop")!).labels).toEqual([{ label: "project", value: "shop" }]);
  });
});

describe("preflight of adopted objects", () => {
  const declaration = { networks: { shop: { name: "shop", adopt: NET_ID, subnet: "172.26.5.0/24" } }, services: { web: { image: "httpd:2.4", name: "shop-web", adopt: WEB_ID, ports: ["127.0.0.1:8080:80"], networks: ["shop"] } } };
  const topology = checkTopology(declaration, { namePrefix: "dev" }).topology!;
  const base: EngineSnapshot = { engine: "unix:///test.sock", networks: [], containers: [], images: ["httpd:2.4"] };

  it("the adopted objects themselves are not in the way: their name, subnet and port are theirs to keep", () => {
    const snapshot = {
      ...base,
      networks: [{ id: NET_ID, name: "shop", driver: "bridge", subnets: ["172.26.5.0/24"], gateways: [], labels: {} }],
      containers: [{ id: WEB_ID, name: "shop-web", running: true, labels: {}, bindings: [{ hostIp: "127.0.0.1", port: 8080, protocol: "tcp" }] }],
    };
    expect(preflight(topology, snapshot)).toEqual([]);
  });

  it("an adopted object that is gone, or renamed, is reported with the way out", () => {
    const renamed = { ...base, containers: [{ id: WEB_ID, name: "web-old", running: true, labels: {}, bindings: [] }] };
    expect(preflight(topology, renamed).map((i) => [i.code, i.path, i.message])).toEqual([
      ["invalid-value", "networks.shop.adopt", expect.stringContaining(`has no network with ID ${NET_ID.slice(0, 12)}: it was removed or recreated before the import (after an up that adopted it, write adopt: true instead of the ID). Run container-topology import --from-engine again`)],
      ["invalid-value", "services.web.name", expect.stringContaining('the container adopted (aaaaaaaaaaaa) is named "web-old": a different name would replace it. Set name: web-old')],
    ]);
  });

  it("another object under an adopted name is still someone else's", () => {
    const other = { ...base, networks: [{ id: "f".repeat(64), name: "shop", driver: "bridge", subnets: ["10.9.0.0/24"], gateways: [], labels: {} }] };
    expect(preflight(topology, other).map((i) => [i.code, i.path])).toEqual([
      ["duplicate-name", "networks.shop"],
      ["invalid-value", "networks.shop.adopt"],
      ["invalid-value", "services.web.adopt"],
    ]);
  });
});
