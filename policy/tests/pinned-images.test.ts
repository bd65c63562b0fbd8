import { pinnedImages } from "../rules/pinned-images";
import { container, cronJob, deployment, network, pod, registryImage, remoteImage } from "./fixtures";
import { checkResource, TestResource, unknown } from "./support";

const run = (r: TestResource, config: Record<string, unknown> = {}) => checkResource(pinnedImages, r, { config, stack: "prod" });
const digest = "sha256:" + "ab".repeat(32);

describe("pinned-images", () => {
  it("is advisory by default", () => {
    expect(pinnedImages.enforcementLevel).toBe("advisory");
  });

  it("reports a container image without a tag with the exact message", async () => {
    const out = await run(container("web", { image: "nginx" }));
    expect(out.violations).toEqual([
      {
        message:
          'container "dev-web" image: "nginx" has no tag, so it means :latest and changes whenever the tag moves. Pin a version tag or a digest (@sha256:...)',
      },
    ]);
  });

  it.each([["nginx:latest"], ["localhost:5001/app:latest"], ["ghcr.io/acme/app:LATEST"]])("reports the mutable tag in %j", async (image) => {
    expect((await run(container("web", { image }))).violations[0]?.message).toMatch(/uses the mutable tag :latest|uses the mutable tag :LATEST/);
  });

  it("does not take a registry port for a tag", async () => {
    expect((await run(container("web", { image: "localhost:5001/app" }))).violations[0]?.message).toContain("has no tag");
  });

  it.each([["nginx:1.27.2"], ["localhost:5001/app:1"], [`nginx@${digest}`], [`nginx:latest@${digest}`], [digest], ["ab".repeat(32)]])(
    "accepts %j",
    async (image) => {
      expect(await run(container("web", { image }))).toEqual({ violations: [] });
    },
  );

  it("checks RemoteImage and RegistryImage names", async () => {
    expect((await run(remoteImage("nginx", { name: "nginx:latest" }))).violations[0]?.message).toBe(
      'image "nginx" name: "nginx:latest" uses the mutable tag :latest. Pin a version tag or a digest (@sha256:...)',
    );
    expect((await run(registryImage("app", { name: "localhost:5001/app" }))).violations).toHaveLength(1);
  });

  it("checks every container of Kubernetes pod templates", async () => {
    const out = await run(deployment("web", { containers: [{ name: "app", image: "nginx:1.27" }, { name: "side", image: "envoy" }], initContainers: [{ name: "init", image: "busybox:latest" }] }));
    expect(out.violations.map((v) => v.message.split(":")[0])).toEqual([
      "apps/web spec.template.spec.containers[1].image",
      "apps/web spec.template.spec.initContainers[0].image",
    ]);
    expect((await run(pod("p", { containers: [{ name: "c", image: "nginx" }] }))).violations[0]?.message).toMatch(/^default\/p spec.containers\[0\].image/);
    expect((await run(cronJob("nightly", { containers: [{ name: "c", image: "nginx" }] }))).violations[0]?.message).toMatch(
      /^apps\/nightly spec.jobTemplate.spec.template.spec.containers\[0\].image/,
    );
  });

  it("takes mutable tags, digest pinning and the allow-list from config", async () => {
    expect((await run(container("web", { image: "nginx:stable" }), { mutableTags: ["latest", "stable"] })).violations).toHaveLength(1);
    expect((await run(container("web", { image: "nginx:1.27" }), { requireDigest: true })).violations[0]?.message).toContain("is not pinned by digest");
    expect(await run(container("web", { image: "localhost:5001/app" }), { allow: ["localhost:5001/*"] })).toEqual({ violations: [] });
  });

  it("notes an unknown image (e.g. RemoteImage.imageId) as advisory only", async () => {
    expect(await run(container("web", { image: unknown.string }))).toEqual({
      violations: [],
      advisory: "can't run policy 'pinned-images' from policy pack 'container-topology@v0.1.0' during preview: could not decide: image is unknown until apply",
    });
    expect(await run(deployment("web", { containers: unknown.array }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: spec.template.spec.containers is unknown until apply$/),
    });
    expect(await run(deployment("web", { containers: [{ name: "app", image: unknown.string }] }))).toEqual({
      violations: [],
      advisory: expect.stringMatching(/could not decide: spec.template.spec.containers\[0\].image is unknown until apply$/),
    });
  });

  it("does not look at networks", async () => {
    expect((await run(network("lan"))).notApplicable).toMatch(/^applies to docker:index\/container:Container, /);
  });
});
