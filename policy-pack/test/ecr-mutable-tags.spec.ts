import { ecrMutableTags } from "../policies/aws/ecr-mutable-tags";
import { expectPass, expectViolation } from "./expect";
import { compliantEcrRepository } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'ECR repository "coder/enterprise-base"';

describe("ecr-mutable-tags", () => {
  it("passes immutable tags, with or without exclusions", async () => {
    await expectPass(ecrMutableTags, compliantEcrRepository());
    await expectPass(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => (p.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION")),
    );
  });

  it("fails MUTABLE and the default", async () => {
    await expectViolation(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => (p.imageTagMutability = "MUTABLE")),
      WHO,
      /mutable image tags \(MUTABLE\).*set imageTagMutability: "IMMUTABLE"/,
    );
    await expectViolation(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => delete p.imageTagMutability),
      WHO,
      /mutable image tags/,
    );
  });
});
