import { DriverOption, KNOWN_DRIVER_OPTIONS } from "../docker/driver-options";
import { error, Issue, IssueCode, warning } from "../errors";
import { joinPath } from "../paths";
import { didYouMean, quote } from "../suggest";
import { NetworkSpec } from "../types";
import { Rule } from "./rule";

/** `eth0.10`: Docker creates the 802.1q sub-interface for VLAN 10 on eth0. */
const VLAN_PARENT = /^(.+)\.(\d+)$/;
/** Linux accepts MTUs from 68 (IPv4 minimum) to 65535; IPv6 needs at least 1280. */
const MTU_MIN = 68;
const MTU_MIN_IPV6 = 1280;
const MTU_MAX = 65535;

function parentChecks(network: NetworkSpec, issues: Issue[], parents: Map<string, string>) {
  // An external network's parent is its owner's business.
  if ((network.driver !== "macvlan" && network.driver !== "ipvlan") || network.external) return;
  const path = joinPath("networks", network.key, "parent");
  if (network.parent === undefined || network.parent === "") {
    issues.push(error(IssueCode.MissingParent, path, `${network.driver} networks need a parent host interface. Set parent, e.g. "eth0", or "eth0.10" for VLAN 10`));
    return;
  }
  const vlan = VLAN_PARENT.exec(network.parent);
  if (vlan) {
    const id = Number(vlan[2]);
    if (id < 1 || id > 4094) issues.push(error(IssueCode.VlanIdOutOfRange, path, `VLAN id ${id} in ${quote(network.parent)} is outside 1-4094`));
  }
  // Docker refuses a second network of the same driver on one parent (a macvlan and an ipvlan may share it).
  const key = `${network.driver}|${network.parent}`;
  const owner = parents.get(key);
  if (owner) issues.push(error(IssueCode.ParentInUse, path, `${quote(network.parent)} is already the parent of networks.${owner}; Docker allows one ${network.driver} network per parent interface. Use a VLAN sub-interface such as "${network.parent}.20"`));
  else parents.set(key, network.key);
}

function optionChecks(network: NetworkSpec, issues: Issue[]) {
  const known = KNOWN_DRIVER_OPTIONS[network.driver];
  for (const key of Object.keys(network.userOptions)) {
    if (known.includes(key)) continue;
    const hint = didYouMean(key, known) || `. Known ${network.driver} options: ${known.join(", ")}`;
    issues.push(warning(IssueCode.UnknownDriverOption, joinPath("networks", network.key, "options", key), `is not an option of the ${network.driver} driver; Docker may ignore it${hint}`));
  }
  const mtu = network.mtu ?? (network.userOptions[DriverOption.Mtu] !== undefined ? Number(network.userOptions[DriverOption.Mtu]) : undefined);
  if (mtu === undefined) return;
  const min = network.ipv6 ? MTU_MIN_IPV6 : MTU_MIN;
  if (!Number.isInteger(mtu) || mtu < min || mtu > MTU_MAX) {
    const path = network.mtu !== undefined ? joinPath("networks", network.key, "mtu") : joinPath("networks", network.key, "options", DriverOption.Mtu);
    const shown = Number.isNaN(mtu) ? quote(network.userOptions[DriverOption.Mtu]) : String(mtu);
    issues.push(error(IssueCode.MtuOutOfRange, path, `${shown} is not a usable MTU: use ${min}-${MTU_MAX}${network.ipv6 ? " (IPv6 needs at least 1280)" : ""}; 1500 is Ethernet's, 9000 jumbo frames`));
  }
}

/** Driver-specific requirements: parents and VLAN ids, attachable overlays, known options, MTU range. */
export const drivers: Rule = {
  id: "drivers",
  summary: "macvlan/ipvlan have a parent (VLAN id 1-4094, one network per parent), overlays joined by containers are attachable, options are known, MTU in range",
  check({ topology, networks }) {
    const issues: Issue[] = [];
    const parents = new Map<string, string>();
    for (const network of topology.networks) {
      parentChecks(network, issues, parents);
      optionChecks(network, issues);
    }
    for (const service of topology.services) {
      for (const attachment of service.attachments) {
        const network = networks.get(attachment.network);
        if (network?.driver !== "overlay" || network.attachable) continue;
        issues.push(error(IssueCode.OverlayNotAttachable, joinPath("services", service.key, "networks", attachment.network), `networks.${network.key} is an overlay network that is not attachable; standalone containers cannot join it. Set attachable: true on networks.${network.key}`));
      }
    }
    return issues;
  },
};
