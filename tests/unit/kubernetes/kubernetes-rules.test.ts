import { issues } from "./support-issues";
import { normalizeTopology } from "../../../model/normalize";
import { parseDeclaration } from "../../../model/parse";
import { computeReachability } from "../../../model/reachability";


const image = "acme/api:1";
const http = { name: "http", port: 80, targetPort: 8080 };
const api = { image, ports: [http] };
const k8s = (kubernetes: unknown, rest: Record<string, unknown> = {}) => ({ kubernetes, ...rest });

describe("kubernetes section: valid declarations", () => {
  it("a full section passes with no issue", () => {
    const declaration = k8s(
      {
        context: "kind-dev",
        namespace: "dev",
        services: {
          api: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 30080 }, { name: "dns", port: 53, protocol: "UDP", nodePort: 30053 }, { name: "dns-tcp", port: 53, protocol: "TCP", nodePort: 30053 }], readinessProbe: { port: "http", path: "/healthz" } },
          web: { image, ports: [{ port: 80, hostPort: 8080, hostIP: "127.0.0.1" }], hostAliases: ["db.local:10.0.0.5", { host: "cache.local", ip: "10.0.0.6" }] },
          edge: { image, ports: [{ port: 80, hostPort: 8080, hostIP: "10.0.0.9" }] },
          agent: { image, hostNetwork: true, ports: [{ port: 9100 }] },
        },
        bridges: {
          api: { service: "api", port: "http" },
          web: { service: "web", nodePort: 30081, bindAddress: "172.17.0.1" },
          proxied: { service: "api", port: "http", via: "hostPort", hostPort: 4000 },
        },
      },
      { services: { hurl: { image: "hurl", consumes: ["api", { bridge: "web", env: "WEB" }] } } },
    );
    expect(issues(declaration)).toEqual([]);
    expect(issues(declaration, "warning")).toEqual([]);
  });

  it("no kubernetes section: nothing to check, nothing normalized", () => {
    const parsed = parseDeclaration({ services: { web: { image } } });
    expect(normalizeTopology(parsed.raw).kubernetes).toBeUndefined();
  });
});

