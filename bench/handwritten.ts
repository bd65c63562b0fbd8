import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DeclarationOptions, DEFAULT_IMAGE, envOf, FIRST_HOST_PORT, memberships, networkKey, serviceKey, Shape } from "./declaration";

/** The label Topology puts on everything it owns; written out by hand here. */
const MANAGED = [{ label: "container-topology.io/managed", value: "true" }];

/**
 * The same Docker networks and containers as {@link makeDeclaration} renders
 * through Topology, written directly against @pulumi/docker the way a careful
 * user would: literal inputs, networks passed by their `name` output, the same
 * delete-before-replace and replace-with options. No validation, no model.
 * `subnets` (by network index) are the literals such a user would have written:
 * the declared ones and those Topology allocates from `addressPools`. `options` as for
 * {@link makeDeclaration} (bench:real runs a local image on free host ports).
 */
export function handwrittenProgram(shape: Shape, name: string, subnets: readonly string[], options: DeclarationOptions = {}): () => void {
  const image = options.image ?? DEFAULT_IMAGE;
  const firstHostPort = options.firstHostPort ?? FIRST_HOST_PORT;
  return () => {
    const stack = pulumi.getStack();
    const networks: docker.Network[] = [];
    for (let k = 0; k < shape.networks; k++) {
      const key = networkKey(k);
      networks.push(
        new docker.Network(
          `${name}-${key}`,
          {
            name: `${stack}-${key}`,
            driver: "bridge",
            ipamConfigs: [{ subnet: subnets[k]! }],
            internal: false,
            attachable: false,
            ipv6: false,
            labels: MANAGED,
          },
          { deleteBeforeReplace: true },
        ),
      );
    }
    for (let i = 0; i < shape.services; i++) {
      const key = serviceKey(i);
      const joined = memberships(i, shape);
      new docker.Container(
        `${name}-${key}`,
        {
          name: `${stack}-${key}`,
          image,
          envs: Object.entries(envOf(i)).map(([k, v]) => `${k}=${v}`),
          ports: [{ internal: 8080, external: firstHostPort + i, ip: "127.0.0.1", protocol: "tcp" }],
          networksAdvanced: joined.map((m) => ({
            name: networks[m.network]!.name,
            aliases: [key, m.alias],
            ...(m.ipv4Address ? { ipv4Address: m.ipv4Address } : {}),
          })),
          hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
          restart: "unless-stopped",
          labels: MANAGED,
          privileged: false,
        },
        { deleteBeforeReplace: true, replaceWith: joined.map((m) => networks[m.network]!) },
      );
    }
  };
}
