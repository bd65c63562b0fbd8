import { checkTopology } from "../../../model/check";
import { Issue, TopologyError } from "../../../model/errors";
import {
  isLoopbackRegistry,
  validateClusterRegistryArgs,
  validateHostPortProxyArgs,
  validatePushImageArgs,
} from "../../../model/registry/args";
import {
  containerdHostsFile,
  localRegistryHostingYaml,
  LOCAL_REGISTRY_HOSTING_HELP,
} from "../../../model/registry/hosting";
import { registryEnv, registryServiceSpec } from "../../../model/registry/normalize";

type Row = Pick<Issue, "code" | "path" | "message">;
const rows = (issues: readonly Issue[]): Row[] => issues.map(({ code, path, message }) => ({ code, path, message }));

function issuesOf(declaration: unknown): Row[] {
  try {
    const { warnings } = checkTopology(declaration, { namePrefix: "dev" });
    return rows(warnings);
  } catch (err) {
    if (!TopologyError.isInstance(err)) throw err;
    return rows(err.issues);
  }
}

describe("the registries section", () => {
  it("normalizes a bare registry to registry:2 on 127.0.0.1:5001 with a retained volume", () => {
    const { topology, warnings } = checkTopology({ registries: { registry: null } }, { namePrefix: "dev" });
    expect(warnings).toEqual([]);
    expect(topology.registries).toEqual([
      {
        key: "registry",
        dockerName: "dev-registry",
        image: "registry:2",
        hostIp: "127.0.0.1",
        port: 5001,
        containerPort: 5000,
        attachments: [],
        retainStorage: true,
        volumeName: "dev-registry-data",
        env: {},
        labels: {},
      },
    ]);
  });

  it("gives each network the alias registry unless aliases are declared, and auth the user registry", () => {
    const { topology } = checkTopology(
      { networks: { dev: {}, kind: {} }, registries: { cache: { networks: { dev: null, kind: { aliases: ["mirror"] } }, auth: true } } },
      { namePrefix: "dev" },
    );
    expect(topology.registries[0]).toMatchObject({
      attachments: [
        { network: "dev", aliases: ["registry"] },
        { network: "kind", aliases: ["mirror"] },
      ],
      auth: { username: "registry" },
    });
  });

  it("renders a registry as a service publishing hostIp:port -> 5000 with the registry env and role label", () => {
    const { topology } = checkTopology({ networks: { dev: {} }, registries: { registry: { networks: ["dev"], auth: { username: "ci" }, env: { REGISTRY_LOG_LEVEL: "debug" } } } }, { namePrefix: "dev" });
    const spec = topology.registries[0]!;
    expect(registryEnv(spec)).toEqual({
      REGISTRY_HTTP_ADDR: ":5000",
      REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: "/var/lib/registry",
      REGISTRY_STORAGE_DELETE_ENABLED: "true",
      REGISTRY_AUTH: "htpasswd",
      REGISTRY_AUTH_HTPASSWD_REALM: "dev-registry",
      REGISTRY_AUTH_HTPASSWD_PATH: "/auth/htpasswd",
      REGISTRY_LOG_LEVEL: "debug",
    });
    expect(registryServiceSpec(spec)).toMatchObject({
      ports: [{ index: 0, target: 5000, published: 5001, hostIp: "127.0.0.1", protocol: "tcp" }],
      mode: { kind: "networks" },
      attachments: [{ network: "dev", aliases: ["registry"], sharedAliases: [] }],
      extraHosts: [],
      labels: { "container-topology.io/role": "registry" },
    });
  });

  it.each<[string, unknown, Row[]]>([
    [
      "a port out of range, a bad host IP, an unknown network and a bad user, all at once",
      { networks: { dev: {} }, registries: { registry: { port: 70000, hostIp: "1.2.3", networks: { dve: {} }, auth: { username: "a:b" } } } },
      [
        { code: "invalid-value", path: "registries.registry.auth.username", message: `"a:b" is not a valid user name: htpasswd names must not be empty or contain ":" or whitespace` },
        { code: "invalid-ip", path: "registries.registry.hostIp", message: `"1.2.3" is not a valid IP address, e.g. "172.30.0.10"` },
        { code: "unknown-network", path: "registries.registry.networks.dve", message: `"dve" is not a declared network. Did you mean "dev"?` },
        { code: "port-out-of-range", path: "registries.registry.port", message: "70000 is not a port: use 1-65535" },
      ],
    ],
    [
      "an unknown key",
      { registries: { registry: { prot: 5002 } } },
      [{ code: "unknown-key", path: "registries.registry.prot", message: `unknown key. Did you mean "port"?` }],
    ],
    [
      "a port a service already publishes, and an alias a service has",
      {
        networks: { dev: {} },
        services: { web: { image: "nginx", ports: ["127.0.0.1:5001:80"], networks: { dev: { aliases: ["registry"] } } } },
        registries: { hub: { networks: ["dev"] } },
      },
      [
        { code: "duplicate-alias", path: "registries.hub.networks.dev.aliases[0]", message: `"registry" already resolves to services.web on networks.dev; Docker would answer with both containers in turn. Pick another alias for the registry` },
        { code: "port-clash", path: "registries.hub.port", message: "127.0.0.1:5001/tcp clashes with 127.0.0.1:5001/tcp of services.web. Use another published port or host IP" },
      ],
    ],
    [
      "two registries on the same port and the same alias",
      { networks: { dev: {} }, registries: { a: { networks: ["dev"] }, b: { networks: ["dev"] } } },
      [
        { code: "duplicate-alias", path: "registries.b.networks.dev.aliases[0]", message: `"registry" already resolves to registries.a on networks.dev; Docker would answer with both containers in turn. Pick another alias for the registry` },
        { code: "port-clash", path: "registries.b.port", message: "127.0.0.1:5001/tcp clashes with 127.0.0.1:5001/tcp of registries.a. Use another published port or host IP" },
      ],
    ],
    [
      "a container name a service has, and a shared volume",
      { services: { web: { image: "nginx" } }, registries: { a: { port: 5002, volumeName: "store" }, b: { name: "dev-web", volumeName: "store" } } },
      [
        { code: "duplicate-name", path: "registries.b.name", message: `the container name "dev-web" is also the name of services.web; Docker names must be unique. Set a different name` },
        { code: "duplicate-name", path: "registries.b.volumeName", message: `the volume "store" is also the storage of registries.a; two registries must not share storage. Set a different volumeName` },
      ],
    ],
    [
      "an alias that is not a DNS name and an auth that is not a boolean or map",
      { networks: { dev: {} }, registries: { registry: { auth: "yes", networks: { dev: { aliases: ["bad alias"] } } } } },
      [
        { code: "invalid-type", path: "registries.registry.auth", message: `must be true or false or a map, got the string "yes"` },
        { code: "invalid-name", path: "registries.registry.networks.dev.aliases[0]", message: `"bad alias" is not a DNS name: use letters, digits, "-" and "_", in dot-separated labels` },
      ],
    ],
    [
      "a registry on every interface (a warning)",
      { registries: { registry: { hostIp: "0.0.0.0" } } },
      [
        {
          code: "plain-http-registry",
          path: "registries.registry.hostIp",
          message: `publishes a plain-HTTP registry on every interface of the host; without auth anyone who reaches it can push. Docker daemons that push to "<host address>:5001" must list it under insecure-registries in daemon.json; bind "127.0.0.1" unless other machines need it`,
        },
      ],
    ],
    [
      "a registry on a LAN address with auth (a warning)",
      { registries: { registry: { hostIp: "192.168.1.20", port: 5000, auth: true } } },
      [
        {
          code: "plain-http-registry",
          path: "registries.registry.hostIp",
          message: `publishes a plain-HTTP registry on 192.168.1.20. Docker daemons that push to "192.168.1.20:5000" must list it under insecure-registries in daemon.json; bind "127.0.0.1" unless other machines need it`,
        },
      ],
    ],
  ])("reports %s", (_title, declaration, expected) => {
    expect(issuesOf(declaration)).toEqual(expected);
  });
});