describe("kubernetes section: every rule, exact messages", () => {
  it.each<[string, unknown, [string, string, string][]]>([
    [
      "node port below the range",
      k8s({ services: { api: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 29999 }] } } }),
      [["node-port-out-of-range", "kubernetes.services.api.ports[0].nodePort", "29999 is outside the node port range 30000-32767. Leave nodePort out to let Kubernetes pick one"]],
    ],
    [
      "node port on a ClusterIP service",
      k8s({ services: { api: { ...api, ports: [{ ...http, nodePort: 30080 }] } } }),
      [["invalid-value", "kubernetes.services.api.ports[0].nodePort", `needs type NodePort or LoadBalancer; this service is "ClusterIP". Set type: NodePort`]],
    ],
    [
      "node port used by two services",
      k8s({ services: { a: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 30080 }] }, b: { ...api, type: "LoadBalancer", ports: [{ ...http, nodePort: 30080 }] } } }),
      [["node-port-duplicate", "kubernetes.services.b.ports[0].nodePort", "30080 is also the node port of kubernetes.services.a.ports[0]: node ports are unique across the cluster. Pick another in 30000-32767"]],
    ],
    [
      "node port used twice by one service on two ports",
      k8s({ services: { a: { image, type: "NodePort", ports: [{ name: "x", port: 80, nodePort: 30080 }, { name: "y", port: 81, nodePort: 30080 }] } } }),
      [["node-port-duplicate", "kubernetes.services.a.ports[1].nodePort", "30080 is also the node port of kubernetes.services.a.ports[0]: node ports are unique across the cluster. Pick another in 30000-32767"]],
    ],
    [
      "a bridge's own node port taken by a service",
      k8s({ services: { a: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 30080 }] }, b: api }, bridges: { b: { service: "b", nodePort: 30080 } } }),
      [["node-port-duplicate", "kubernetes.bridges.b.nodePort", "30080 is also the node port of kubernetes.services.a.ports[0]: node ports are unique across the cluster. Pick another in 30000-32767"]],
    ],
    [
      "a bridge's node port outside the range",
      k8s({ services: { api }, bridges: { api: { service: "api", nodePort: 8080 } } }),
      [["node-port-out-of-range", "kubernetes.bridges.api.nodePort", "8080 is outside the node port range 30000-32767. Pick a port in 30000-32767"]],
    ],
    [
      "hostPort on every address against one on 127.0.0.1",
      k8s({ services: { a: { image, ports: [{ port: 80, hostPort: 8080 }] }, b: { image, ports: [{ port: 80, hostPort: 8080, hostIP: "127.0.0.1" }] } } }),
      [["port-clash", "kubernetes.services.b.ports[0].hostPort", "127.0.0.1:8080/tcp clashes with 0.0.0.0:8080/tcp of kubernetes.services.a.ports[0]: pods on one node cannot both bind it. Use another hostPort or hostIP"]],
    ],
    [
      "hostPort on the same address",
      k8s({ services: { a: { image, ports: [{ port: 80, hostPort: 8080, hostIP: "10.0.0.9" }] }, b: { image, ports: [{ port: 81, hostPort: 8080, hostIP: "10.0.0.9" }] } } }),
      [["port-clash", "kubernetes.services.b.ports[0].hostPort", "10.0.0.9:8080/tcp clashes with 10.0.0.9:8080/tcp of kubernetes.services.a.ports[0]: pods on one node cannot both bind it. Use another hostPort or hostIP"]],
    ],
    [
      "a hostNetwork pod against a hostPort",
      k8s({ services: { agent: { image, hostNetwork: true, ports: [{ port: 9100 }] }, b: { image, ports: [{ port: 80, hostPort: 9100, hostIP: "127.0.0.1" }] } } }),
      [["port-clash", "kubernetes.services.b.ports[0].hostPort", "127.0.0.1:9100/tcp clashes with 0.0.0.0:9100/tcp of kubernetes.services.agent.ports[0] (hostNetwork): pods on one node cannot both bind it. Use another hostPort or hostIP"]],
    ],
    [
      "a bridge proxy's hostPort against a service's",
      k8s({ services: { api, b: { image, ports: [{ port: 80, hostPort: 4000 }] } }, bridges: { api: { service: "api", via: "hostPort", hostPort: 4000 } } }),
      [["port-clash", "kubernetes.bridges.api.hostPort", "0.0.0.0:4000/tcp clashes with 0.0.0.0:4000/tcp of kubernetes.services.b.ports[0]: pods on one node cannot both bind it. Use another hostPort or hostIP"]],
    ],
    [
      "hostPort different from targetPort under hostNetwork",
      k8s({ services: { agent: { image, hostNetwork: true, ports: [{ port: 80, targetPort: 9100, hostPort: 9200 }] } } }),
      [["invalid-value", "kubernetes.services.agent.ports[0].hostPort", "9200 must equal targetPort 9100 with hostNetwork: the pod listens on the node directly"]],
    ],
    [
      "hostIP without hostPort, and not an address",
      k8s({ services: { a: { image, ports: [{ port: 80, hostIP: "localhost" }] } } }),
      [
        ["invalid-ip", "kubernetes.services.a.ports[0].hostIP", `"localhost" is not a valid IP address, e.g. "172.30.0.10"`],
        ["invalid-value", "kubernetes.services.a.ports[0].hostIP", "has no effect without hostPort. Set hostPort, or remove hostIP"],
      ],
    ],
    [
      "ports out of range and twice the same Service port",
      k8s({ services: { a: { image, ports: [{ name: "a", port: 0, targetPort: 70000 }, { name: "b", port: 81 }, { name: "c", port: 81 }] } } }),
      [
        ["port-out-of-range", "kubernetes.services.a.ports[0].port", "0 is not a port: use 1-65535"],
        ["port-out-of-range", "kubernetes.services.a.ports[0].targetPort", "70000 is not a port: use 1-65535"],
        ["port-clash", "kubernetes.services.a.ports[2].port", "81/tcp is also ports[1] of this service. Each Service port and protocol appears once"],
      ],
    ],
    [
      "port names: case, length, no letter, double hyphen, duplicate, missing",
      k8s({
        services: {
          a: { image, ports: [{ name: "HTTP", port: 1 }, { name: "metrics-exporter-http", port: 2 }, { name: "8080", port: 3 }, { name: "web--ui", port: 4 }, { name: "ok", port: 5 }, { name: "ok", port: 6 }, { port: 7 }] },
        },
      }),
      [
        ["invalid-name", "kubernetes.services.a.ports[0].name", `"HTTP" is not a valid port name: use lowercase letters, digits and "-", starting and ending with a letter or digit. Did you mean "http"?`],
        ["invalid-name", "kubernetes.services.a.ports[1].name", `"metrics-exporter-http" is not a valid port name: it has 21 characters; a container port name has at most 15`],
        ["invalid-name", "kubernetes.services.a.ports[2].name", `"8080" is not a valid port name: it needs at least one letter`],
        ["invalid-name", "kubernetes.services.a.ports[3].name", `"web--ui" is not a valid port name: "--" is not allowed in a container port name`],
        ["duplicate-name", "kubernetes.services.a.ports[5].name", `"ok" is also the name of ports[4]. Port names are unique within a service`],
        ["missing-field", "kubernetes.services.a.ports[6].name", "is required: a Service with several ports needs a name on each"],
      ],
    ],
    [
      "a label contradicting the selector",
      k8s({ services: { api: { ...api, selector: { app: "api" }, labels: { app: "api-v2", tier: "backend" } } } }),
      [["selector-mismatch", `kubernetes.services.api.labels.app`, `app="api-v2" contradicts the selector app="api": the selector must match the pod template labels. Remove the label, or change the selector`]],
    ],
    [
      "an empty selector",
      k8s({ services: { api: { ...api, selector: {} } } }),
      [["selector-mismatch", "kubernetes.services.api.selector", "is empty: it would select every pod in the namespace. Leave selector out, or give it a label"]],
    ],
    [
      "a selector that also selects another service's pods",
      k8s({ services: { api: { ...api, selector: { app: "shop" } }, worker: { image, selector: { app: "shop", role: "worker" } } } }),
      [["selector-mismatch", "kubernetes.services.api.selector", `app="shop" also selects the pods of kubernetes.services.worker: the Service would send them traffic. Make the selectors distinct`]],
    ],
    [
      "Kubernetes names, namespaces and label keys",
      k8s({ namespace: "Dev", services: { Api: api, web: { ...api, name: "api-bridge", namespace: "x_y", labels: { "bad key!": "v", ok: "not valid!" } } }, bridges: { api: { service: "Api", nodePort: 30080 } } }),
      [
        ["invalid-name", "kubernetes.namespace", `"Dev" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters. Did you mean "dev"?`],
        ["invalid-name", "kubernetes.services.Api", `"Api" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters. Did you mean "api"?`],
        ["invalid-name", `kubernetes.services.web.labels["bad key!"]`, `"bad key!" is not a valid label key: use an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`],
        ["invalid-value", "kubernetes.services.web.labels.ok", `"not valid!" is not a valid label value: use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`],
        ["invalid-name", "kubernetes.services.web.namespace", `"x_y" is not a valid Kubernetes name: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters. Did you mean "x-y"?`],
      ],
    ],
    [
      "two objects with one name in a namespace",
      k8s({ services: { api, web: { ...api, name: "api-bridge" } }, bridges: { api: { service: "api", nodePort: 30080 } } }),
      [["duplicate-name", "kubernetes.bridges.api", `the Kubernetes name "api-bridge" is also the name of kubernetes.services.web in namespace "default": names are unique in a namespace. Set a different name`]],
    ],
    [
      "workload fields: replicas, probe, host aliases",
      k8s({ services: { api: { ...api, replicas: -1, readinessProbe: { port: "htp", path: "healthz", periodSeconds: 0 }, hostAliases: ["host.docker.internal:host-gateway", "db:not-an-ip"] } } }),
      [
        ["invalid-ip", "kubernetes.services.api.hostAliases[0]", `"host-gateway" is a Docker keyword Kubernetes does not resolve: a host alias needs an IP address, e.g. the node's address as pods see it`],
        ["invalid-ip", "kubernetes.services.api.hostAliases[1]", `"not-an-ip" is not a valid IP address, e.g. "172.30.0.10"`],
        ["invalid-value", "kubernetes.services.api.readinessProbe.path", `"healthz" must start with "/"`],
        ["invalid-value", "kubernetes.services.api.readinessProbe.periodSeconds", "0 must be at least 1"],
        ["invalid-value", "kubernetes.services.api.readinessProbe.port", `"htp" is not a port name of this service. Did you mean "http"?`],
        ["invalid-value", "kubernetes.services.api.replicas", "-1 is not a replica count: use 0 or more"],
      ],
    ],
    [
      "a probe on a service without ports",
      k8s({ services: { job: { image, readinessProbe: {} } } }),
      [["missing-field", "kubernetes.services.job.readinessProbe.port", "is required: the service declares no ports to probe"]],
    ],
  ])("%s", (_name, declaration, expected) => {
    expect(issues(declaration)).toEqual(expected);
  });
});

