import { parseIp } from "./ip";
import { HostMapping, PortDeclaration, Protocol, RawExpose } from "./types";

/** Result of reading a short-syntax string: the value, or why it is not one. */
export type ShortSyntaxResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const PROTOCOLS: readonly string[] = Object.values(Protocol);
const NUMBER = /^\d+$/;

function splitProtocol(text: string): { body: string; protocol?: Protocol; problem?: string } {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return { body: text };
  const protocol = text.slice(slash + 1);
  if (!PROTOCOLS.includes(protocol)) {
    return { body: text, problem: `protocol ${JSON.stringify(protocol)} is not one of tcp, udp, sctp` };
  }
  return { body: text.slice(0, slash), protocol: protocol as Protocol };
}

const PORT_FORM = `expected [hostIp:][published:]target[/protocol], e.g. "127.0.0.1:8080:80/tcp"`;

/**
 * Reads `docker run -p` syntax: `80`, `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`,
 * `[::1]:8080:80`, each optionally with `/tcp|/udp|/sctp`. Ranges are refused.
 */
export function parsePortString(text: string): ShortSyntaxResult<PortDeclaration> {
  const { body, protocol, problem } = splitProtocol(text.trim());
  if (problem) return { ok: false, problem };
  let hostIp: string | undefined;
  let rest = body;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0 || rest[close + 1] !== ":") return { ok: false, problem: `is not a port mapping: ${PORT_FORM}` };
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(":");
  if (hostIp === undefined && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || (hostIp !== undefined && parts.length !== 2)) {
    // `::1:8080:80`: an IPv6 host IP must be bracketed, or its colons read as separators.
    const all = rest.split(":");
    const unbracketed = all.length > 3 && hostIp === undefined ? all.slice(0, -2).join(":") : "";
    if (parseIp(unbracketed)?.family === "ipv6") {
      return { ok: false, problem: `has an IPv6 host IP without brackets: write ${JSON.stringify(`[${unbracketed}]:${all.slice(-2).join(":")}${protocol ? `/${protocol}` : ""}`)}` };
    }
    return { ok: false, problem: `is not a port mapping: ${PORT_FORM}` };
  }
  if (parts.some((p) => p.includes("-"))) {
    return { ok: false, problem: "port ranges are not supported: declare each port as its own entry" };
  }
  const [first, second] = parts;
  const targetText = parts.length === 2 ? second! : first!;
  const publishedText = parts.length === 2 ? first! : "";
  if (!NUMBER.test(targetText) || (publishedText !== "" && !NUMBER.test(publishedText))) {
    return { ok: false, problem: `is not a port mapping: ${PORT_FORM}` };
  }
  if (hostIp === "") return { ok: false, problem: `has an empty host IP: ${PORT_FORM}` };
  return {
    ok: true,
    value: {
      target: Number(targetText),
      ...(publishedText !== "" ? { published: Number(publishedText) } : {}),
      ...(hostIp !== undefined ? { hostIp } : {}),
      ...(protocol ? { protocol } : {}),
    },
  };
}

/** Reads an `--expose` entry: `9000` or `"9000/udp"`. */
export function parseExposeString(text: string): ShortSyntaxResult<RawExpose> {
  const { body, protocol, problem } = splitProtocol(text.trim());
  if (problem) return { ok: false, problem };
  if (!NUMBER.test(body)) return { ok: false, problem: `is not a port: expected port[/protocol], e.g. "9000/udp"` };
  return { ok: true, value: { port: Number(body), ...(protocol ? { protocol } : {}) } };
}

/** Reads an `--add-host` entry: `name:ip` or `name=ip` (the address may be IPv6 or `host-gateway`). */
export function parseHostString(text: string): ShortSyntaxResult<HostMapping> {
  const separator = text.search(/[:=]/);
  if (separator <= 0 || separator === text.length - 1) {
    return { ok: false, problem: `is not a host mapping: expected "name:ip", e.g. "db.local:10.0.0.5" or "host.docker.internal:host-gateway"` };
  }
  return { ok: true, value: { host: text.slice(0, separator), ip: text.slice(separator + 1) } };
}
