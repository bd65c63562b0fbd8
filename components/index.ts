// Public API of container-topology: re-exports only.
export * from "../model";
export * from "./docker";
export * from "./kubernetes";
export * from "./topology";
