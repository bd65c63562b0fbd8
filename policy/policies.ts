/** Every policy of the pack, in the order the README lists them. Ids never change. */
import type { Policies } from "@pulumi/policy";
import { kubernetesHostNetwork } from "./rules/kubernetes-host-network";
import { kubernetesHostPort } from "./rules/kubernetes-host-port";
import { kubernetesNodePortRange } from "./rules/kubernetes-node-port-range";
import { noDangerousCapabilities } from "./rules/no-dangerous-capabilities";
import { noHostNetwork } from "./rules/no-host-network";
import { noPrivileged } from "./rules/no-privileged";
import { noWildcardPublish } from "./rules/no-wildcard-publish";
import { overlayEncrypted } from "./rules/overlay-encrypted";
import { pinnedImages } from "./rules/pinned-images";
import { registryAuth } from "./rules/registry-auth";
import { registryPlainHttpLoopback } from "./rules/registry-plain-http-loopback";
import { reservedRanges } from "./rules/reserved-ranges";
import { uniqueHostPorts } from "./rules/unique-host-ports";
import { uniqueSubnets } from "./rules/unique-subnets";

export const policies: Policies = [
  noWildcardPublish,
  noHostNetwork,
  noPrivileged,
  noDangerousCapabilities,
  overlayEncrypted,
  reservedRanges,
  uniqueSubnets,
  uniqueHostPorts,
  registryAuth,
  registryPlainHttpLoopback,
  pinnedImages,
  kubernetesHostPort,
  kubernetesHostNetwork,
  kubernetesNodePortRange,
];
