/**
 * The plan's `Hosts:` section for a topology over several hosts: each host's engine, address, swarm
 * role and what runs on it, then the ports the swarm needs open between the hosts.
 */
import { SWARM_PORTS } from "../model/hosts/types";
import { TopologySpec } from "../model/types";
import { renderTable } from "./table";

/** The hosts table and the swarm's ports; empty for one (implicit or declared) host. */
export function hostsSection(model: TopologySpec): string[] {
  const hosts = model.hosts ?? [];
  if (hosts.length < 2) return [];
  const rows = hosts.map((h) => {
    const on = <T extends { readonly key: string; readonly host?: string }>(list: readonly T[], prefix: string) => list.filter((x) => x.host === h.key).map((x) => `${prefix}${x.key}`);
    const runs = [...on(model.services, ""), ...on(model.registries, "registries."), ...on(model.networks, "networks."), ...on(model.hostServices, "hostServices.")];
    return [h.key, h.host ?? "(DOCKER_HOST)", h.address ?? "- (other hosts predicted not to reach it)", `${h.swarm}${h.ipsec ? "" : " (no IPsec)"}`, runs.join(", ") || "-"];
  });
  const overlays = model.networks.filter((n) => n.driver === "overlay" && !n.external);
  const out = ["Hosts:", ...renderTable(["HOST", "ENGINE", "ADDRESS", "SWARM", "RUNS"], rows)];
  if (overlays.length > 0) {
    out.push(
      "",
      `Swarm ports to open between the hosts (overlays ${overlays.map((n) => n.key).join(", ")} span them):`,
      ...SWARM_PORTS.map((p) => `  ${p.port}/${p.protocols.join("+")} to ${p.to}: ${p.purpose}`),
      ...(overlays.some((n) => n.encrypted) ? ["  IP protocol 50 (ESP) between every host: the encrypted overlays' IPsec"] : []),
    );
  }
  return out;
}
