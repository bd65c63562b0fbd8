import { z } from "zod";
import { PathSegment } from "../paths";
import { hostMapping, isDeferred, portObject, shortOrObject, strict } from "../schema";
import { parseHostString, parsePortString } from "../short-syntax";
import { ClusterRegistryDeclaration } from "./registry";
import { BridgeVia, ClusterBridgeDeclaration, ClusterServiceType, RawClusterService, RawKubernetes } from "./types";

/**
 * zod schemas of the `kubernetes` section: shape only (types, keys, closed
 * sets). Ranges, names and references are the validation rules' job.
 */

const text = z.string().min(1);
const port = z.number().int();
const deferred = z.custom<never>((v) => isDeferred(v));
const stringMap = z.record(z.string(), z.string());
const stringList = z.array(text);

const clusterPort = strict({
  name: text.optional(),
  port,
  targetPort: port.optional(),
  nodePort: port.optional(),
  protocol: z.enum(["tcp", "udp", "sctp", "TCP", "UDP", "SCTP"]).optional(),
  appProtocol: text.optional(),
  hostPort: port.optional(),
  hostIP: text.optional(),
});

const readinessProbe = strict({
  port: z.union([port, text]).optional(),
  path: text.optional(),
  initialDelaySeconds: z.number().int().optional(),
  periodSeconds: z.number().int().optional(),
  failureThreshold: z.number().int().optional(),
});

/** One cluster service (`kubernetes.services.<key>`). */
export const clusterServiceSchema = strict({
  image: z.union([text, deferred]),
  name: text.optional(),
  namespace: text.optional(),
  type: z.enum(ClusterServiceType).optional(),
  ports: z.array(clusterPort).optional(),
  replicas: z.number().int().optional(),
  command: stringList.optional(),
  args: stringList.optional(),
  env: z.record(z.string(), z.union([z.string(), deferred])).optional(),
  labels: stringMap.optional(),
  selector: stringMap.optional(),
  hostAliases: z.array(shortOrObject(parseHostString, hostMapping, "host mapping")).optional(),
  hostNetwork: z.boolean().optional(),
  readinessProbe: readinessProbe.optional(),
});

/** One bridge (`kubernetes.bridges.<key>`). */
export const clusterBridgeSchema = strict({
  service: text,
  port: z.union([port, text]).optional(),
  via: z.enum(BridgeVia).optional(),
  nodePort: port.optional(),
  hostPort: port.optional(),
  bindAddress: text.optional(),
  env: text.optional(),
  scheme: text.optional(),
  name: text.optional(),
  proxyImage: text.optional(),
});

/** `kubernetes.registry`. */
export const clusterRegistrySchema = strict({
  name: text.optional(),
  namespace: text.optional(),
  createNamespace: z.boolean().optional(),
  image: text.optional(),
  storageSize: text.optional(),
  storageClassName: text.optional(),
  retainStorage: z.boolean().optional(),
  proxy: z.union([z.boolean(), strict({ hostPort: port.optional(), hostIp: text.optional(), name: text.optional(), image: text.optional() })]).optional(),
  localRegistryHosting: z.boolean().optional(),
  hostingHost: text.optional(),
  clusterDomain: text.optional(),
});

/** `kubernetes.nodes` as the node container and what it publishes. */
export const containerNodesSchema = strict({ container: text, network: text, ports: z.array(shortOrObject(parsePortString, portObject, "port mapping")).optional() });
/** `kubernetes.nodes`: `host`, or the node container (parsed by form, so a broken object names its own field). */
export const clusterNodesSchema = z.union([z.literal("host"), containerNodesSchema]);
const hostNodesSchema = z.literal("host");

/** The section itself; services and bridges are parsed one by one. */
export const kubernetesSchema = strict({
  kubeconfig: text.optional(),
  context: text.optional(),
  namespace: text.optional(),
  services: z.record(z.string(), z.unknown()).optional(),
  bridges: z.record(z.string(), z.unknown()).optional(),
  registry: z.unknown().optional(),
  nodes: z.unknown().optional(),
});

