import * as pulumi from "@pulumi/pulumi";

/** The ID the mock provider gives a custom resource: a container's Docker name, `<name>-id` otherwise. */
function mockId(args: { type: string; name: string; inputs: Record<string, unknown> }): string {
  const dockerName = args.inputs["name"];
  return args.type === "docker:index/container:Container" && typeof dockerName === "string" ? dockerName : `${args.name}-id`;
}

/** The resource options the engine would receive, as recorded from the register request. */
export interface RenderedOptions {
  readonly deleteBeforeReplace: boolean;
  /** URNs whose replacement replaces this resource too. */
  readonly replaceWith: readonly string[];
  /** URNs this resource depends on. */
  readonly dependencies: readonly string[];
  readonly retainOnDelete: boolean;
  readonly deletedWith?: string;
  readonly replaceOnChanges: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly protect: boolean;
  readonly provider?: string;
  readonly additionalSecretOutputs: readonly string[];
}

/** One resource the program registered, with the inputs the provider would be sent. */
export interface RenderedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Parent URN; the stack for top-level resources. */
  readonly parent?: string;
  /** False for component resources. */
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly options: RenderedOptions;
}

/** How to run a program on the mock runtime. */
export interface MockRunOptions {
  /** @default "container-topology" */
  readonly project?: string;
  /** @default "dev" */
  readonly stack?: string;
  /** Stack configuration: full keys (`project:key`) to values; objects are passed as JSON, as the CLI does. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Called for every registered resource, in order (progress output). */
  readonly onResource?: (resource: RenderedResource) => void;
}

/** What a program run produced. */
export interface MockRun<T> {
  readonly value: T;
  /** Every registered resource, in registration order. */
  readonly resources: readonly RenderedResource[];
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getDeletebeforereplace(): boolean;
  getReplaceWithList(): string[];
  getDependenciesList(): string[];
  getRetainondelete(): boolean;
  getDeletedwith(): string;
  getReplaceonchangesList(): string[];
  getIgnorechangesList(): string[];
  getProtect(): boolean;
  getProvider(): string;
  getAdditionalsecretoutputsList(): string[];
}

type Callback = (err: Error | null, response?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

const mocks: pulumi.runtime.Mocks = {
  // A container's ID stands in as its Docker name (Docker takes either), so `container:<id>` renders runnable.
  newResource: (args) => ({ id: args.custom ? mockId(args) : undefined, state: args.inputs }),
  call: (args) => {
    // An external network's lookup: the plan has no engine, so the network is taken as it is named.
    if (args.token === "docker:index/getNetwork:getNetwork") {
      const name = String((args.inputs as { name?: unknown }).name);
      return { id: name, name, driver: "bridge", internal: false, ipamConfigs: [], options: {}, scope: "local" };
    }
    throw new Error(`unexpected invoke ${args.token}: container-topology renders with no data source but an external network's lookup`);
  },
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { deserializeProperties(value: unknown): Record<string, unknown> };

function record(req: RegisterRequest, urn: string): RenderedResource {
  const optional = (value: string) => (value ? value : undefined);
  const parent = optional(req.getParent());
  const deletedWith = optional(req.getDeletedwith());
  const provider = optional(req.getProvider());
  return {
    type: req.getType(),
    name: req.getName(),
    urn,
    ...(parent ? { parent } : {}),
    custom: req.getCustom(),
    inputs: rpc.deserializeProperties(req.getObject()),
    options: {
      deleteBeforeReplace: req.getDeletebeforereplace(),
      replaceWith: req.getReplaceWithList(),
      dependencies: req.getDependenciesList(),
      retainOnDelete: req.getRetainondelete(),
      ...(deletedWith ? { deletedWith } : {}),
      replaceOnChanges: req.getReplaceonchangesList(),
      ignoreChanges: req.getIgnorechangesList(),
      protect: req.getProtect(),
      ...(provider ? { provider } : {}),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    },
  };
}

/**
 * Runs a Pulumi program on the SDK's mock runtime (no CLI, no provider plugins)
 * and records every resource it registers with its inputs and options. Outputs
 * resolve to their inputs, so the program runs exactly as under `pulumi up`.
 * Runs are sequential: the mock runtime is process-global.
 */
export async function runOnMocks<T>(program: () => T | Promise<T>, options: MockRunOptions = {}): Promise<MockRun<T>> {
  const project = options.project ?? "container-topology";
  const stack = options.stack ?? "dev";
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) config[key] = typeof value === "string" ? value : JSON.stringify(value);
  pulumi.runtime.setAllConfig(config);
  const resources: RenderedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const resource = record(req, response.getUrn());
        resources.push(resource);
        options.onResource?.(resource);
      }
      callback(err, response);
    });
  const value = await program();
  await settings.waitForRPCs();
  return { value, resources };
}

/** The plain value of an Output once the mock runtime resolved it. */
export function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(input).apply((v) => resolve(v as T)));
}
