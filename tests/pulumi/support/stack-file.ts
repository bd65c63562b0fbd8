/** Stack files written by the tests: a declaration under `container-topology:topology`. */
import * as net from "node:net";
import { stringify } from "yaml";

/** The text of a `Pulumi.<stack>.yaml` holding `declaration` (and any other config keys). */
export function stackFile(declaration: unknown, extra: Readonly<Record<string, unknown>> = {}): string {
  return stringify({ config: { "container-topology:topology": declaration, ...extra } });
}

/** `count` TCP ports free on 127.0.0.1 right now. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
