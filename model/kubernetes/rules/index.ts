import { Rule } from "../../rules/rule";
import { bridges } from "./bridges";
import { consumes } from "./consumes";
import { hostPorts } from "./host-ports";
import { clusterNames } from "./names";
import { nodePorts } from "./node-ports";
import { clusterRegistry } from "./registry";
import { clusterPorts } from "./ports";
import { selectors } from "./selectors";

/** The rules of the `kubernetes` section and of `consumes`, in the order they are documented. */
export const KUBERNETES_RULES: readonly Rule[] = [clusterNames, clusterPorts, nodePorts, hostPorts, selectors, bridges, consumes, clusterRegistry];

export { bridges, clusterNames, clusterRegistry, clusterPorts, consumes, hostPorts, nodePorts, selectors };
export { isLabelKey, isLabelValue, portNameProblem } from "./names";
export { isNodePort } from "./ports";
