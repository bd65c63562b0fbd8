import { parse } from "yaml";
import { explainTopology, shellQuote } from "../../../cli/explain";
import { checkTopology } from "../../../model/check";
import { repoFile } from "./cli-support";

const explain = (declaration: unknown) => explainTopology(checkTopology(declaration, { namePrefix: "t" }).topology);

describe("shellQuote", () => {
  it.each([
    ["plain", "plain"],
    ["127.0.0.1:8080:80/tcp", "127.0.0.1:8080:80/tcp"],
    ["two words", "'two words'"],
    ["it's", "'it'\\''s'"],
    ["", "''"],
    ["$HOME", "'$HOME'"],
  ])("%j -> %s", (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});

describe("explainTopology", () => {
  it.each<[string, unknown, string[]]>([
    [
      "a bridge with every addressing flag",
      {
        networks: {
          lan: { subnet: "172.40.0.0/24", gateway: "172.40.0.254", ipRange: "172.40.0.128/25", auxAddresses: { printer: "172.40.0.5" }, mtu: 9000, internal: true, attachable: true, ipv6Subnet: "fd00:40::/64", labels: { team: "net" } },
        },
      },
      [
        "docker network create --driver bridge --subnet 172.40.0.0/24 --gateway 172.40.0.254 --ip-range 172.40.0.128/25 --subnet fd00:40::/64 --aux-address printer=172.40.0.5 -o com.docker.network.driver.mtu=9000 --internal --attachable --ipv6 --label team=net t-lan",
      ],
    ],
    [
      "a macvlan network: parent and mode as driver options",
      { networks: { vlan: { driver: "macvlan", parent: "eth0.50", subnet: "192.168.50.0/24", mode: "bridge" } } },
      ["docker network create --driver macvlan --subnet 192.168.50.0/24 -o parent=eth0.50 -o macvlan_mode=bridge t-vlan"],
    ],
    [
      "a published service on one network, with the safe defaults",
      {
        networks: { dev: { subnet: "172.30.0.0/24" } },
        services: { web: { image: "nginx:1.27", ports: ["8080:80"], networks: { dev: { aliases: ["www"], ipv4Address: "172.30.0.10" } }, dns: ["1.1.1.1"] } },
      },
      [
        "docker network create --driver bridge --subnet 172.30.0.0/24 t-dev",
        "docker run -d --name t-web --network t-dev --network-alias web --network-alias www --ip 172.30.0.10 -p 127.0.0.1:8080:80/tcp --add-host host.docker.internal:host-gateway --dns 1.1.1.1 --restart unless-stopped nginx:1.27",
      ],
    ],
    [
      "a service on two networks: run on the first, connect the second",
      {
        networks: { front: {}, back: { internal: true } },
        services: { api: { image: "api:1", command: ["serve", "--port", "9000"], expose: [9000], networks: { front: { aliases: ["backend"] }, back: { aliases: ["api-internal"] } }, hostGateway: false } },
      },
      [
        "docker network create --driver bridge --internal t-back",
        "docker network create --driver bridge t-front",
        "docker run -d --name t-api --network t-front --network-alias api --network-alias backend --expose 9000/tcp --restart unless-stopped api:1 serve --port 9000",
        "docker network connect --alias api --alias api-internal t-back t-api",
      ],
    ],
    [
      "host, none and container network modes; the namespace owner first",
      {
        services: {
          agent: { image: "agent:1", networkMode: "host", restart: "always" },
          sidecar: { image: "proxy:1", networkMode: "container:app" },
          app: { image: "app:1", ports: [{ target: 53, published: 5353, hostIp: "::1", protocol: "udp" }, { target: 80 }] },
          vault: { image: "vault:1", networkMode: "none" },
        },
      },
      [
        "docker run -d --name t-agent --network host --add-host host.docker.internal:host-gateway --restart always agent:1",
        "docker run -d --name t-app --network bridge -p '[::1]:5353:53/udp' -p 127.0.0.1::80/tcp --add-host host.docker.internal:host-gateway --restart unless-stopped app:1",
        "docker run -d --name t-sidecar --network container:t-app --restart unless-stopped proxy:1",
        "docker run -d --name t-vault --network none --restart unless-stopped vault:1",
      ],
    ],
    [
      "environment, labels, capabilities, health check, entrypoint",
      {
        services: {
          job: {
            image: "busybox:1.36",
            entrypoint: ["/bin/sh", "-c"],
            command: ["echo hello; sleep 1"],
            env: { GREETING: "hello world" },
            labels: { tier: "batch" },
            capAdd: ["NET_ADMIN"],
            capDrop: ["MKNOD"],
            hostname: "job1",
            healthcheck: { test: ["CMD", "wget", "-q", "http://localhost/"], interval: "10s" },
            extraHosts: ["db.local:10.0.0.5"],
            hostGateway: false,
          },
        },
      },
      [
        "docker run -d --name t-job --network bridge --hostname job1 --add-host db.local:10.0.0.5 --restart unless-stopped -e 'GREETING=hello world' --label tier=batch --cap-add CAP_NET_ADMIN --cap-drop CAP_MKNOD --health-cmd 'wget -q http://localhost/' --health-interval 10s --health-timeout 30s --health-retries 3 --health-start-period 0s --entrypoint /bin/sh busybox:1.36 -c 'echo hello; sleep 1'",
      ],
    ],
  ])("%s", (_name, declaration, commands) => {
    expect(explain(declaration)).toEqual(commands);
  });

  it("explains the dev stack's declaration in Docker's terms", () => {
    const config = parse(repoFile("Pulumi.dev.yaml")).config["container-topology:topology"];
    const lines = explainTopology(checkTopology(config, { namePrefix: "dev" }).topology);
    expect(lines).toContain("docker network create --driver bridge --subnet 172.30.0.0/24 dev-dev");
    expect(lines.find((l) => l.includes("--name dev-hello-bridge"))).toContain("--network dev-dev --network-alias hello-bridge --network-alias hello -p 127.0.0.1:8080:80/tcp --add-host host.docker.internal:host-gateway --restart unless-stopped --health-cmd 'wget -q -O /dev/null http://127.0.0.1:80/' --health-interval 2s --health-timeout 2s --health-retries 5 --health-start-period 0s container-topology/probe:local httpd -f -p 80 -h /www");
    expect(lines.find((l) => l.includes("--name dev-host-agent"))).toContain("--network host");
  });
});

describe("explainTopology: registries", () => {
  it.each<[string, unknown, string[]]>([
    [
      "a registry on a network: its volume, then its container with the volume mounted",
      { networks: { dev: {} }, registries: { cache: { networks: { dev: { aliases: ["registry"] } } } } },
      [
        "docker network create --driver bridge t-dev",
        "docker volume create --label container-topology.io/role=registry t-cache-data",
        "docker run -d --name t-cache --network t-dev --network-alias cache --network-alias registry -p 127.0.0.1:5001:5000/tcp -v t-cache-data:/var/lib/registry --restart unless-stopped -e REGISTRY_HTTP_ADDR=:5000 -e REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=/var/lib/registry -e REGISTRY_STORAGE_DELETE_ENABLED=true --label container-topology.io/role=registry registry:2",
      ],
    ],
  ])("%s", (_name, declaration, commands) => {
    expect(explain(declaration)).toEqual(commands);
  });

  it("mounts the htpasswd file of a registry with auth", () => {
    const lines = explain({ registries: { private: { auth: true, port: 5002 } } });
    expect(lines[1]).toContain(" -v t-private-data:/var/lib/registry -v /path/to/htpasswd:/auth/htpasswd:ro ");
    expect(lines[1]).toContain(" -e REGISTRY_AUTH=htpasswd ");
  });
});
