import { eksExtendedSupport } from "../policies/aws/eks-extended-support";
import { expectPass, expectSettingsRefused, expectViolation } from "./expect";
import { compliantEksCluster } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'EKS cluster "coder"';
const ALLOW = { config: { "eks-extended-support": { allowExtendedSupport: true } } };

describe("eks-extended-support", () => {
  it("passes STANDARD support", async () => {
    await expectPass(eksExtendedSupport, compliantEksCluster());
  });

  it("refuses an allowExtendedSupport that is not a boolean before judging anything", () => {
    expectSettingsRefused(
      eksExtendedSupport,
      { allowExtendedSupport: "yes" },
      /allowExtendedSupport: Invalid type\. Expected: boolean/,
    );
  });

  it("fails EXTENDED", async () => {
    await expectViolation(
      eksExtendedSupport,
      mutate(compliantEksCluster(), (p) => (p.upgradePolicy.supportType = "EXTENDED")),
      WHO,
      /sets upgradePolicy\.supportType to "EXTENDED".*set upgradePolicy\.supportType: "STANDARD", or allowExtendedSupport/,
    );
  });

  it("fails unset, which EKS treats as EXTENDED", async () => {
    await expectViolation(
      eksExtendedSupport,
      mutate(compliantEksCluster(), (p) => delete p.upgradePolicy),
      WHO,
      /unset, which EKS treats as EXTENDED/,
    );
  });

  it("allows extended support when the policy config opts in", async () => {
    await expectPass(
      eksExtendedSupport,
      mutate(compliantEksCluster(), (p) => delete p.upgradePolicy),
      ALLOW,
    );
  });
});
