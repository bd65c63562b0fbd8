/**
 * The container-topology policy pack. Run it with
 * `pulumi preview --policy-pack policy [--policy-pack-config policy-config.json]`.
 *
 * Importing this file starts the policy server: tests import `./policies` instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { captureConfiguredStack } from "./lib/stack";
import { policies } from "./policies";

// The CLI names the stack in a ConfigureStack RPC; record it before the server starts.
captureConfiguredStack();

new PolicyPack("container-topology", {
  description: "Guardrails for container-topology stacks: published ports, host networking, capabilities, subnets, registries, images and Kubernetes exposure.",
  policies,
});
