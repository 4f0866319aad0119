import { kmsKeyRotationDisabled } from "../policies/aws/kms-key-rotation-disabled";
import { expectNotApplicable, expectPass, expectViolation } from "./expect";
import { compliantKmsKey } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("kms-key-rotation-disabled", () => {
  it("passes a rotating symmetric key", async () => {
    await expectPass(kmsKeyRotationDisabled, compliantKmsKey());
  });

  it("fails a key with rotation off by default", async () => {
    await expectViolation(
      kmsKeyRotationDisabled,
      mutate(compliantKmsKey(), (p) => delete p.enableKeyRotation),
      'KMS key "coder-key"',
      /automatic rotation off \(enableKeyRotation defaults to false\); set enableKeyRotation: true/,
    );
  });

  it("does not apply to asymmetric keys, which cannot rotate", async () => {
    await expectNotApplicable(
      kmsKeyRotationDisabled,
      mutate(compliantKmsKey(), (p) => ((p.customerMasterKeySpec = "RSA_2048"), (p.keyUsage = "SIGN_VERIFY"))),
      /symmetric/,
    );
  });

  it("does not apply to an asymmetric encryption key, nor to a key whose usage is not encryption", async () => {
    await expectNotApplicable(
      kmsKeyRotationDisabled,
      mutate(compliantKmsKey(), (p) => ((p.customerMasterKeySpec = "RSA_2048"), delete p.enableKeyRotation)),
      /symmetric/,
    );
    await expectNotApplicable(
      kmsKeyRotationDisabled,
      mutate(compliantKmsKey(), (p) => ((p.keyUsage = "GENERATE_VERIFY_MAC"), delete p.enableKeyRotation)),
      /symmetric/,
    );
  });
});
