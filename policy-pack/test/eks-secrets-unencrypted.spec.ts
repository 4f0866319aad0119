import { eksSecretsUnencrypted } from "../policies/aws/eks-secrets-unencrypted";
import * as assert from "assert";
import { previewGaps, unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantEksCluster } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'EKS cluster "coder"';

describe("eks-secrets-unencrypted", () => {
  it("passes envelope encryption of secrets with a KMS key", async () => {
    await expectPass(eksSecretsUnencrypted, compliantEksCluster());
  });

  it("passes a key ARN that is unknown during preview (the key is created in the same update)", async () => {
    await expectPass(
      eksSecretsUnencrypted,
      mutate(compliantEksCluster(), (p) => (p.encryptionConfig.provider.keyArn = unknown.string)),
    );
  });

  it("reports a preview gap, not a verdict, when the encrypted resources are unknown", async () => {
    for (const resources of [[unknown.string], unknown.array]) {
      const o = await expectPreviewGap(
        eksSecretsUnencrypted,
        mutate(compliantEksCluster(), (p) => (p.encryptionConfig.resources = resources)),
        /encryptionConfig/,
      );
      assert.deepStrictEqual(previewGaps(o), o.violations, "a gap, and no verdict on the resources");
    }
  });

  it('passes a known "secrets" next to a resource unknown during preview', async () => {
    await expectPass(
      eksSecretsUnencrypted,
      mutate(compliantEksCluster(), (p) => (p.encryptionConfig.resources = [unknown.string, "secrets"])),
    );
  });

  it("still fails a missing key while the resources are unknown during preview", async () => {
    const o = await expectPreviewGap(
      eksSecretsUnencrypted,
      mutate(compliantEksCluster(), (p) => {
        p.encryptionConfig.resources = [unknown.string];
        p.encryptionConfig.provider = {};
      }),
      /encryptionConfig/,
    );
    assert.match(o.violations.map((v) => v.detail).join("\n"), /names no KMS key/);
  });

  it("fails a cluster without encryptionConfig", async () => {
    await expectViolation(
      eksSecretsUnencrypted,
      mutate(compliantEksCluster(), (p) => delete p.encryptionConfig),
      WHO,
      /has no encryptionConfig.*set encryptionConfig \{resources: \["secrets"\], provider: \{keyArn: <KMS key ARN>\}\}/,
    );
  });

  it("fails encryptionConfig that leaves out secrets", async () => {
    await expectViolation(
      eksSecretsUnencrypted,
      mutate(compliantEksCluster(), (p) => (p.encryptionConfig.resources = [])),
      WHO,
      /encryptionConfig\.resources does not include "secrets"; add "secrets"/,
    );
    await expectViolation(
      eksSecretsUnencrypted,
      mutate(compliantEksCluster(), (p) => (p.encryptionConfig.resources = ["configmaps"])),
      WHO,
      /encryptionConfig\.resources does not include "secrets"/,
    );
  });

  it("fails encryptionConfig without a key", async () => {
    await expectViolation(
      eksSecretsUnencrypted,
      mutate(compliantEksCluster(), (p) => (p.encryptionConfig.provider = {})),
      WHO,
      /names no KMS key; set encryptionConfig\.provider\.keyArn to a customer-managed key ARN\.$/,
    );
  });
});
