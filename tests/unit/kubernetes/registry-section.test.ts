import { issues } from "./support-issues";
import { normalizeTopology } from "../../../model/normalize";
import { parseDeclaration } from "../../../model/parse";
import { normalizeClusterRegistry } from "../../../model/kubernetes/registry";
import { providerArgs, expandHome } from "../../../components/kubernetes/cluster-section";
import * as os from "node:os";
import { computeReachability } from "../../../model/reachability";


describe("kubernetes.registry", () => {
  it("minikube's addon (kube-system, proxy on 5000) passes and is normalized with the ClusterRegistry defaults", () => {
    const declaration = { kubernetes: { kubeconfig: "~/.kube/config", registry: { namespace: "kube-system", proxy: { hostPort: 5000 }, hostingHost: "localhost:5000" } } };
    expect(issues(declaration)).toEqual([]);
    const topology = normalizeTopology(parseDeclaration(declaration).raw);
    const { declared, ...registry } = topology.kubernetes!.registry!;
    expect(declared).toEqual(declaration.kubernetes.registry);
    expect(registry).toEqual({
      name: "registry",
      namespace: "kube-system",
      createNamespace: false,
      image: "registry:2",
      storageSize: "10Gi",
      retainStorage: true,
      proxy: { hostPort: 5000, name: "registry-proxy", image: "alpine/socat:1.8.0.0" },
      localRegistryHosting: true,
      hostingHost: "localhost:5000",
      clusterDomain: "cluster.local",
    });
    expect(topology.kubernetes!.kubeconfig).toBe("~/.kube/config");
  });

  it("creates its own namespace by default, never a built-in one; proxy: false renders none", () => {
    expect(normalizeClusterRegistry({}).createNamespace).toBe(true);
    expect(normalizeClusterRegistry({ namespace: "default" }).createNamespace).toBe(false);
    expect(normalizeClusterRegistry({ namespace: "tools", createNamespace: false }).createNamespace).toBe(false);
    expect(normalizeClusterRegistry({ proxy: false }).proxy).toBeUndefined();
  });

  it("reports every problem at once, with its path", () => {
    const declaration = {
      kubernetes: {
        registry: { name: "Registry", namespace: "kube-system", createNamespace: true, storageSize: "ten gigs", proxy: { hostPort: 70000, hostIp: "localhost", name: "-proxy" }, hostingHost: "http://localhost:5000" },
      },
    };
    expect(issues(declaration).map(([code, path]) => [code, path])).toEqual([
      ["invalid-value", "kubernetes.registry.createNamespace"],
      ["invalid-value", "kubernetes.registry.hostingHost"],
      ["invalid-name", "kubernetes.registry.name"],
      ["invalid-ip", "kubernetes.registry.proxy.hostIp"],
      ["port-out-of-range", "kubernetes.registry.proxy.hostPort"],
      ["invalid-name", "kubernetes.registry.proxy.name"],
      ["invalid-value", "kubernetes.registry.storageSize"],
    ]);
    expect(issues(declaration).find(([, path]) => path === "kubernetes.registry.createNamespace")![2]).toBe(
      'namespace "kube-system" exists in every cluster: creating it fails. Remove createNamespace (it defaults to false there)',
    );
  });

  it("a typo is reported and the rest of the entry is still checked", () => {
    expect(issues({ kubernetes: { registry: { hostport: 5000, storageSize: "x" } } }).map(([code, path]) => [code, path])).toEqual([
      ["unknown-key", "kubernetes.registry.hostport"],
      ["invalid-value", "kubernetes.registry.storageSize"],
    ]);
  });

  it("its proxy's hostPort clashes with a service's hostPort on the node", () => {
    const declaration = { kubernetes: { services: { web: { image: "w", ports: [{ port: 80, hostPort: 5001 }] } }, registry: {} } };
    expect(issues(declaration)).toEqual([
      ["port-clash", "kubernetes.registry.proxy", "0.0.0.0:5001/tcp clashes with 0.0.0.0:5001/tcp of kubernetes.services.web.ports[0]: pods on one node cannot both bind it. Use another hostPort or hostIP"],
    ]);
  });

  it("its Service name clashes with a cluster service's in the same namespace", () => {
    const declaration = { kubernetes: { namespace: "tools", services: { registry: { image: "r", ports: [{ port: 80 }] } }, registry: { namespace: "tools" } } };
    expect(issues(declaration)).toEqual([
      ["duplicate-name", "kubernetes.registry", 'the Kubernetes name "registry" is also the name of kubernetes.services.registry in namespace "tools": names are unique in a namespace. Set a different name'],
    ]);
  });
});

describe("the registry's node proxy in the reachability", () => {
  it("the host and containers reach it at hostPort (through the gateway); a kind node must publish it", () => {
    const declaration = (nodes?: unknown) => ({ services: { hurl: { image: "hurl" } }, kubernetes: { ...(nodes ? { nodes } : {}), registry: { namespace: "kube-system", proxy: { hostPort: 5000 } } } });
    const edges = (d: unknown) => computeReachability(normalizeTopology(parseDeclaration(d).raw)).edges.filter((e) => e.to === "kubernetes.registry").map((e) => `${e.from} -> ${e.host}:${e.port} (${e.via})`);
    expect(edges(declaration())).toEqual(["host -> localhost:5000 (published-port)", "services.hurl -> host.docker.internal:5000 (host-gateway)"]);
    expect(edges(declaration({ container: "kind-control-plane", network: "kind" }))).toEqual([]);
    expect(edges(declaration({ container: "kind-control-plane", network: "kind", ports: ["127.0.0.1:5001:5000"] }))).toEqual(["host -> 127.0.0.1:5001 (published-port)"]);
  });
});

describe("the section's kubernetes provider", () => {
  it("takes the kubeconfig path (home expanded) and the context; nothing when neither is declared", () => {
    const base = { namespace: "default", services: [], bridges: [], nodes: { kind: "host" as const } };
    expect(providerArgs(base)).toBeUndefined();
    expect(providerArgs({ ...base, kubeconfig: "~/.kube/config", context: "minikube" })).toEqual({ kubeconfig: `${os.homedir()}/.kube/config`, context: "minikube" });
    expect(providerArgs({ ...base, context: "kind-dev" })).toEqual({ context: "kind-dev" });
    expect(expandHome("/tmp/x/kubeconfig")).toBe("/tmp/x/kubeconfig");
  });
});