describe("bridges and consumers: exact messages", () => {
  const two = { image, ports: [http, { name: "metrics", port: 9090 }] };
  it.each<[string, unknown, [string, string, string][]]>([
    [
      "an unknown service, with a suggestion",
      k8s({ services: { api }, bridges: { b: { service: "apii", nodePort: 30080 } } }),
      [["unknown-service", "kubernetes.bridges.b.service", `"apii" is not a declared cluster service. Did you mean "api"?`]],
    ],
    [
      "an unknown service, without one",
      k8s({ services: { api }, bridges: { b: { service: "payments", nodePort: 30080 } } }),
      [["unknown-service", "kubernetes.bridges.b.service", `"payments" is not a declared cluster service. Declare it under kubernetes.services.payments`]],
    ],
    [
      "several ports and no port named",
      k8s({ services: { api: two }, bridges: { b: { service: "api", nodePort: 30080 } } }),
      [["missing-field", "kubernetes.bridges.b.port", `is required: kubernetes.services.api has several ports ("http" and "metrics"). Name the one to bridge`]],
    ],
    [
      "a port number the service does not have",
      k8s({ services: { api: two }, bridges: { b: { service: "api", port: 8080, nodePort: 30080 } } }),
      [["invalid-value", "kubernetes.bridges.b.port", "8080 is not a port of kubernetes.services.api. Its ports: 80, 9090"]],
    ],
    [
      "a port name the service does not have",
      k8s({ services: { api: two }, bridges: { b: { service: "api", port: "metric", nodePort: 30080 } } }),
      [["invalid-value", "kubernetes.bridges.b.port", `"metric" is not a port name of kubernetes.services.api. Did you mean "metrics"?`]],
    ],
    [
      "a service without ports",
      k8s({ services: { job: { image } }, bridges: { b: { service: "job", nodePort: 30080 } } }),
      [["invalid-value", "kubernetes.bridges.b.service", "kubernetes.services.job declares no ports: a bridge exposes one of them. Declare its ports"]],
    ],
    [
      "no fixed node port",
      k8s({ services: { api }, bridges: { b: { service: "api" } } }),
      [["missing-field", "kubernetes.bridges.b.nodePort", "is required: kubernetes.services.api.ports[0] has no fixed nodePort, and containers need the port before the Service exists. Pick one in 30000-32767"]],
    ],
    [
      "a node port other than the service's own",
      k8s({ services: { api: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 30080 }] } }, bridges: { b: { service: "api", nodePort: 30081 } } }),
      [["invalid-value", "kubernetes.bridges.b.nodePort", "30081 differs from nodePort 30080 of kubernetes.services.api.ports[0], which already exposes it on every node. Leave nodePort out"]],
    ],
    [
      "hostPort fields on a nodePort bridge",
      k8s({ services: { api }, bridges: { b: { service: "api", nodePort: 30080, hostPort: 4000 } } }),
      [["invalid-value", "kubernetes.bridges.b.hostPort", `applies to via: "hostPort" only; this bridge uses via: "nodePort". Set via: hostPort, or use nodePort`]],
    ],
    [
      "a hostPort bridge without hostPort, with nodePort, over udp",
      k8s({ services: { dns: { image, ports: [{ port: 53, protocol: "udp" }] } }, bridges: { b: { service: "dns", via: "hostPort", nodePort: 30053 } } }),
      [
        ["missing-field", "kubernetes.bridges.b.hostPort", "is required with via: hostPort: the port the proxy binds on every node"],
        ["invalid-value", "kubernetes.bridges.b.nodePort", `applies to via: "nodePort" only; this bridge uses via: "hostPort". Use hostPort`],
        ["invalid-value", "kubernetes.bridges.b.via", `"hostPort" proxies TCP only, and kubernetes.services.dns.ports[0] is udp. Use via: nodePort`],
      ],
    ],
    [
      "bound to 127.0.0.1 alone",
      k8s({ services: { api }, bridges: { b: { service: "api", nodePort: 30080, bindAddress: "127.0.0.1" } } }),
      [["loopback-bind", "kubernetes.bridges.b.bindAddress", `"127.0.0.1" is a loopback address: containers reach the node through host.docker.internal (the bridge gateway 172.17.0.1), never through its loopback. Use "0.0.0.0" or "172.17.0.1"`]],
    ],
    [
      "bound to ::1, with a declared default bridge",
      k8s({ services: { api }, bridges: { b: { service: "api", via: "hostPort", hostPort: 4000, bindAddress: "::1" } } }, { defaultBridge: { subnet: "172.18.0.0/16" } }),
      [["loopback-bind", "kubernetes.bridges.b.bindAddress", `"::1" is a loopback address: containers reach the node through host.docker.internal (the bridge gateway 172.18.0.1), never through its loopback. Use "0.0.0.0" or "172.18.0.1"`]],
    ],
    [
      "a bind address that is not one, a bad env name and scheme",
      k8s({ services: { api }, bridges: { b: { service: "api", nodePort: 30080, bindAddress: "localhost", env: "api-url", scheme: "HTTP" } } }),
      [
        ["invalid-ip", "kubernetes.bridges.b.bindAddress", `"localhost" is not a valid IP address, e.g. "172.30.0.10"`],
        ["invalid-name", "kubernetes.bridges.b.env", `"api-url" is not a valid environment variable name: use letters, digits and "_", not starting with a digit. Did you mean "API_URL"?`],
        ["invalid-value", "kubernetes.bridges.b.scheme", `"HTTP" is not a URL scheme, e.g. "http"`],
      ],
    ],
    [
      "consumers: unknown bridge, env clash, duplicate env, bad env",
      k8s(
        { services: { api, web: { ...api, name: "web" } }, bridges: { api: { service: "api", nodePort: 30080 }, web: { service: "web", nodePort: 30081, env: "API_URL" } } },
        {
          services: {
            a: { image, consumes: ["apii"] },
            b: { image, env: { API_URL: "http://localhost:4000" }, consumes: ["api"] },
            c: { image, consumes: ["api", "web"] },
            d: { image, consumes: [{ bridge: "api", env: "1x" }] },
          },
        },
      ),
      [
        ["unknown-bridge", "services.a.consumes[0]", `"apii" is not a declared bridge. Did you mean "api"?`],
        ["duplicate-name", "services.b.consumes[0]", `API_URL is also set under env. Remove it there, or name the variable: {bridge: "api", env: "API_BRIDGE_URL"}`],
        ["duplicate-name", "services.c.consumes[1]", `API_URL is also the variable of consumes[0]. Name one of them: {bridge: "web", env: "API_URL_2"}`],
        ["invalid-name", "services.d.consumes[0]", `"1x" is not a valid environment variable name: use letters, digits and "_", not starting with a digit. Did you mean "_1X"?`],
      ],
    ],
    [
      "a consumer without a kubernetes section",
      { services: { a: { image, consumes: ["api"] } } },
      [["unknown-bridge", "services.a.consumes[0]", `"api" is not a declared bridge. Declare it under kubernetes.bridges.api`]],
    ],
    [
      "a consumer with no network, and one in a namespace without the host mapping",
      k8s(
        { services: { api }, bridges: { api: { service: "api", nodePort: 30080 } } },
        { services: { a: { image, networkMode: "none", consumes: ["api"] }, owner: { image, hostGateway: false }, side: { image, networkMode: "container:owner", consumes: ["api"] } } },
      ),
      [
        ["network-mode-conflict", "services.a.networkMode", `"none" has no network, so the bridges under consumes are unreachable. Remove consumes, or change networkMode`],
        ["network-mode-conflict", "services.side.networkMode", "shares the network namespace of services.owner, which does not map host.docker.internal (hostGateway: false), and Docker refuses extra hosts with container:X. Turn hostGateway on for services.owner, or have it consume the bridges"],
      ],
    ],
  ])("%s", (_name, declaration, expected) => {
    expect(issues(declaration)).toEqual(expected);
  });
});

