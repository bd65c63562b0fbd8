import { HOST_DOCKER_INTERNAL } from "../types";

/** Host names that mean "this machine" on the host, and "this container" inside one. */
const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "ip6-localhost"]);

/** True when a host name refers to the local machine (so means something else inside a container). */
export function isLocalHostName(host: string): boolean {
  return LOCAL_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Turns an address the host uses for one of its own services into the one a
 * container must use: inside a container `localhost` is the container itself,
 * so `http://localhost:4000/api` becomes `http://host.docker.internal:4000/api`.
 * Works on URLs with a scheme and on bare `host:port`; anything not local is
 * returned unchanged. The service must listen on 0.0.0.0 or the bridge gateway:
 * a listener bound to 127.0.0.1 stays unreachable from containers.
 */
export function rewriteLocalUrl(hostUrl: string, hostName: string = HOST_DOCKER_INTERNAL): string {
  const match = /^(?<scheme>[a-z][a-z0-9+.-]*:\/\/)?(?<userinfo>[^@/]*@)?(?<host>\[[^\]]+\]|[^:/?#]+)(?<rest>.*)$/i.exec(hostUrl.trim());
  if (!match?.groups) return hostUrl;
  const { scheme = "", userinfo = "", host = "", rest = "" } = match.groups;
  return isLocalHostName(host) ? `${scheme}${userinfo}${hostName}${rest}` : hostUrl;
}
