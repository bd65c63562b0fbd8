import * as pulumi from "@pulumi/pulumi";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** What a lean run produced. */
export interface LeanRun<T> {
  readonly value: T;
  /** Resources registered (components and custom resources). */
  readonly registered: number;
}

/**
 * Runs a program on the SDK's mock runtime with the same mocks as
 * cli/mock-runtime.ts (`newResource` echoes the inputs as state, invokes throw)
 * but without recording each resource, so that timing measures the program and
 * the SDK, not the recorder. Both sides of every comparison run through this.
 */
export async function runLean<T>(program: () => T | Promise<T>, stack = "bench", project = "container-topology"): Promise<LeanRun<T>> {
  let registered = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered++;
        return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    project,
    stack,
    false,
  );
  const value = await program();
  await settings.waitForRPCs();
  return { value, registered };
}
