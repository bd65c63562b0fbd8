/**
 * The README's "use the components in your own stack" example as its own Pulumi project, the way a
 * user consumes the library: `npm pack` here, `npm install` of the tarball there, then `pulumi up`,
 * nothing to change on `preview`, and `destroy`. The example's images are tagged locally from the
 * probe image (nothing can be pulled here); everything else is the README's text as written.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type Docker from "dockerode";
import { connectEngine, PROBE_IMAGE } from "../e2e/support/engine";
import { describeRun, PulumiProject } from "./support/project";
import { cleanupStack } from "./support/cleanup";
import { describePulumi, ensureToolchain, REPO_ROOT } from "./support/toolchain";

jest.setTimeout(900_000);

const STACK = "consumer";

/** The first ```ts block under "## Use the components in your own stack". */
function readmeConsumerExample(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use the components in your own stack"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("README: no ts example under 'Use the components in your own stack'");
  return block[1];
}

describePulumi("the README's consumer example, installed from the packed tarball", () => {
  let project: PulumiProject;
  let docker: Docker;
  let tmp: string;
  let images: string[] = [];

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanupStack(docker, STACK);
    const program = readmeConsumerExample();
    images = [...program.matchAll(/image: "([^"]+)"/g)].map((m) => m[1]!);
    for (const image of images) {
      const at = image.lastIndexOf(":");
      await docker.getImage(PROBE_IMAGE).tag({ repo: image.slice(0, at), tag: image.slice(at + 1) });
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ct-pack-"));
    const { nodeBin } = ensureToolchain();
    const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH ?? ""}` };
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: REPO_ROOT, encoding: "utf8", env }).trim().split("\n").pop()!;
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    project = PulumiProject.fromFiles("consumer", {
      "Pulumi.yaml": "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
      [`Pulumi.${STACK}.yaml`]: "config: {}\n",
      "index.ts": program,
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true, types: ["node"] } }, null, 2),
      "package.json": JSON.stringify({
        name: "consumer",
        private: true,
        dependencies: { "container-topology": `file:${path.join(tmp, packed)}`, "@pulumi/pulumi": pkg.dependencies["@pulumi/pulumi"] },
        devDependencies: { typescript: pkg.devDependencies["typescript"], "ts-node": pkg.devDependencies["ts-node"], "@types/node": pkg.devDependencies["@types/node"] },
      }, null, 2),
    });
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"], env });
    await project.initStack(STACK);
  });

  afterAll(async () => {
    await project?.dispose([STACK]);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (docker) {
      await cleanupStack(docker, STACK);
      for (const image of images) await docker.getImage(image).remove().catch(() => undefined);
    }
  });

  it("pulumi up, then nothing to change, then destroy", async () => {
    const up = await project.up(STACK, { allowFailure: true });
    expect(up.code === 0 ? "" : describeRun(up)).toBe("");
    const outputs = await project.outputs(STACK);
    expect(outputs["apiName"]).toEqual(expect.any(String));
    const preview = await project.previewNoChanges(STACK);
    expect(preview.code === 0 ? "" : describeRun(preview)).toBe("");
    const destroy = await project.destroy(STACK, { allowFailure: true });
    expect(destroy.code === 0 ? "" : describeRun(destroy)).toBe("");
    const left = (await docker.listContainers({ all: true })).flatMap((c) => c.Names).filter((n) => n === `/${outputs["apiName"]}`);
    expect(left).toEqual([]);
  });
});
