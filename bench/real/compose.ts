/**
 * `check_over_compose_config_1000`: the pure check of a 1,000-service stack file against Compose's own
 * validation (`config -q`) of the equivalent Compose file, both generated here, with a few semantic
 * errors planted that Compose accepts and Docker refuses later (or never notices).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { declaredSubnet, envOf, FIRST_HOST_PORT, memberships, networkKey, serviceKey, Shape } from "../declaration";
import { TopologyDeclaration } from "../../model/types";

/** How to run Compose's check of a file: the command and the words before the file. */
export interface Compose {
  /** `docker compose` (v2, the CLI plugin) or `docker-compose` (v1). */
  readonly command: string;
  readonly args: readonly string[];
  /** What `version` printed. */
  readonly version: string;
}

/** Compose v2 as a docker CLI plugin, else Debian's docker-compose (v1); undefined when neither runs. */
export function findCompose(): Compose | undefined {
  const v2 = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
  if (v2.status === 0) return { command: "docker", args: ["compose"], version: v2.stdout.trim().split("\n")[0]! };
  const v1 = spawnSync("docker-compose", ["version", "--short"], { encoding: "utf8" });
  if (v1.status === 0) return { command: "docker-compose", args: [], version: `docker-compose ${v1.stdout.trim()} (v1, Python)` };
  return undefined;
}

/** What to tell a user without Compose. */
export const COMPOSE_MISSING = [
  "bench:real compares `check` with Compose's own `config -q`, and no Compose was found (neither `docker compose` nor `docker-compose`).",
  "Install one, then run bench:real again:",
  "  apt-get install -y docker-compose      # Debian's Compose v1 (Python)",
  "  or Compose v2 built from the github.com/docker/compose/v2 Go module, as ~/.docker/cli-plugins/docker-compose",
].join("\n");

/** A planted error: the path `check` must report, and why Compose lets it through. */
export interface Planted {
  readonly path: string;
  readonly what: string;
}

/** The generated pair: a stack declaration and the Compose file that declares the same. */
export interface ComposePair {
  readonly declaration: TopologyDeclaration;
  readonly compose: Record<string, unknown>;
  readonly planted: readonly Planted[];
}

/**
 * N services over N/10 networks, every network with its own /24 (Compose needs an IPAM subnet for a
 * static address), the same services as the program benchmarks (bench/declaration.ts: env, one
 * published port each, aliases, static addresses on even networks), and four errors Compose accepts:
 * a host port published twice, a static address outside its subnet, one address given to two
 * services, and two networks on overlapping subnets.
 */
export function composePair(shape: Shape, image: string): ComposePair {
  const subnets = Array.from({ length: shape.networks }, (_, k) => declaredSubnet(k));
  subnets[3] = subnets[2]!; // planted: net-0003 overlaps net-0002
  const networks: Record<string, { subnet: string }> = {};
  const composeNetworks: Record<string, unknown> = {};
  for (let k = 0; k < shape.networks; k++) {
    networks[networkKey(k)] = { subnet: subnets[k]! };
    composeNetworks[networkKey(k)] = { ipam: { config: [{ subnet: subnets[k] }] } };
  }
  const services: Record<string, { image: string; env: Record<string, string>; ports: string[]; networks: Record<string, { aliases: string[]; ipv4Address?: string }> }> = {};
  for (let i = 0; i < shape.services; i++) {
    services[serviceKey(i)] = {
      image,
      env: envOf(i),
      ports: [`127.0.0.1:${FIRST_HOST_PORT + i}:8080`],
      networks: Object.fromEntries(memberships(i, shape).map((m) => [networkKey(m.network), { aliases: [m.alias], ...(m.ipv4Address ? { ipv4Address: m.ipv4Address } : {}) }])),
    };
  }
  // Planted: a host port published twice (service 1 on service 0's), an address outside its subnet, a duplicate address.
  services[serviceKey(1)]!.ports = [`127.0.0.1:${FIRST_HOST_PORT}:8080`];
  const outside = serviceKey(2 * shape.networks); // on net-0000 (even: static address)
  services[outside]!.networks[networkKey(0)]!.ipv4Address = "10.99.0.10";
  const twice = serviceKey(4 * shape.networks);
  services[twice]!.networks[networkKey(0)]!.ipv4Address = services[serviceKey(0)]!.networks[networkKey(0)]!.ipv4Address!;
  const planted: Planted[] = [
    { path: `services.${serviceKey(1)}.ports[0].published`, what: "a host port published twice (Docker refuses the second container at start)" },
    { path: `services.${outside}.networks.${networkKey(0)}.ipv4Address`, what: "a static address outside its network's subnet" },
    { path: `services.${twice}.networks.${networkKey(0)}.ipv4Address`, what: "one static address given to two services" },
    { path: `networks.${networkKey(3)}.subnet`, what: "two networks on overlapping subnets (Docker refuses the second network)" },
  ];
  const composeServices = Object.fromEntries(
    Object.entries(services).map(([key, s]) => [
      key,
      {
        image: s.image,
        environment: s.env,
        ports: s.ports,
        networks: Object.fromEntries(Object.entries(s.networks).map(([net, a]) => [net, { aliases: a.aliases, ...(a.ipv4Address ? { ipv4_address: a.ipv4Address } : {}) }])),
      },
    ]),
  );
  return { declaration: { networks, services }, compose: { services: composeServices, networks: composeNetworks }, planted };
}

/** The files of a pair in a fresh directory: Pulumi.yaml, Pulumi.<stack>.yaml and compose.yaml. */
export function writePair(pair: ComposePair, stack: string): { dir: string; stackFile: string; composeFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "benchr-check-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: benchr-check\nruntime: nodejs\n");
  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(stackFile, stringify({ config: { "container-topology:topology": pair.declaration } }));
  const composeFile = path.join(dir, "compose.yaml");
  fs.writeFileSync(composeFile, stringify(pair.compose));
  return { dir, stackFile, composeFile };
}
