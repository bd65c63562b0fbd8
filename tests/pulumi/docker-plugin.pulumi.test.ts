/**
 * The docker plugin of tools/pulumi is a stand-in (kreuzwerker's Terraform provider bridged under
 * @pulumi/docker's tokens, since pulumi-docker's provider module cannot be fetched here). It must
 * speak exactly what the npm package sends: for every resource it serves, the input names of the
 * SDK's `<Name>Args`, nested ones too (through `types/input.d.ts`), equal the plugin schema's input
 * properties (through its `#/types/...` references); the same for the provider's own config.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { ensureToolchain, describePulumi, REPO_ROOT } from "./support/toolchain";

interface SchemaProperty {
  readonly $ref?: string;
  readonly items?: SchemaProperty;
  readonly additionalProperties?: SchemaProperty;
}
interface PackageSchema {
  readonly resources: Record<string, { readonly inputProperties?: Record<string, SchemaProperty> }>;
  readonly types: Record<string, { readonly properties?: Record<string, SchemaProperty> }>;
  readonly provider: { readonly inputProperties?: Record<string, SchemaProperty> };
}

const SDK = path.join(REPO_ROOT, "node_modules", "@pulumi", "docker");
const INPUTS = path.join(SDK, "types", "input.d.ts");
/** Resources of the npm package the stand-in does not serve, and why (tools/pulumi/README.md). */
const NOT_SERVED = { "docker:index/image:Image": "pulumi-docker's native buildkit resource, not a Terraform resource" };
/** What the components of this library create. */
const RENDERED = ["container:Container", "network:Network", "volume:Volume", "tag:Tag", "registryImage:RegistryImage", "remoteImage:RemoteImage"].map((t) => `docker:index/${t}`);

describePulumi("the docker plugin stand-in against @pulumi/docker's input names", () => {
  let schema: PackageSchema;
  let program: ts.Program;

  beforeAll(() => {
    const { pulumiBin } = ensureToolchain();
    const out = execFileSync(path.join(pulumiBin, "pulumi"), ["package", "get-schema", path.join(pulumiBin, "pulumi-resource-docker")], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    schema = JSON.parse(out) as PackageSchema;
    program = ts.createProgram([path.join(SDK, "index.d.ts"), INPUTS], { skipLibCheck: true, noEmit: true });
  });

  function members(file: string, name: string): Map<string, string> | undefined {
    const sf = program.getSourceFile(file);
    if (!sf) return undefined;
    let found: ts.InterfaceDeclaration | undefined;
    const visit = (n: ts.Node): void => {
      if (ts.isInterfaceDeclaration(n) && n.name.text === name) found = n;
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return found && new Map(found.members.filter(ts.isPropertySignature).map((m) => [m.name.getText(sf), m.type?.getText(sf) ?? ""]));
  }

  function sdkPaths(props: Map<string, string>, prefix = "", out = new Set<string>(), depth = 0): Set<string> {
    for (const [name, type] of props) {
      out.add(prefix + name);
      const nested = /inputs\.(\w+)/.exec(type)?.[1];
      const sub = nested && depth < 8 ? members(INPUTS, nested) : undefined;
      if (sub) sdkPaths(sub, `${prefix}${name}.`, out, depth + 1);
    }
    return out;
  }

  function schemaPaths(props: Record<string, SchemaProperty>, prefix = "", out = new Set<string>(), depth = 0): Set<string> {
    for (const [name, p] of Object.entries(props)) {
      out.add(prefix + name);
      const ref = p.$ref ?? p.items?.$ref ?? p.additionalProperties?.$ref;
      const type = ref?.startsWith("#/types/") ? schema.types[decodeURIComponent(ref.slice("#/types/".length))] : undefined;
      if (type?.properties && depth < 8) schemaPaths(type.properties, `${prefix}${name}.`, out, depth + 1);
    }
    return out;
  }

  /** The resource tokens of the npm package (each class's `__pulumiType`). */
  const sdkResources = (): string[] =>
    fs.readdirSync(SDK)
      .filter((f) => f.endsWith(".js"))
      .flatMap((f) => {
        const m = /__pulumiType = ['"](docker:index\/[^'"]+)['"]/.exec(fs.readFileSync(path.join(SDK, f), "utf8"));
        return m?.[1] ? [m[1]] : [];
      });

  it("serves every resource the components render, and every SDK resource but the documented ones", () => {
    const served = Object.keys(schema.resources).sort();
    expect(served).toEqual(expect.arrayContaining(RENDERED));
    const tokens = sdkResources();
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.filter((t) => !served.includes(t)).sort()).toEqual(Object.keys(NOT_SERVED).sort());
  });

  it("takes exactly the input names of each SDK resource, nested ones included", () => {
    const differences: Record<string, { sdkOnly: string[]; pluginOnly: string[] }> = {};
    let compared = 0;
    for (const [token, resource] of Object.entries(schema.resources)) {
      const [file, name] = [token.split("/")[1]!.split(":")[0]!, token.split(":").pop()!];
      const args = members(path.join(SDK, `${file}.d.ts`), `${name}Args`);
      if (!args) throw new Error(`@pulumi/docker has no ${name}Args for ${token}`);
      const sdk = sdkPaths(args);
      const plugin = schemaPaths(resource.inputProperties ?? {});
      compared += sdk.size;
      const sdkOnly = [...sdk].filter((p) => !plugin.has(p));
      const pluginOnly = [...plugin].filter((p) => !sdk.has(p));
      if (sdkOnly.length + pluginOnly.length > 0) differences[token] = { sdkOnly, pluginOnly };
    }
    const provider = { sdk: sdkPaths(members(path.join(SDK, "provider.d.ts"), "ProviderArgs")!), plugin: schemaPaths(schema.provider.inputProperties ?? {}) };
    const providerDiff = { sdkOnly: [...provider.sdk].filter((p) => !provider.plugin.has(p)), pluginOnly: [...provider.plugin].filter((p) => !provider.sdk.has(p)) };
    if (providerDiff.sdkOnly.length + providerDiff.pluginOnly.length > 0) differences["provider"] = providerDiff;
    console.log(`[docker plugin] input names compared=${compared + provider.sdk.size} differences=${Object.keys(differences).length}`);
    expect(differences).toEqual({});
  });
});
