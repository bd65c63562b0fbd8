/** Resources shaped like the Pulumi Docker (v5) and Kubernetes providers' inputs. */
import { DockerType } from "../lib/docker";
import { KubernetesType } from "../lib/kubernetes";
import type { TestResource } from "./support";

type Props = Record<string, unknown>;

export function container(name: string, props: Props = {}, extra: Partial<TestResource> = {}): TestResource {
  return { type: DockerType.Container, name, props: { name: `dev-${name}`, image: "busybox:1.36", ...props }, ...extra };
}

export function network(name: string, props: Props = {}, extra: Partial<TestResource> = {}): TestResource {
  return { type: DockerType.Network, name, props: { name: `dev-${name}`, driver: "bridge", ...props }, ...extra };
}

export function registryImage(name: string, props: Props): TestResource {
  return { type: DockerType.RegistryImage, name, props };
}

export function remoteImage(name: string, props: Props): TestResource {
  return { type: DockerType.RemoteImage, name, props };
}

/** A registry container as LocalRegistry renders it: role label, registry image, loopback port. */
export function registry(name: string, props: Props = {}): TestResource {
  return container(name, {
    image: "registry:2.8.3",
    labels: [
      { label: "container-topology.io/role", value: "registry" },
      { label: "container-topology.io/stack", value: "dev" },
    ],
    envs: ["REGISTRY_HTTP_ADDR=0.0.0.0:5000"],
    ports: [{ internal: 5000, external: 5001, ip: "127.0.0.1", protocol: "tcp" }],
    ...props,
  });
}

export function podSpec(spec: Props): Props {
  return { containers: [{ name: "app", image: "nginx:1.27" }], ...spec };
}

export function deployment(name: string, spec: Props, metadata: Props = {}): TestResource {
  return {
    type: KubernetesType.Deployment,
    name,
    props: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "apps", ...metadata },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec(spec) } },
    },
  };
}

export function daemonSet(name: string, spec: Props, metadata: Props = {}): TestResource {
  return {
    type: KubernetesType.DaemonSet,
    name,
    props: {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name, namespace: "kube-system", ...metadata },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec(spec) } },
    },
  };
}

export function pod(name: string, spec: Props, metadata: Props = {}): TestResource {
  return {
    type: KubernetesType.Pod,
    name,
    props: { apiVersion: "v1", kind: "Pod", metadata: { name, ...metadata }, spec: podSpec(spec) },
  };
}

export function cronJob(name: string, spec: Props): TestResource {
  return {
    type: KubernetesType.CronJob,
    name,
    props: {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name, namespace: "apps" },
      spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: podSpec(spec) } } } },
    },
  };
}

export function service(name: string, spec: Props, metadata: Props = {}): TestResource {
  return {
    type: KubernetesType.Service,
    name,
    props: { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "apps", ...metadata }, spec },
  };
}
