/**
 * The JSON Schema of a declaration, generated from the zod schemas parse uses, for editors (the YAML
 * language server) and other tools. It describes shape only, as parse does: types, keys, closed sets,
 * short syntax. Values (addresses, ranges, references) are the validation rules' job, so a file the
 * schema accepts can still fail `container-topology check`.
 */
import { clusterBridgeSchema, clusterNodesSchema, clusterRegistrySchema, clusterServiceSchema, kubernetesSchema } from "./kubernetes/schema";
import { inputJsonSchema, networkSchemas, registrySchema, serviceSchema, topologySchema } from "./schema";

/** Where the schema is published in the repository and in the npm package. */
export const STACK_SCHEMA_FILE = "schema/stack.schema.json";

type Json = Record<string, unknown>;
const mapOf = (ref: string): Json => ({ type: "object", additionalProperties: { $ref: ref } });

/** The declaration under `container-topology:topology` (JSON Schema draft 2020-12). */
export function topologyJsonSchema(): Json {
  const top = inputJsonSchema(topologySchema) as { properties: Record<string, Json> };
  const kubernetes = inputJsonSchema(kubernetesSchema) as { properties: Record<string, Json> };
  return {
    ...top,
    properties: {
      ...top.properties,
      networks: { ...mapOf("#/$defs/network"), description: "Docker networks by key; the driver picks the fields that apply" },
      services: { ...mapOf("#/$defs/service"), description: "Containers by key" },
      registries: { ...mapOf("#/$defs/registry"), description: "Local image registries by key" },
      kubernetes: {
        ...kubernetes,
        properties: { ...kubernetes.properties, services: mapOf("#/$defs/clusterService"), bridges: mapOf("#/$defs/clusterBridge"), registry: { $ref: "#/$defs/clusterRegistry" }, nodes: { $ref: "#/$defs/clusterNodes" } },
      },
    },
  };
}

/** The whole `Pulumi.<stack>.yaml`: Pulumi's own keys, and the declaration under `config`. */
export function stackJsonSchema(): Json {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Pulumi.<stack>.yaml of a container-topology stack",
    type: "object",
    properties: {
      config: {
        type: "object",
        properties: {
          "container-topology:topology": { $ref: "#/$defs/topology" },
          "container-topology:preflight": { type: "boolean", description: "Check the declaration against the live Docker engine and this host at every preview (as plan --engine); errors fail the preview" },
        },
        description: "Stack configuration; the topology is declared under container-topology:topology",
      },
    },
    $defs: {
      topology: topologyJsonSchema(),
      network: { anyOf: Object.values(networkSchemas).map((schema) => inputJsonSchema(schema)) },
      service: inputJsonSchema(serviceSchema),
      registry: inputJsonSchema(registrySchema),
      clusterService: inputJsonSchema(clusterServiceSchema),
      clusterBridge: inputJsonSchema(clusterBridgeSchema),
      clusterRegistry: inputJsonSchema(clusterRegistrySchema),
      clusterNodes: inputJsonSchema(clusterNodesSchema),
    },
  };
}
