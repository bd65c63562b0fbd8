import * as pulumi from "@pulumi/pulumi";
import { Topology } from "./components";
import { didYouMean } from "./model/suggest";

// The stack program: the declaration lives in Pulumi.<stack>.yaml under
// `container-topology:topology`; every problem in it is reported with that path.
const NAMESPACE = "container-topology";
const READ_KEYS = ["topology", "preflight"];

// A key of this namespace the program does not read is a mistake (a typo of `topology` would
// otherwise plan and create nothing). A RunError stops the program: preview and up fail, no stack trace.
const unknownKeys = Object.keys(pulumi.runtime.allConfig()).flatMap((key) => {
  const [namespace, name = ""] = key.split(/:(.*)/s);
  return namespace === NAMESPACE && !READ_KEYS.includes(name)
    ? [`${key}: unknown key: this program reads only ${READ_KEYS.map((k) => `${NAMESPACE}:${k}`).join(", ")}${didYouMean(name, READ_KEYS)}`]
    : [];
});
if (unknownKeys.length > 0) throw new pulumi.RunError(unknownKeys.join("\n"));

const config = new pulumi.Config(NAMESPACE);
const declaration = config.getObject<unknown>("topology") ?? {};
if (typeof declaration === "object" && declaration !== null && Object.keys(declaration).length === 0) {
  pulumi.log.warn(`${NAMESPACE}:topology is empty or missing: nothing will be created. Declare networks and services under it in Pulumi.${pulumi.getStack()}.yaml`);
}

// `container-topology:preflight: true`: previews check the declaration against the live engine first.
const topology = new Topology(pulumi.getStack(), { declaration, source: `${NAMESPACE}:topology`, preflight: config.getBoolean("preflight") ?? false });

/** Where each published port is reached from the host and from containers. */
export const endpoints = topology.endpoints;
/** Who reaches whom, and why. */
export const reachability = topology.reachability.edges.map((e) => `${e.from} -> ${e.to}${e.port ? `:${e.port}` : ""} (${e.via})`);
/** Docker names of the networks and containers. */
export const networks = Object.fromEntries(Object.entries(topology.networks).map(([key, n]) => [key, n.networkName]));
export const containers = Object.fromEntries(Object.entries(topology.services).map(([key, s]) => [key, s.containerName]));
