import { eksUnsupportedVersion } from "../policies/aws/eks-unsupported-version";
import { expectPass, expectSettingsRefused, expectViolation } from "./expect";
import { compliantEksCluster } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'EKS cluster "coder"';
const withVersion = (v: string) => mutate(compliantEksCluster(), (p) => (p.version = v));

describe("eks-unsupported-version", () => {
  it("passes supported versions, and an unset version (EKS picks its default)", async () => {
    await expectPass(eksUnsupportedVersion, compliantEksCluster());
    await expectPass(eksUnsupportedVersion, withVersion("1.34"));
    await expectPass(
      eksUnsupportedVersion,
      mutate(compliantEksCluster(), (p) => delete p.version),
    );
  });

  it("fails a version out of standard support", async () => {
    await expectViolation(
      eksUnsupportedVersion,
      withVersion("1.29"),
      WHO,
      /runs Kubernetes "1\.29", which is not in the supported set \(1\.34, 1\.35, 1\.36, 1\.37\); upgrade it to a supported minor version/,
    );
  });

  it("follows the configured list", async () => {
    const config = { config: { "eks-unsupported-version": { supportedVersions: ["1.36", "1.37"] } } };
    await expectViolation(
      eksUnsupportedVersion,
      withVersion("1.35"),
      WHO,
      /not in the supported set \(1\.36, 1\.37\)/,
      config,
    );
  });

  // The policy compares minors: a patch version or a "v" prefix in the list would never match a cluster,
  // and a number is not a version string at all.
  it("refuses supportedVersions entries that are not a bare minor version before judging anything", () => {
    for (const [entry, problem] of [
      ["1.35.2", "Does not match pattern"],
      ["v1.35", "Does not match pattern"],
      ["1", "Does not match pattern"],
      [1.35, "Invalid type\\. Expected: string"],
    ] as const) {
      expectSettingsRefused(
        eksUnsupportedVersion,
        { supportedVersions: ["1.35", entry] },
        new RegExp(`supportedVersions\\.1: ${problem}`),
        `supportedVersions entry ${JSON.stringify(entry)}`,
      );
    }
  });
});
