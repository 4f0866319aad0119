import * as assert from "assert";
import { unencryptedStorageClass } from "../policies/kubernetes/unencrypted-storage-class";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectNotApplicable, expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantLocalStorageClass, compliantStorageClass } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'StorageClass "coder-encrypted-gp3"';
const REQUIRE_CMK = { config: { "unencrypted-storage-class": { requireKmsKey: true } } };

describe("unencrypted-storage-class", () => {
  it("passes an encrypted EBS class and an attested local default class", async () => {
    await expectPass(unencryptedStorageClass, compliantStorageClass());
    await expectPass(unencryptedStorageClass, compliantStorageClass(), REQUIRE_CMK);
    await expectPass(unencryptedStorageClass, compliantLocalStorageClass());
  });

  it("passes a patch that demotes a default", async () => {
    await expectPass(
      unencryptedStorageClass,
      resource(K8S.storageClassPatch, "demote-gp2", {
        metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } },
      }),
    );
  });

  it("fails a non-default class on a provisioner it cannot read: one storageClassName away from use", async () => {
    for (const provisioner of ["rancher.io/local-path", "efs.csi.aws.com", "example.com/nfs"]) {
      await expectViolation(
        unencryptedStorageClass,
        mutate(compliantLocalStorageClass(), (p) => {
          p.metadata.annotations = {};
          p.provisioner = provisioner;
        }),
        'StorageClass "coder-local"',
        new RegExp(
          `provisioner "${provisioner.replace(/\./g, "\\.")}" cannot be shown to encrypt, and any claim can name this class`,
        ),
      );
    }
  });

  for (const provisioner of ["ebs.csi.aws.com", "kubernetes.io/aws-ebs", "ebs.csi.eks.amazonaws.com"]) {
    it(`fails a non-default unencrypted class on EBS provisioner ${provisioner}`, async () => {
      await expectViolation(
        unencryptedStorageClass,
        mutate(compliantStorageClass(), (p) => {
          p.metadata.annotations = {};
          p.provisioner = provisioner;
          delete p.parameters.encrypted;
        }),
        WHO,
        /EBS volumes it provisions are unencrypted/,
      );
    });
  }

  it("passes an encrypted class on EKS Auto Mode's EBS provisioner", async () => {
    await expectPass(
      unencryptedStorageClass,
      mutate(compliantStorageClass(), (p) => (p.provisioner = "ebs.csi.eks.amazonaws.com")),
    );
  });

  it("fails an EBS class with encrypted false", async () => {
    await expectViolation(
      unencryptedStorageClass,
      mutate(compliantStorageClass(), (p) => (p.parameters.encrypted = "false")),
      WHO,
      /unencrypted \(parameters\.encrypted is "false".*set parameters\.encrypted: "true"/,
    );
  });

  it("fails an EBS class that omits encrypted (EBS defaults to unencrypted)", async () => {
    await expectViolation(
      unencryptedStorageClass,
      mutate(compliantStorageClass(), (p) => delete p.parameters.encrypted),
      WHO,
      /EBS defaults to false\); set parameters\.encrypted: "true"/,
    );
  });

  it("fails the legacy in-tree EBS provisioner without encryption", async () => {
    const legacy = mutate(compliantStorageClass(), (p) => {
      p.provisioner = "kubernetes.io/aws-ebs";
      delete p.parameters.encrypted;
    });
    await expectViolation(unencryptedStorageClass, legacy, WHO, /set parameters\.encrypted: "true"/);
  });

  it("fails a class without kmsKeyId only when requireKmsKey is on", async () => {
    const noKey = mutate(compliantStorageClass(), (p) => delete p.parameters.kmsKeyId);
    await expectPass(unencryptedStorageClass, noKey);
    await expectViolation(
      unencryptedStorageClass,
      noKey,
      WHO,
      /aws\/ebs key.*requireKmsKey.*set parameters\.kmsKeyId/,
      REQUIRE_CMK,
    );
  });

  it("fails a default class on another provisioner without the encrypted-at-rest attestation", async () => {
    const unattested = mutate(
      compliantLocalStorageClass(),
      (p) => delete p.metadata.annotations["coder-blueprint/encrypted-at-rest"],
    );
    await expectViolation(
      unencryptedStorageClass,
      unattested,
      'StorageClass "coder-local"',
      /default class.*"rancher\.io\/local-path" cannot be shown to encrypt; .*annotate coder-blueprint\/encrypted-at-rest: "true"/,
    );
  });

  it("fails a patch that makes an existing class the default without showing it is encrypted", async () => {
    const promote = resource(K8S.storageClassPatch, "promote-gp2", {
      metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    });
    await expectViolation(
      unencryptedStorageClass,
      promote,
      'StorageClassPatch "gp2"',
      /a patch makes an existing class the default; make an encrypted class the default instead/,
    );
  });

  it("fails the beta default-class annotation on an unencrypted class, as a class and as a patch", async () => {
    await expectViolation(
      unencryptedStorageClass,
      resource(K8S.storageClass, "local", {
        metadata: { name: "local", annotations: { "storageclass.beta.kubernetes.io/is-default-class": "true" } },
        provisioner: "rancher.io/local-path",
      }),
      'StorageClass "local"',
      /is the default class, so it receives every workspace home volume, but provisioner "rancher\.io\/local-path"/,
    );
    await expectViolation(
      unencryptedStorageClass,
      resource(K8S.storageClassPatch, "promote-gp2-beta", {
        metadata: { name: "gp2", annotations: { "storageclass.beta.kubernetes.io/is-default-class": "true" } },
      }),
      'StorageClassPatch "gp2"',
      /a patch makes an existing class the default/,
    );
    await expectPass(
      unencryptedStorageClass,
      resource(K8S.storageClassPatch, "demote-gp2-beta", {
        metadata: { name: "gp2", annotations: { "storageclass.beta.kubernetes.io/is-default-class": "false" } },
      }),
    );
  });

  it("accepts a key ARN unknown during preview, but cannot judge an unknown encrypted flag", async () => {
    await expectPass(
      unencryptedStorageClass,
      mutate(compliantStorageClass(), (p) => (p.parameters.kmsKeyId = unknown.string)),
      REQUIRE_CMK,
    );
    await expectPreviewGap(
      unencryptedStorageClass,
      mutate(compliantStorageClass(), (p) => (p.parameters.encrypted = unknown.string)),
      /\.parameters\.encrypted can't be known during preview/,
    );
  });

  it("does not apply to other kinds", async () => {
    await expectNotApplicable(
      unencryptedStorageClass,
      resource("kubernetes:core/v1:ConfigMap", "cm", { metadata: { name: "x" } }),
      /StorageClass/,
    );
  });

  it("fails a patch that turns encryption off on an existing class, whatever its provisioner", async () => {
    await expectViolation(
      unencryptedStorageClass,
      resource(K8S.storageClassPatch, "gp3-off", { metadata: { name: "gp3" }, parameters: { encrypted: "false" } }),
      'StorageClassPatch "gp3"',
      /EBS volumes it provisions are unencrypted \(parameters\.encrypted is "false"/,
    );
  });

  it("asks for the customer-managed key in the unencrypted message only when requireKmsKey is on", async () => {
    const off = mutate(compliantStorageClass(), (p) => (p.parameters.encrypted = "false"));
    const plain = await expectViolation(unencryptedStorageClass, off, WHO, /unencrypted/);
    assert.strictEqual(
      plain.detail,
      `${WHO}: EBS volumes it provisions are unencrypted (parameters.encrypted is "false", EBS defaults to false); ` +
        'set parameters.encrypted: "true".',
    );
    const cmk = await expectViolation(unencryptedStorageClass, off, WHO, /unencrypted/, REQUIRE_CMK);
    assert.strictEqual(
      cmk.detail,
      `${WHO}: EBS volumes it provisions are unencrypted (parameters.encrypted is "false", EBS defaults to false); ` +
        'set parameters.encrypted: "true" and parameters.kmsKeyId to your customer-managed key ARN.',
    );
  });

  it("offers both fixes for an unattested class, default or not", async () => {
    const unattested = mutate(
      compliantLocalStorageClass(),
      (p) => delete p.metadata.annotations["coder-blueprint/encrypted-at-rest"],
    );
    const asDefault = await expectViolation(
      unencryptedStorageClass,
      unattested,
      'StorageClass "coder-local"',
      /default/,
    );
    assert.strictEqual(
      asDefault.detail,
      'StorageClass "coder-local": is the default class, so it receives every workspace home volume, but provisioner ' +
        '"rancher.io/local-path" cannot be shown to encrypt; make an encrypted class the default instead, or ' +
        'annotate coder-blueprint/encrypted-at-rest: "true" if its disks are encrypted at rest.',
    );
    const other = await expectViolation(
      unencryptedStorageClass,
      mutate(unattested, (p) => (p.metadata.annotations = {})),
      'StorageClass "coder-local"',
      /any claim can name this class/,
    );
    assert.strictEqual(
      other.detail,
      'StorageClass "coder-local": provisioner "rancher.io/local-path" cannot be shown to encrypt, and any claim ' +
        "can name this class; use an encrypted EBS class, or annotate coder-blueprint/encrypted-at-rest: " +
        '"true" if its disks are encrypted at rest.',
    );
  });
});