describe("kubernetes section: shape errors", () => {
  it.each<[string, unknown, [string, string, string][]]>([
    [
      "a typo in a service key, with the others still checked",
      k8s({ services: { api: { imagee: image }, web: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 1 }] } } }),
      [
        ["missing-field", "kubernetes.services.api.image", "is required"],
        ["unknown-key", "kubernetes.services.api.imagee", `unknown key. Did you mean "image"?`],
        ["node-port-out-of-range", "kubernetes.services.web.ports[0].nodePort", "1 is outside the node port range 30000-32767. Leave nodePort out to let Kubernetes pick one"],
      ],
    ],
    [
      "closed sets and types",
      k8s({ services: { api: { ...api, type: "Nodeport", hostNetwork: "yes" } }, bridges: { b: { service: "api", via: "port-forward" } } }),
      [
        ["invalid-value", "kubernetes.bridges.b.via", `must be "nodePort" or "hostPort", got "port-forward"`],
        ["invalid-type", "kubernetes.services.api.hostNetwork", `must be true or false, got the string "yes"`],
        ["invalid-value", "kubernetes.services.api.type", `must be "ClusterIP", "NodePort" or "LoadBalancer", got "Nodeport". Did you mean "NodePort"?`],
      ],
    ],
    [
      "an unknown key in the section, a bridge referring to a broken service",
      k8s({ namespaces: "dev", services: { api: { image: 3 } }, bridges: { b: { service: "api", nodePort: 30080 } } }),
      [
        ["unknown-key", "kubernetes.namespaces", `unknown key. Did you mean "namespace"?`],
        ["invalid-type", "kubernetes.services.api.image", "must be a string, got number 3"],
      ],
    ],
    [
      "a typo in a bridge key: the rest is still checked",
      k8s({ services: { api }, bridges: { b: { service: "api", nodePortt: 30080 } } }),
      [
        ["missing-field", "kubernetes.bridges.b.nodePort", "is required: kubernetes.services.api.ports[0] has no fixed nodePort, and containers need the port before the Service exists. Pick one in 30000-32767"],
        ["unknown-key", "kubernetes.bridges.b.nodePortt", `unknown key. Did you mean "nodePort"?`],
      ],
    ],
    [
      "consumes entries of the wrong shape",
      k8s({}, { services: { a: { image, consumes: [3, { bridge: "x", envv: "A" }] } } }),
      [
        ["invalid-type", "services.a.consumes[0]", "must be a bridge key, or {bridge, env} to name the environment variable, got number 3"],
        ["unknown-key", "services.a.consumes[1].envv", `unknown key. Did you mean "env"?`],
      ],
    ],
  ])("%s", (_name, declaration, expected) => {
    expect(issues(declaration)).toEqual(expected);
  });
});

