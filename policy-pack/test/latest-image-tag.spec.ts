import { latestImageTag } from "../policies/kubernetes/latest-image-tag";
import { expectPass, expectViolation } from "./expect";
import { compliantDeployment, mainContainer } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace" container "dev"';
const withImage = (image: string) => mutate(compliantDeployment(), (p) => (mainContainer(p).image = image));

describe("latest-image-tag (advisory)", () => {
  it("passes version tags and digests, including a registry with a port", async () => {
    await expectPass(latestImageTag, compliantDeployment());
    await expectPass(latestImageTag, withImage("registry.local:5000/coder/base@sha256:0123456789abcdef"));
    await expectPass(latestImageTag, withImage("registry.local:5000/coder/base:1.2"));
  });

  it("reports :latest as advisory", async () => {
    const v = await expectViolation(
      latestImageTag,
      withImage("ghcr.io/coder/coder:latest"),
      WHO,
      /is tagged latest, so it can change without a diff; pin a version tag or a digest/,
    );
    if (v.enforcementLevel !== "advisory") throw new Error("latest-image-tag must default to advisory");
  });

  it("reports an untagged image, even behind a registry port", async () => {
    await expectViolation(
      latestImageTag,
      withImage("registry.local:5000/coder/base"),
      WHO,
      /untagged \(implicitly latest\)/,
    );
  });
});
