/**
 * overlay-encrypted: overlay networks turn on IPsec encryption of their VXLAN traffic.
 *
 * Overlay traffic between swarm nodes crosses the hosts' own network in clear VXLAN (UDP 4789)
 * unless the network is created with `--opt encrypted`; Docker turns encryption on whenever the
 * `encrypted` option is present, whatever its value.
 */
import { allowNames, displayName, DockerType } from "../lib/docker";
import { matchesAny } from "../lib/match";
import { resourceRule } from "../lib/rule";
import { allowList } from "../lib/schema";
import { isUnknown } from "../lib/unknown";
import { record, str } from "../lib/values";

export interface OverlayEncryptedConfig {
  readonly allow: readonly string[];
}

export const overlayEncrypted = resourceRule<OverlayEncryptedConfig>({
  name: "overlay-encrypted",
  description: "Overlay networks set options.encrypted so traffic between nodes is IPsec-encrypted.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: 'Add options: { encrypted: "true" } to the overlay network.',
  types: [DockerType.Network],
  config: {
    allow: allowList("Overlay networks (globs over the Docker or Pulumi name) that may stay unencrypted."),
  },
  check: (resource, config, findings) => {
    if (matchesAny(config.allow, allowNames(resource))) return;
    const driver = str(resource.props["driver"]);
    if (isUnknown(driver)) {
      findings.unknown(driver);
      return;
    }
    if (driver?.toLowerCase() !== "overlay") return;
    const options = resource.props["options"];
    if (isUnknown(options)) {
      findings.unknown(options);
      return;
    }
    if (record(options)?.["encrypted"] !== undefined) return;
    findings.violation(
      `network ${displayName(resource)} options: an overlay network without "encrypted" sends VXLAN traffic between nodes in clear. ` +
        `Set options.encrypted to "true", or allow-list ${JSON.stringify(resource.name)}`,
    );
  },
});
