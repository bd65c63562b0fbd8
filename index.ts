import * as pulumi from "@pulumi/pulumi";
import { Topology } from "./components";

// The stack program: the declaration lives in Pulumi.<stack>.yaml under
// `container-topology:topology`; every problem in it is reported with that path.
const config = new pulumi.Config("container-topology");
const declaration = config.getObject<unknown>("topology") ?? {};

const topology = new Topology(pulumi.getStack(), { declaration, source: "container-topology:topology" });

/** Where each published port is reached from the host and from containers. */
export const endpoints = topology.endpoints;
/** Who reaches whom, and why. */
export const reachability = topology.reachability.edges.map((e) => `${e.from} -> ${e.to}${e.port ? `:${e.port}` : ""} (${e.via})`);
/** Docker names of the networks and containers. */
export const networks = Object.fromEntries(Object.entries(topology.networks).map(([key, n]) => [key, n.networkName]));
export const containers = Object.fromEntries(Object.entries(topology.services).map(([key, s]) => [key, s.containerName]));