describe("kubernetes section: warnings", () => {
  it("replicas that bind a hostPort are warned about", () => {
    const declaration = k8s({ services: { a: { image, replicas: 2, ports: [{ port: 80, hostPort: 8080 }] }, b: { image, replicas: 3, hostNetwork: true, ports: [{ port: 9100 }] } } });
    expect(issues(declaration)).toEqual([]);
    expect(issues(declaration, "warning")).toEqual([
      ["port-clash", "kubernetes.services.a.replicas", "2 replicas each bind hostPort 8080/tcp: one node runs only one of them, so on a single-node cluster the others stay Pending. Use 1 replica, or reach the pods through the Service"],
      ["port-clash", "kubernetes.services.b.replicas", "3 replicas each bind port 9100/tcp on the node (hostNetwork): one node runs only one of them, so on a single-node cluster the others stay Pending. Use 1 replica, or reach the pods through the Service"],
    ]);
  });
});

describe("normalization", () => {
  it("applies the defaults and injects a consumed bridge", () => {
    const parsed = parseDeclaration(
      k8s(
        { services: { api: { ...api, labels: { tier: "backend" } } }, bridges: { api: { service: "api", nodePort: 30080 } } },
        { services: { hurl: { image: "hurl", hostGateway: false, consumes: ["api"] }, named: { image: "x", consumes: [{ bridge: "api", env: "CS_URL" }] } } },
      ),
    );
    const topology = normalizeTopology(parsed.raw, { namePrefix: "dev" });
    expect(topology.kubernetes).toEqual({
      namespace: "default",
      nodes: { kind: "host" },
      services: [
        expect.objectContaining({
          key: "api",
          name: "api",
          namespace: "default",
          type: "ClusterIP",
          replicas: 1,
          selector: { "app.kubernetes.io/name": "api" },
          labels: { "app.kubernetes.io/managed-by": "container-topology", "app.kubernetes.io/name": "api", tier: "backend" },
          ports: [{ index: 0, name: "http", port: 80, targetPort: 8080, protocol: "tcp" }],
          hostNetwork: false,
          clusterDns: "api.default.svc.cluster.local",
        }),
      ],
      bridges: [
        expect.objectContaining({
          key: "api",
          name: "api-bridge",
          serviceName: "api",
          servicePort: 80,
          targetPort: 8080,
          via: "nodePort",
          nodePort: 30080,
          createsService: true,
          exposedPort: 30080,
          bindAddress: "0.0.0.0",
          containerHost: "host.docker.internal",
          env: "API_URL",
          url: "http://host.docker.internal:30080",
          hostUrl: "http://localhost:30080",
        }),
      ],
    });
    const [hurl, named] = topology.services;
    expect(hurl).toMatchObject({
      env: { API_URL: "http://host.docker.internal:30080" },
      extraHosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
      hostGateway: false,
      consumes: [{ index: 0, bridge: "api", env: "API_URL", url: "http://host.docker.internal:30080", resolved: true }],
    });
    expect(named!.env).toEqual({ CS_URL: "http://host.docker.internal:30080" });
    expect(named!.extraHosts).toEqual([{ host: "host.docker.internal", ip: "host-gateway" }]);
  });

  it("reuses a NodePort service's own node port; a bind on another host address is dialled directly", () => {
    const parsed = parseDeclaration(k8s({ services: { api: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 30080 }] } }, bridges: { api: { service: "api", bindAddress: "192.0.2.2" } } }));
    const bridge = normalizeTopology(parsed.raw).kubernetes!.bridges[0]!;
    expect(bridge).toMatchObject({ createsService: false, nodePort: 30080, containerHost: "192.0.2.2", hostHost: "192.0.2.2", url: "http://192.0.2.2:30080" });
  });
});

