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
      /mutable image tags \(MUTABLE\)/,
    );
    // Whether the provider keeps empty text or reads it as the MUTABLE default, no tag is immutable.
    await expectViolation(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => (p.imageTagMutability = "")),
      WHO,
      /mutable image tags \(\)/,
    );
  });

  it("passes immutability whose exclusions name tag patterns", async () => {
    await expectPass(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => {
        p.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION";
        p.imageTagMutabilityExclusionFilters = [{ filter: "dev-*", filterType: "WILDCARD" }];
      }),
    );
  });

  it("passes exclusions that start with a wildcard but still name a tag pattern, and skips empty entries", async () => {
    await expectPass(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => {
        p.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION";
        p.imageTagMutabilityExclusionFilters = [null, { filter: "*-rc", filterType: "WILDCARD" }];
      }),
    );
  });

  it("names every catch-all exclusion filter", async () => {
    await expectViolation(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => {
        p.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION";
        p.imageTagMutabilityExclusionFilters = [
          { filter: "*", filterType: "WILDCARD" },
          { filter: "**", filterType: "WILDCARD" },
        ];
      }),
      WHO,
      /\(filter "\*", "\*\*"\)/,
    );
  });

  it("fails immutability with a catch-all exclusion, and MUTABLE_WITH_EXCLUSION", async () => {
    for (const filter of ["*", "**", " * "]) {
      await expectViolation(
        ecrMutableTags,
        mutate(compliantEcrRepository(), (p) => {
          p.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION";
          p.imageTagMutabilityExclusionFilters = [
            { filter: "dev-*", filterType: "WILDCARD" },
            { filter, filterType: "WILDCARD" },
          ];
        }),
        WHO,
        /excludes every tag from immutability \(filter ".*"\), so tags stay mutable; narrow the exclusion filters/,
      );
    }
    await expectViolation(
      ecrMutableTags,
      mutate(compliantEcrRepository(), (p) => (p.imageTagMutability = "MUTABLE_WITH_EXCLUSION")),
      WHO,
      /mutable image tags \(MUTABLE_WITH_EXCLUSION\)/,
    );
  });
});