/** Runs a schema on a value at a path, collecting issues; undefined when it does not parse. */
export type SchemaRunner = <T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PathSegment[]) => T | undefined;

/** What parsing the section yields: the well-formed entries and every declared key. */
export interface KubernetesParse {
  /** Undefined when the declaration has no `kubernetes` section. */
  readonly raw?: RawKubernetes;
  /** Every service key declared, including entries whose shape is broken. */
  readonly services: ReadonlySet<string>;
  /** Every bridge key declared, including entries whose shape is broken. */
  readonly bridges: ReadonlySet<string>;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isDeferred(value);
}

/**
 * Runs the schema, reporting every issue; when the only top-level problem is
 * unknown keys (typos), keeps the entry without them, so its values still take
 * part in the semantic checks. Any other broken field drops the entry.
 */
function runKeepingTypos<T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PathSegment[], run: SchemaRunner): T | undefined {
  const parsed = run(schema, value, prefix);
  if (parsed !== undefined || !isMap(value)) return parsed;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const unknown = new Set<string>();
  for (const issue of result.error.issues) {
    if (issue.path.length > 0 || issue.code !== "unrecognized_keys") return undefined;
    for (const key of issue.keys) unknown.add(key);
  }
  const again = schema.safeParse(Object.fromEntries(Object.entries(value).filter(([key]) => !unknown.has(key))));
  return again.success ? again.data : undefined;
}

/**
 * Parses the `kubernetes` section entry by entry, so one broken service does
 * not hide the problems of the others. `run` reports issues at their path.
 */
export function parseKubernetes(value: unknown, run: SchemaRunner): KubernetesParse {
  if (value === undefined) return { services: new Set(), bridges: new Set() };
  const section = run(kubernetesSchema, value, ["kubernetes"]);
  const source = (section ?? (isMap(value) ? value : {})) as { services?: unknown; bridges?: unknown; registry?: unknown; nodes?: unknown };
  const serviceEntries = isMap(source.services) ? Object.entries(source.services) : [];
  const bridgeEntries = isMap(source.bridges) ? Object.entries(source.bridges) : [];
  const services: Record<string, RawClusterService> = {};
  for (const [key, entry] of serviceEntries) {
    const parsed = runKeepingTypos(clusterServiceSchema as unknown as z.ZodType<RawClusterService>, entry, ["kubernetes", "services", key], run);
    if (parsed) services[key] = parsed;
  }
  const bridges: Record<string, ClusterBridgeDeclaration> = {};
  for (const [key, entry] of bridgeEntries) {
    const parsed = runKeepingTypos(clusterBridgeSchema as z.ZodType<ClusterBridgeDeclaration>, entry, ["kubernetes", "bridges", key], run);
    if (parsed) bridges[key] = parsed;
  }
  const registry = source.registry === undefined ? undefined : runKeepingTypos(clusterRegistrySchema as z.ZodType<ClusterRegistryDeclaration>, source.registry, ["kubernetes", "registry"], run);
  const rawNodes = source.nodes;
  const nodes =
    rawNodes === undefined ? undefined : isMap(rawNodes) ? run(containerNodesSchema as z.ZodType<NonNullable<RawKubernetes["nodes"]>>, rawNodes, ["kubernetes", "nodes"]) : run(hostNodesSchema, rawNodes, ["kubernetes", "nodes"]);
  const raw: RawKubernetes = {
    ...(section?.kubeconfig !== undefined ? { kubeconfig: section.kubeconfig } : {}),
    ...(section?.context !== undefined ? { context: section.context } : {}),
    ...(section?.namespace !== undefined ? { namespace: section.namespace } : {}),
    services,
    bridges,
    ...(registry ? { registry } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
  };
  return { raw, services: new Set(serviceEntries.map(([k]) => k)), bridges: new Set(bridgeEntries.map(([k]) => k)) };
}
