/**
 * Pulumi Outputs (and Promises) where a plain value is required: the fields
 * the pipeline branches on (subnets, ports, network references, modes, names)
 * decide what gets created, so a value known only at deployment is refused with
 * one clear issue (code deferred-value) naming the field; never a stack trace,
 * a zod echo ("must not be empty") or the Output's internals read as unknown
 * keys. Outputs stay fine for pass-through values: the image and env values.
 */
import * as pulumi from "@pulumi/pulumi";
import { runOnMocks, valueOf } from "../../cli/mock-runtime";
import { BridgeNetwork, PublishedService, PublishedServiceArgs } from "../../components/docker";
import { TopologyResourceError } from "../../components/docker/validation";
import { checkTopology } from "../../model/check";
import { IssueCode, TopologyError } from "../../model/errors";
import { Topology } from "../../components/topology";
import { resource, T } from "./support";

const image = "container-topology/probe:local";
/** A value known only at deployment, built the way a program builds one. */
const later = <T>(value: T) => pulumi.output(value);

type Case = readonly [path: string, declaration: () => unknown];

const cases: readonly Case[] = [
  ["", () => later({ services: {} })],
  ["networks", () => ({ networks: later({ dev: {} }) })],
  ["networks.dev", () => ({ networks: { dev: later({ subnet: "172.30.0.0/24" }) } })],
  ["networks.dev.driver", () => ({ networks: { dev: { driver: later("macvlan"), parent: "eth0" } } })],
  ["networks.dev.subnet", () => ({ networks: { dev: { subnet: later("172.30.0.0/24") } } })],
  ["networks.dev.subnet", () => ({ networks: { dev: { subnet: Promise.resolve("172.30.0.0/24") } } })],
  ["networks.dev.gateway", () => ({ networks: { dev: { subnet: "172.30.0.0/24", gateway: later("172.30.0.1") } } })],
  ["networks.dev.mtu", () => ({ networks: { dev: { mtu: later(1500) } } })],
  ["networks.dev.labels.team", () => ({ networks: { dev: { labels: { team: later("web") } } } })],
  ["networks.lan.parent", () => ({ networks: { lan: { driver: "macvlan", parent: later("eth0") } } })],
  ["services.web", () => ({ services: { web: later({ image }) } })],
  ["services.web.name", () => ({ services: { web: { image, name: later("web") } } })],
  ["services.web.ports", () => ({ services: { web: { image, ports: later(["8080:80"]) } } })],
  ["services.web.ports[0]", () => ({ services: { web: { image, ports: [later("8080:80")] } } })],
  ["services.web.ports[0].published", () => ({ services: { web: { image, ports: [{ target: 80, published: later(8080) }] } } })],
  ["services.web.ports[1].hostIp", () => ({ services: { web: { image, ports: ["8080:80", { target: 81, hostIp: later("0.0.0.0") }] } } })],
  ["services.web.expose[0]", () => ({ services: { web: { image, expose: [later(9000)] } } })],
  ["services.web.networks", () => ({ networks: { dev: {} }, services: { web: { image, networks: later(["dev"]) } } })],
  ["services.web.networks[0]", () => ({ networks: { dev: {} }, services: { web: { image, networks: [later("dev")] } } })],
  ["services.web.networks.dev", () => ({ networks: { dev: {} }, services: { web: { image, networks: { dev: later({}) } } } })],
  ["services.web.networks.dev.aliases[0]", () => ({ networks: { dev: {} }, services: { web: { image, networks: { dev: { aliases: [later("www")] } } } } })],
  ["services.web.networks.dev.ipv4Address", () => ({ networks: { dev: { subnet: "172.30.0.0/24" } }, services: { web: { image, networks: { dev: { ipv4Address: later("172.30.0.10") } } } } })],
  ["services.web.networkMode", () => ({ services: { web: { image, networkMode: later("host") } } })],
  ["services.web.extraHosts[0]", () => ({ services: { web: { image, extraHosts: [later("db:10.0.0.5")] } } })],
  ["services.web.command[0]", () => ({ services: { web: { image, command: [later("httpd")] } } })],
  ["services.web.env", () => ({ services: { web: { image, env: later({ MODE: "dev" }) } } })],
  ["services.web.hostGateway", () => ({ services: { web: { image, hostGateway: later(false) } } })],
  ["hostServices.forward.port", () => ({ hostServices: { forward: { address: "0.0.0.0", port: later(4000) } } })],
  ["addressPools[0].base", () => ({ addressPools: [{ base: later("10.200.0.0/16") }] })],
  ["defaultBridge.subnet", () => ({ defaultBridge: { subnet: later("172.17.0.0/16") } })],
];