describe("cluster reachability", () => {
  function edges(declaration: unknown): string[] {
    const parsed = parseDeclaration(declaration);
    const topology = normalizeTopology(parsed.raw, { namePrefix: "t" });
    return computeReachability(topology)
      .edges.filter((e) => e.to.startsWith("kubernetes."))
      .map((e) => `${e.from} -> ${e.to}:${e.port} ${e.via} ${e.host}`);
  }
  const clients = { client: { image }, agent: { image, networkMode: "host" }, off: { image, hostGateway: false }, iso: { image, networkMode: "none" } };

  it("a bridge on 0.0.0.0: the host on localhost, containers through host.docker.internal, host networking on localhost", () => {
    expect(edges(k8s({ services: { api }, bridges: { api: { service: "api", nodePort: 30080 } } }, { services: clients }))).toEqual([
      "host -> kubernetes.services.api:30080 published-port localhost",
      "services.agent -> kubernetes.services.api:30080 published-port localhost",
      "services.client -> kubernetes.services.api:30080 host-gateway host.docker.internal",
    ]);
  });

  it("a bridge on 127.0.0.1 is predicted unreachable from containers (and refused by validation)", () => {
    const declaration = k8s({ services: { api }, bridges: { api: { service: "api", nodePort: 30080, bindAddress: "127.0.0.1" } } }, { services: { client: { image, consumes: ["api"] } } });
    expect(edges(declaration)).toEqual(["host -> kubernetes.services.api:30080 published-port 127.0.0.1"]);
    expect(issues(declaration).map(([code]) => code)).toEqual(["loopback-bind"]);
  });

  it("node ports, hostPorts and hostNetwork pods of services, and a hostPort proxy on the gateway", () => {
    expect(
      edges(
        k8s(
          {
            services: {
              api: { ...api, type: "NodePort", ports: [{ ...http, nodePort: 30080 }] },
              web: { image, ports: [{ port: 80, hostPort: 8080, hostIP: "127.0.0.1" }] },
              node: { image, hostNetwork: true, ports: [{ port: 9100 }] },
            },
            bridges: { web: { service: "web", via: "hostPort", hostPort: 4000, bindAddress: "172.17.0.1" } },
          },
          { services: { client: { image } } },
        ),
      ),
    ).toEqual([
      "host -> kubernetes.services.api:30080 published-port localhost",
      "host -> kubernetes.services.node:9100 host-network localhost",
      "host -> kubernetes.services.web:4000 published-port 172.17.0.1",
      "host -> kubernetes.services.web:8080 published-port 127.0.0.1",
      "services.client -> kubernetes.services.api:30080 host-gateway host.docker.internal",
      "services.client -> kubernetes.services.node:9100 host-gateway host.docker.internal",
      "services.client -> kubernetes.services.web:4000 host-gateway host.docker.internal",
    ]);
  });
});
