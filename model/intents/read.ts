/**
 * Reading connection intents: `connects` entries and environment values that are URLs or
 * `host:port` pairs naming something the declaration knows (a service, an alias, a registry, a host
 * service, `host.docker.internal`, or `localhost`, which inside a container is the container).
 */
import { networkAliases } from "../names";
import { joinPath } from "../paths";
import { HOST_DOCKER_INTERNAL, TopologySpec } from "../types";
import { Intent } from "./types";

/** Default ports of the URL schemes read as intents. */
export const SCHEME_PORTS: Readonly<Record<string, number | undefined>> = {
  http: 80,
  https: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  redis: 6379,
  rediss: 6379,
  amqp: 5672,
  amqps: 5671,
  mongodb: 27017,
  grpc: undefined,
};

const URL_FORM = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d{1,5}))?(?:[/?#].*)?$/i;
const HOST_PORT = /^(\[[^\]]+\]|[a-zA-Z0-9][a-zA-Z0-9_.-]*):(\d{1,5})$/;
/** Names that, inside a container, mean the container itself. */
export const LOOPBACK_NAMES: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** `{host, port}` of a URL or a `host:port` pair; undefined when it is neither, or names no port. */
export function readEndpoint(text: string): { host: string; port: number } | undefined {
  const url = URL_FORM.exec(text.trim());
  if (url) {
    const scheme = url[1]!.toLowerCase();
    if (!(scheme in SCHEME_PORTS)) return undefined;
    const port = url[3] !== undefined ? Number(url[3]) : SCHEME_PORTS[scheme];
    return port === undefined ? undefined : { host: url[2]!.replace(/^\[(.*)\]$/, "$1").toLowerCase(), port };
  }
  const pair = HOST_PORT.exec(text.trim());
  return pair ? { host: pair[1]!.replace(/^\[(.*)\]$/, "$1").toLowerCase(), port: Number(pair[2]) } : undefined;
}

/** Every name a container might dial that the declaration knows. */
export function knownNames(topology: TopologySpec): Set<string> {
  const names = new Set<string>([HOST_DOCKER_INTERNAL, ...LOOPBACK_NAMES]);
  for (const s of topology.services) {
    names.add(s.key.toLowerCase());
    names.add(s.dockerName.toLowerCase());
    for (const a of s.attachments) for (const n of networkAliases(s, a)) names.add(n.toLowerCase());
  }
  for (const r of topology.registries) {
    names.add(r.key.toLowerCase());
    names.add(r.dockerName.toLowerCase());
    for (const a of r.attachments) for (const n of a.aliases) names.add(n.toLowerCase());
  }
  return names;
}

/** `hostServices.<key>[:port]` as `host.docker.internal:<port>`, the way a container reaches it; anything else unchanged. */
export function resolveReference(topology: TopologySpec, to: string): string {
  const host = /^hostServices\.(.+?)(?::(\d+))?$/.exec(to);
  if (!host) return to;
  const listener = topology.hostServices.find((h) => h.key === host[1]);
  return listener ? `${HOST_DOCKER_INTERNAL}:${host[2] ?? listener.port}` : to;
}

/** Every intent of every service: `connects` first, then the environment (unless opted out). */
export function readIntents(topology: TopologySpec): { intents: Intent[]; unreadable: { path: string; written: string }[] } {
  const known = knownNames(topology);
  const intents: Intent[] = [];
  const unreadable: { path: string; written: string }[] = [];
  for (const s of topology.services) {
    for (const c of s.connects ?? []) {
      const path = joinPath("services", s.key, "connects", c.index);
      const endpoint = readEndpoint(resolveReference(topology, c.to));
      if (!endpoint) unreadable.push({ path, written: c.to });
      else intents.push({ service: s.key, path, ...endpoint, optional: c.optional, written: c.to });
    }
    const env = s.envIntents ?? { enabled: true, ignore: [] };
    if (!env.enabled) continue;
    for (const [name, value] of Object.entries(s.env)) {
      if (typeof value !== "string" || env.ignore.includes(name)) continue;
      const endpoint = readEndpoint(value);
      if (endpoint && known.has(endpoint.host)) intents.push({ service: s.key, path: joinPath("services", s.key, "env", name), ...endpoint, optional: false, written: value });
    }
  }
  return { intents, unreadable };
}