const MESSAGE = "is a pulumi Output or Promise, but this field decides what gets created and must be a plain value";

describe("an Output or Promise where a plain value is required", () => {
  it.each(cases.map(([path, declaration], i) => [path || "(the whole declaration)", i, declaration] as const))("%s (#%s)", async (_label, i, declaration) => {
    const path = cases[i]![0];
    const { value: thrown } = await runOnMocks(() => {
      try {
        checkTopology(declaration());
      } catch (err) {
        return err;
      }
      return undefined;
    });
    expect(TopologyError.isInstance(thrown)).toBe(true);
    const error = thrown as TopologyError;
    // One issue: the field, with its code; nothing the Output drags along.
    expect(error.issues.map((x) => [x.code, x.path])).toEqual([[IssueCode.DeferredValue, path]]);
    expect(error.issues[0]!.message).toContain(MESSAGE);
    expect(error.issues[0]!.message).toContain("only image and env values may be Outputs");
    expect(error.message).toBe(`invalid topology: 1 error\n  ${path || "topology"}: ${error.issues[0]!.message}`);
    expect(error.message).not.toMatch(/toJSON|Calling \[|\n\s+at /);
  });

  it("is reported beside the other problems of the declaration, at the config path, by the Topology component", async () => {
    const { value: thrown, resources } = await runOnMocks(() => {
      try {
        new Topology("app", {
          source: "container-topology:topology",
          declaration: { networks: { dev: { subnet: later("172.30.0.0/24") } }, services: { web: { image, ports: ["70000:80"], networks: ["dev", "lan"] } } },
        });
      } catch (err) {
        return err;
      }
      return undefined;
    });
    expect(pulumi.ResourceError.isInstance(thrown)).toBe(true);
    // The network with a deferred subnet is left out, so its attachment is not reported as unknown.
    expect((thrown as TopologyResourceError).issues.map((x) => [x.code, x.path])).toEqual([
      ["deferred-value", "networks.dev.subnet"],
      ["unknown-network", "services.web.networks.lan"],
      ["port-out-of-range", "services.web.ports[0].published"],
    ]);
    expect((thrown as Error).message).toContain(`container-topology:topology.networks.dev.subnet: ${MESSAGE}`);
    expect(resources.filter((r) => r.custom)).toEqual([]);
  });

  it("is refused by the components too, naming the argument", async () => {
    const { value } = await runOnMocks(() => {
      const caught: unknown[] = [];
      try {
        new BridgeNetwork("dev", { subnet: later("172.30.0.0/24") as unknown as string });
      } catch (err) {
        caught.push(err);
      }
      try {
        new PublishedService("web", { image, ports: [{ target: 80, published: later(8080) as unknown as number }] } as PublishedServiceArgs);
      } catch (err) {
        caught.push(err);
      }
      return caught;
    });
    expect(value).toHaveLength(2);
    const [network, service] = value as TopologyResourceError[];
    expect(network!.issues.map((x) => [x.code, x.path])).toEqual([["deferred-value", "subnet"]]);
    expect(network!.message).toContain(`subnet: ${MESSAGE}`);
    expect(service!.issues.map((x) => [x.code, x.path])).toEqual([["deferred-value", "ports[0].published"]]);
    expect(service!.message).toContain(`ports[0].published: ${MESSAGE}`);
  });
});

describe("Outputs in pass-through fields", () => {
  it("are accepted for the image and env values, and reach the container once resolved", async () => {
    const { resources, value } = await runOnMocks(() => {
      const topology = new Topology("app", {
        declaration: {
          networks: { dev: { subnet: "172.30.0.0/24" } },
          services: {
            web: { image: later(image), env: { MODE: later("dev"), TOKEN: pulumi.secret("s3cret"), PLAIN: "x", LATER: Promise.resolve("p") }, ports: ["8080:80"], networks: ["dev"] },
          },
        },
      });
      return topology;
    }, { stack: "dev" });
    const web = resource(resources, T.container, "app-web");
    expect(web.inputs.image).toBe(image);
    // One secret value keeps the whole env list secret on its way to the provider.
    expect(pulumi.Output.isInstance(web.inputs.envs)).toBe(false);
    expect(web.inputs.envs).toMatchObject({ value: ["MODE=dev", "TOKEN=s3cret", "PLAIN=x", "LATER=p"] });
    expect(await valueOf(value.services.web!.containerName)).toBe("dev-web");
  });

  it("are accepted by checkTopology without resolving them", () => {
    const { topology, warnings } = checkTopology({ services: { web: { image: later(image), env: { A: later("1") } } } });
    expect(warnings).toEqual([]);
    expect(pulumi.Output.isInstance(topology.services[0]!.image)).toBe(true);
  });
});
