/**
 * Connection intents: what a service says it connects to (`connects`, URLs and host:port pairs in its
 * environment) checked against computeReachability, with the reason and the fix when it cannot work.
 */
import { checkTopology } from "../../../model/check";
import { TopologyError } from "../../../model/errors";
import { readEndpoint } from "../../../model/intents/read";

const img = "container-topology/probe:local";

function issuesOf(declaration: unknown): string[] {
  try {
    return checkTopology(declaration, { namePrefix: "t" }).warnings.map((w) => `${w.severity} ${w.code} ${w.path}: ${w.message}`);
  } catch (err) {
    if (!TopologyError.isInstance(err)) throw err;
    return err.issues.map((w) => `${w.severity} ${w.code} ${w.path}: ${w.message}`);
  }
}

describe("connection intents", () => {
  it.each([
    [
      "the seeds' case: a database URL to a host listener on 127.0.0.1",
      { hostServices: { pg: { address: "127.0.0.1", port: 5432 } }, services: { app: { image: img, env: { DATABASE_URL: "postgres://host.docker.internal:5432/app" } } } },
      ['error unreachable-intent services.app.env.DATABASE_URL: "postgres://host.docker.internal:5432/app" cannot connect: hostServices.pg listens on 127.0.0.1:5432, the host\'s loopback: containers never reach it. Fix: bind it on 0.0.0.0 or on the bridge gateway 172.17.0.1 (for a port-forward: kubectl port-forward --address 0.0.0.0)'],
    ],
    [
      "localhost inside a container",
      { hostServices: { fwd: { address: "0.0.0.0", port: 4000 } }, services: { app: { image: img, env: { API_URL: "http://localhost:4000" } } } },
      ['error unreachable-intent services.app.env.API_URL: "http://localhost:4000" cannot connect: inside a container, localhost is the container itself, not the host: services.app declares nothing on 4000. Fix: call host.docker.internal:4000 (toContainerUrl rewrites localhost URLs)'],
    ],
    [
      "a target only on another network",
      { networks: { a: {}, b: {} }, services: { app: { image: img, networks: ["a"], env: { DB: "db:5432" } }, db: { image: img, expose: [5432], networks: ["b"] } } },
      ['error unreachable-intent services.app.env.DB: "db:5432" cannot connect: db answers on networks.b only, and services.app is not on it. Fix: add b to services.app.networks'],
    ],
    [
      "a port the target does not declare (the scheme's default port)",
      { networks: { a: {} }, services: { app: { image: img, networks: ["a"], env: { CACHE: "redis://cache" } }, cache: { image: img, expose: [6380], networks: ["a"] } } },
      ['error unreachable-intent services.app.env.CACHE: "redis://cache" cannot connect: services.cache declares no port 6379 (it declares 6380). Fix: add 6379 to services.cache.expose, or call one of its declared ports'],
    ],
    [
      "a name lookup on the default bridge",
      { services: { app: { image: img, env: { W: "http://web:80" } }, web: { image: img, expose: [80] } } },
      ['error unreachable-intent services.app.env.W: "http://web:80" cannot connect: services.app is on the default bridge, which has no DNS: the name web does not resolve there. Fix: declare a network and put both services on it'],
    ],
    [
      "a port published on 127.0.0.1 dialled through host.docker.internal",
      { networks: { a: {}, b: {} }, services: { app: { image: img, networks: ["a"], connects: ["host.docker.internal:8080"] }, web: { image: img, ports: ["127.0.0.1:8080:80"], networks: ["b"] } } },
      ['error unreachable-intent services.app.connects[0]: "host.docker.internal:8080" cannot connect: services.web publishes 8080 on 127.0.0.1 only; host.docker.internal reaches published ports bound to 0.0.0.0 or the gateway 172.17.0.1. Fix: join a network services.web is on and call web:80, or publish on 172.17.0.1'],
    ],
    [
      "icc off, marked optional: a warning",
      { networks: { a: { icc: false } }, services: { app: { image: img, networks: ["a"], connects: [{ to: "web:80", optional: true }] }, web: { image: img, expose: [80], networks: ["a"] } } },
      ['warning unreachable-intent services.app.connects[0]: "web:80" cannot connect: networks.a sets icc: false: containers on it cannot reach each other. Fix: remove icc: false from networks.a, or use another network'],
    ],
    [
      "hostGateway turned off",
      { hostServices: { fwd: { address: "0.0.0.0", port: 4000 } }, services: { app: { image: img, hostGateway: false, connects: ["hostServices.fwd"] } } },
      ['error unreachable-intent services.app.connects[0]: "hostServices.fwd" cannot connect: services.app has no host.docker.internal entry (hostGateway: false). Fix: remove hostGateway: false from services.app'],
    ],
    [
      "a connects entry that names no endpoint",
      { services: { app: { image: img, connects: ["nowhere"] } } },
      ['error invalid-value services.app.connects[0]: "nowhere" names no endpoint. Write host:port, a URL (http, https, postgres, mysql, redis, amqp, mongodb, grpc), or hostServices.<key>'],
    ],
  ])("%s", (_title, declaration, expected) => {
    expect(issuesOf(declaration)).toEqual(expected);
  });

  it.each([
    ["what works: a host service on 0.0.0.0, a service and its alias, an external URL", { networks: { a: {} }, hostServices: { fwd: { address: "0.0.0.0", port: 4000 } }, services: { app: { image: img, networks: ["a"], connects: ["hostServices.fwd", "web:80"], env: { X: "http://example.com:80", Y: "http://www:80" } }, web: { image: img, expose: [80], networks: { a: { aliases: ["www"] } } } } }],
    ["a variable opted out", { services: { app: { image: img, envIntents: { ignore: ["API"] }, env: { API: "http://localhost:4000" } } } }],
    ["the environment not read at all", { services: { app: { image: img, envIntents: false, env: { API: "http://localhost:4000" } } } }],
    ["localhost to a port of the container's own namespace", { services: { app: { image: img, expose: [9000], env: { SELF: "http://localhost:9000" } }, side: { image: img, networkMode: "container:app", env: { APP: "localhost:9000" } } } }],
  ])("no issue: %s", (_title, declaration) => {
    expect(issuesOf(declaration)).toEqual([]);
  });

  it.each([
    ["postgres://user:pw@db:5433/app?sslmode=off", { host: "db", port: 5433 }],
    ["postgresql://db/app", { host: "db", port: 5432 }],
    ["https://API.internal", { host: "api.internal", port: 443 }],
    ["mongodb://mongo", { host: "mongo", port: 27017 }],
    ["amqp://guest:guest@rabbit", { host: "rabbit", port: 5672 }],
    ["http://[::1]:8080/x", { host: "::1", port: 8080 }],
    ["cache:6379", { host: "cache", port: 6379 }],
    ["grpc://svc", undefined],
    ["ftp://files:21", undefined],
    ["just text", undefined],
  ])("reads %s", (text, expected) => {
    expect(readEndpoint(text)).toEqual(expected);
  });
});
