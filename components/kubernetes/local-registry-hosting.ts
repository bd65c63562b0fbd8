import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LOCAL_REGISTRY_HOSTING, LocalRegistryHosting, localRegistryHostingYaml } from "../../model/registry/hosting";

/** Arguments of {@link LocalRegistryHostingConfigMap}. */
export interface LocalRegistryHostingConfigMapArgs {
  /** The KEP-1755 fields, e.g. a LocalRegistry's or ClusterRegistry's `localRegistryHosting`. */
  readonly hosting: LocalRegistryHosting;
}

/**
 * The KEP-1755 `local-registry-hosting` ConfigMap in `kube-public`, which Tilt,
 * Skaffold and ctlptl read to find the cluster's local registry: data key
 * `localRegistryHosting.v1` holding `host: "localhost:5001"` and the other
 * fields that are set. One per cluster (its name is fixed by the KEP).
 *
 * @example
 * ```ts
 * const registry = new LocalRegistry("registry", { networks: [{ network: kind }] });
 * new LocalRegistryHostingConfigMap("hosting", { hosting: registry.localRegistryHosting }, { provider });
 * ```
 */
export class LocalRegistryHostingConfigMap extends pulumi.ComponentResource {
  /** The ConfigMap (`kube-public/local-registry-hosting`). */
  public readonly configMap: k8s.core.v1.ConfigMap;
  /** The `localRegistryHosting.v1` document. */
  public readonly document: string;

  constructor(name: string, args: LocalRegistryHostingConfigMapArgs, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:kubernetes:LocalRegistryHostingConfigMap", name, {}, opts);
    this.document = localRegistryHostingYaml(args.hosting);
    this.configMap = new k8s.core.v1.ConfigMap(
      name,
      {
        metadata: {
          name: LOCAL_REGISTRY_HOSTING.name,
          namespace: LOCAL_REGISTRY_HOSTING.namespace,
          labels: { "app.kubernetes.io/managed-by": "container-topology" },
        },
        data: { [LOCAL_REGISTRY_HOSTING.dataKey]: this.document },
      },
      // The name is fixed by the KEP: a replacement must delete the old one first.
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ document: this.document });
  }
}
