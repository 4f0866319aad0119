import { unencryptedEbsVolume } from "../policies/aws/unencrypted-ebs-volume";
import { expectPass, expectViolation } from "./expect";
import { compliantEbsVolume } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("unencrypted-ebs-volume", () => {
  it("passes an encrypted volume", async () => {
    await expectPass(unencryptedEbsVolume, compliantEbsVolume());
  });

  it("fails encrypted false and unset", async () => {
    await expectViolation(
      unencryptedEbsVolume,
      mutate(compliantEbsVolume(), (p) => (p.encrypted = false)),
      'EBS volume "scratch"',
      /is not encrypted \(encrypted is false\); set encrypted: true/,
    );
    await expectViolation(
      unencryptedEbsVolume,
      mutate(compliantEbsVolume(), (p) => delete p.encrypted),
      'EBS volume "scratch"',
      /encrypted is null/,
    );
  });
});