describe("registry argument validation", () => {
  it.each<[string, Parameters<typeof validateHostPortProxyArgs>[0], Row[]]>([
    ["valid args", { serviceName: "registry", servicePort: 5000, hostPort: 5001, hostIp: "127.0.0.1" }, []],
    [
      "a service name starting with a digit and a bad cluster domain",
      { serviceName: "1registry", servicePort: 5000, clusterDomain: "Cluster_Local" },
      [
        { code: "invalid-name", path: "clusterDomain", message: `"Cluster_Local" is not a valid Kubernetes name: use dot-separated labels of lowercase letters, digits and "-", at most 253 characters. Did you mean "cluster-local"?` },
        { code: "invalid-name", path: "serviceName", message: `"1registry" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters` },
      ],
    ],
    [
      "ports out of range",
      { serviceName: "registry", servicePort: 65536, hostPort: -1, containerPort: 1.5 },
      [
        { code: "port-out-of-range", path: "containerPort", message: "1.5 is not a port: use 1-65535" },
        { code: "port-out-of-range", path: "hostPort", message: "-1 is not a port: use 1-65535" },
        { code: "port-out-of-range", path: "servicePort", message: "65536 is not a port: use 1-65535" },
      ],
    ],
  ])("HostPortProxy: %s", (_title, args, expected) => {
    expect(rows(validateHostPortProxyArgs(args))).toEqual(expected);
  });

  it.each<[string, Parameters<typeof validateClusterRegistryArgs>[0], Row[]]>([
    ["no args", {}, []],
    [
      "a bad storage size, a bad resource quantity, a bad proxy port and a host with a scheme",
      { storageSize: "10 GB", resources: { limits: { memory: "lots" } }, proxy: { hostPort: 0, hostIp: "::1::" }, hostingHost: "http://localhost:5001" },
      [
        { code: "invalid-value", path: "hostingHost", message: `"http://localhost:5001" is not a registry host: write host[:port], e.g. "localhost:5001"` },
        { code: "invalid-ip", path: "proxy.hostIp", message: `"::1::" is not a valid IP address, e.g. "172.30.0.10"` },
        { code: "port-out-of-range", path: "proxy.hostPort", message: "0 is not a port: use 1-65535" },
        { code: "invalid-value", path: "resources.limits.memory", message: `"lots" is not a Kubernetes quantity, e.g. "10Gi", "512Mi" or "250m"` },
        { code: "invalid-value", path: "storageSize", message: `"10 GB" is not a Kubernetes quantity, e.g. "10Gi", "512Mi" or "250m"` },
      ],
    ],
    [
      "an upper-case namespace",
      { namespace: "Registry" },
      [{ code: "invalid-name", path: "namespace", message: `"Registry" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters. Did you mean "registry"?` }],
    ],
  ])("ClusterRegistry: %s", (_title, args, expected) => {
    expect(rows(validateClusterRegistryArgs(args))).toEqual(expected);
  });

  it.each<[string, Parameters<typeof validatePushImageArgs>[0], Row[]]>([
    ["a valid push", { address: "127.0.0.1:5001", repository: "team/app", tag: "1.0" }, []],
    [
      "an address with a scheme, an upper-case repository and a bad tag",
      { address: "http://localhost:5001", repository: "Team/App", tag: "-x" },
      [
        { code: "invalid-value", path: "registry.address", message: `"http://localhost:5001" is not a registry address: write host[:port] without a scheme, e.g. "localhost:5001"` },
        { code: "invalid-name", path: "repository", message: `"Team/App" is not a repository name: use lowercase letters, digits and ".", "_" or "-" separators, in "/"-separated components. Did you mean "team/app"?` },
        { code: "invalid-name", path: "tag", message: `"-x" is not a tag: use up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"` },
      ],
    ],
    ["a port out of range", { address: "localhost:99999", repository: "app" }, [{ code: "invalid-value", path: "registry.address", message: `"localhost:99999" is not a registry address: write host[:port] without a scheme, e.g. "localhost:5001"` }]],
  ])("push: %s", (_title, args, expected) => {
    expect(rows(validatePushImageArgs(args))).toEqual(expected);
  });

  it.each<[string, boolean]>([
    ["localhost:5001", true],
    ["127.0.0.1:5001", true],
    ["127.1.2.3", true],
    ["[::1]:5001", true],
    ["registry.localhost:5000", true],
    ["registry:5000", false],
    ["192.168.1.20:5000", false],
    ["ghcr.io", false],
  ])("isLoopbackRegistry(%s) is %s", (address, expected) => {
    expect(isLoopbackRegistry(address)).toBe(expected);
  });
});

describe("how tools and nodes find the registry", () => {
  it("writes the KEP-1755 localRegistryHosting.v1 document with the fields that are set", () => {
    expect(localRegistryHostingYaml({ host: "localhost:5001", help: "https://example.test/registry" })).toBe(`host: "localhost:5001"\nhelp: "https://example.test/registry"\n`);
    expect(
      localRegistryHostingYaml({ help: LOCAL_REGISTRY_HOSTING_HELP, hostFromClusterNetwork: "registry:5000", host: "localhost:5001", hostFromContainerRuntime: "registry:5000" }),
    ).toBe(`host: "localhost:5001"\nhostFromContainerRuntime: "registry:5000"\nhostFromClusterNetwork: "registry:5000"\nhelp: "${LOCAL_REGISTRY_HOSTING_HELP}"\n`);
  });

  it("renders containerd's certs.d hosts.toml for a plain-HTTP registry", () => {
    expect(containerdHostsFile("localhost:5001", "registry:5000")).toEqual({
      path: "/etc/containerd/certs.d/localhost:5001/hosts.toml",
      content: `server = "http://localhost:5001"\n\n[host."http://registry:5000"]\n  capabilities = ["pull", "resolve"]\n`,
    });
  });
});
