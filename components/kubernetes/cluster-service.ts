import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { VALIDATED_SPEC } from "../docker/network-resource";
import { reportIssues } from "../docker/validation";
import { sortIssues } from "../../model/errors";
import { ClusterServiceDeclaration, ClusterServiceSpec } from "../../model/kubernetes/types";
import { normalizeTopology } from "../../model/normalize";
import { parseDeclaration } from "../../model/parse";
import { joinPath } from "../../model/paths";
import { validateTopology } from "../../model/validate";
import { deploymentArgs, serviceArgs } from "./render-cluster";

/**
 * Arguments of {@link ClusterService}: the declaration of one
 * `kubernetes.services` entry. Structural fields (ports, type, selector,
 * hostNetwork, host aliases) are plain values; `image` and env values may be
 * Outputs. The resource name is the key (and the default Kubernetes name).
 */
export interface ClusterServiceArgs extends ClusterServiceDeclaration {}

/** Internal: a service Topology has already validated. */
interface ValidatedClusterService {
  readonly [VALIDATED_SPEC]: ClusterServiceSpec;
}

/**
 * A workload in a Kubernetes cluster: a Deployment and the Service in front of
 * it (ClusterIP, NodePort or LoadBalancer), with typed ports, a selector equal
 * to the pod template's labels, optional hostPort/hostIP per port, host
 * aliases written like Docker extra hosts, and hostNetwork only when asked
 * for. Validated as a whole before anything is created: node ports in
 * 30000-32767, port names valid for containers (at most 15 characters),
 * hostPort clashes between ports, selectors that match their own labels.
 * Both objects have fixed names, so they are replaced delete-first.
 *
 * @example
 * ```ts
 * const api = new ClusterService("api", {
 *   image: "ghcr.io/acme/api:1.4",
 *   type: "NodePort",
 *   ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }],
 *   hostAliases: ["db.local:10.0.0.5"],
 *   readinessProbe: { path: "/healthz" },
 * }, { provider });
 * ```
 */
export class ClusterService extends pulumi.ComponentResource {
  /** The Deployment. */
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The Service; undefined when the service declares no ports (a Service needs one). */
  public readonly service?: k8s.core.v1.Service;
  /** The normalized declaration, every default applied. */
  public readonly spec: ClusterServiceSpec;
  /** Kubernetes name of the Deployment and the Service. */
  public readonly serviceName: string;
  /** Namespace of both. */
  public readonly namespace: string;
  /** `<name>.<namespace>.svc.cluster.local`: how pods reach the Service. */
  public readonly clusterDns: string;

  constructor(name: string, args: ClusterServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("container-topology:kubernetes:ClusterService", name, {}, opts);
    const validated = args as Partial<ValidatedClusterService>;
    this.spec = validated[VALIDATED_SPEC] ?? this.check(name, args);
    this.serviceName = this.spec.name;
    this.namespace = this.spec.namespace;
    this.clusterDns = this.spec.clusterDns;
    // Fixed names are unique handles: the old object must go first.
    this.deployment = new k8s.apps.v1.Deployment(name, deploymentArgs(this.spec), { parent: this, deleteBeforeReplace: true });
    if (this.spec.ports.length > 0) {
      this.service = new k8s.core.v1.Service(name, serviceArgs(this.spec), { parent: this, deleteBeforeReplace: true });
    }
    this.registerOutputs({ serviceName: this.serviceName, namespace: this.namespace, clusterDns: this.clusterDns });
  }

  private check(name: string, args: ClusterServiceArgs): ClusterServiceSpec {
    const parsed = parseDeclaration({ kubernetes: { services: { [name]: args } } });
    const topology = normalizeTopology(parsed.raw);
    reportIssues(this, `ClusterService "${name}"`, `${joinPath("kubernetes", "services", name)}.`, sortIssues([...parsed.issues, ...validateTopology(topology, parsed.declared)]));
    return topology.kubernetes!.services.find((s) => s.key === name)!;
  }
}
