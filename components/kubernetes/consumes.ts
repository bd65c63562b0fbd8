import * as pulumi from "@pulumi/pulumi";
import type { BridgeOffer } from "../../model/kubernetes/normalize";
import type { ClusterBridge } from "./cluster-bridge";

/** A bridge a PublishedService consumes: the bridge, or the bridge and the environment variable to put its URL in. */
export type BridgeConsumption = ClusterBridge | { readonly bridge: ClusterBridge; readonly env?: string };

/** What a PublishedService needs to consume bridges: the declaration's `consumes`, the offers to normalize them with, and the bridges to wait for. */
export interface ConsumedBridges {
  readonly requests: readonly { readonly bridge: string; readonly env?: string }[];
  readonly offers: ReadonlyMap<string, BridgeOffer>;
  readonly resources: readonly pulumi.Resource[];
}

function isWrapped(entry: BridgeConsumption): entry is { readonly bridge: ClusterBridge; readonly env?: string } {
  return !pulumi.Resource.isInstance(entry) && typeof entry === "object" && entry !== null && "bridge" in entry;
}

/** Turns `consumes` components into declaration entries (by the bridge's key) and offers carrying each bridge's URL Output. */
export function consumedBridges(consumes: readonly BridgeConsumption[] | undefined): ConsumedBridges {
  const requests: { bridge: string; env?: string }[] = [];
  const offers = new Map<string, BridgeOffer>();
  const resources: ClusterBridge[] = [];
  for (const entry of consumes ?? []) {
    const bridge = isWrapped(entry) ? entry.bridge : entry;
    const env = isWrapped(entry) ? entry.env : undefined;
    requests.push({ bridge: bridge.spec.key, ...(env !== undefined ? { env } : {}) });
    offers.set(bridge.spec.key, { env: bridge.env, url: bridge.url });
    if (!resources.includes(bridge)) resources.push(bridge);
  }
  return { requests, offers, resources };
}
