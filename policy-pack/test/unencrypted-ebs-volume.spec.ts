import { unencryptedEbsVolume } from "../policies/aws/unencrypted-ebs-volume";
import { expectPass, expectViolation } from "./expect";
import { compliantEbsVolume, compliantEncryptionByDefault } from "./fixtures/aws";
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

  it("passes account encryption by default left on or unset", async () => {
    await expectPass(unencryptedEbsVolume, compliantEncryptionByDefault());
    await expectPass(
      unencryptedEbsVolume,
      mutate(compliantEncryptionByDefault(), (p) => delete p.enabled),
    );
  });

  it("fails account encryption by default turned off, in any spelling", async () => {
    for (const enabled of [false, "false"]) {
      await expectViolation(
        unencryptedEbsVolume,
        mutate(compliantEncryptionByDefault(), (p) => (p.enabled = enabled)),
        'EBS encryption by default "ebs-default-encryption"',
        /turns the account's EBS encryption by default off \(enabled is .*false.*\).*set enabled: true/,
      );
    }
  });
});
