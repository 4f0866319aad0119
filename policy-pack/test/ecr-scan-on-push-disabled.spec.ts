import { ecrScanOnPushDisabled } from "../policies/aws/ecr-scan-on-push-disabled";
import { expectPass, expectViolation } from "./expect";
import { compliantEcrRepository } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("ecr-scan-on-push-disabled (advisory)", () => {
  it("passes scan on push", async () => {
    await expectPass(ecrScanOnPushDisabled, compliantEcrRepository());
  });

  it("reports a repository that does not scan on push, as advisory", async () => {
    const v = await expectViolation(
      ecrScanOnPushDisabled,
      mutate(compliantEcrRepository(), (p) => delete p.imageScanningConfiguration),
      'ECR repository "coder/enterprise-base"',
      /does not scan images on push.*set imageScanningConfiguration\.scanOnPush: true/,
    );
    if (v.enforcementLevel !== "advisory") throw new Error("ecr-scan-on-push-disabled must default to advisory");
  });
});
