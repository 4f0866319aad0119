// The encrypted workspace StorageClass under the engine's mocks: whether it claims the cluster default.
import "./harness/mocks";
import * as assert from "assert";
import { EncryptedStorage, WorkspaceClass } from "../components/storage";
import { DEFAULT_CLASS_ANNOTATION, ENCRYPTED_AT_REST_ANNOTATION } from "../policy-pack/contract";
import { publishedBy } from "./harness/component-outputs";
import { capture, optionsRecorder } from "./harness/mocks";
import { ofType, single } from "./harness/resources";

const EBS: WorkspaceClass = {
  driver: "ebs",
  name: "coder-home",
  volumeType: "gp3",
  reclaimPolicy: "Retain",
  makeDefault: true,
};
const CUSTOM: WorkspaceClass = {
  driver: "custom",
  name: "coder-home",
  provisioner: "rook-ceph.rbd.csi.ceph.com",
  parameters: { encrypted: "true" },
  encryptedAtRest: true,
  reclaimPolicy: "Delete",
  volumeBindingMode: "WaitForFirstConsumer",
  allowVolumeExpansion: true,
  makeDefault: true,
};

async function annotationsOf(workspaceClass: WorkspaceClass): Promise<Record<string, string>> {
  const resources = await capture(() => {
    const storage = new EncryptedStorage("storage", { workspaceClass, demoteDefaultClasses: ["gp2"] });
    return storage.className;
  });
  return single(ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClass"), "StorageClass").inputs.metadata
    .annotations;
}

describe("components/storage: EncryptedStorage", () => {
  it("marks the encrypted class as the cluster default when asked to", async () => {
    assert.deepStrictEqual(await annotationsOf(EBS), { [DEFAULT_CLASS_ANNOTATION]: "true" });
    assert.deepStrictEqual(await annotationsOf(CUSTOM), {
      [DEFAULT_CLASS_ANNOTATION]: "true",
      [ENCRYPTED_AT_REST_ANNOTATION]: "true",
    });
  });

  it("leaves the default to another class when not asked to", async () => {
    assert.deepStrictEqual(await annotationsOf({ ...EBS, makeDefault: false }), {});
    assert.deepStrictEqual(await annotationsOf({ ...CUSTOM, makeDefault: false }), {
      [ENCRYPTED_AT_REST_ANNOTATION]: "true",
    });
  });
});

describe("components/storage: the classes it writes", () => {
  async function deploy(workspaceClass: WorkspaceClass, demoteDefaultClasses: string[]) {
    const options = optionsRecorder();
    let className: string | undefined;
    const resources = await capture(() =>
      new EncryptedStorage(
        "storage",
        { workspaceClass, demoteDefaultClasses },
        { transformations: options.transformations },
      ).className.apply((n) => (className = n)),
    );
    return { resources, options, className };
  }

  it("writes an encrypted EBS class, with the customer-managed key when one is given", async () => {
    const { resources, className } = await deploy({ ...EBS, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k" }, []);
    assert.strictEqual(className, "coder-home");
    assert.deepStrictEqual(await publishedBy("coder-blueprint:storage:EncryptedStorage"), [
      "className",
      "workspaceClass",
    ]);
    const cls = single(ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClass"), "StorageClass");
    assert.strictEqual(cls.name, "storage-coder-home");
    const { metadata, apiVersion, kind, ...spec } = cls.inputs;
    assert.deepStrictEqual([apiVersion, kind, metadata.name], ["storage.k8s.io/v1", "StorageClass", "coder-home"]);
    assert.deepStrictEqual(spec, {
      provisioner: "ebs.csi.aws.com",
      reclaimPolicy: "Retain",
      parameters: {
        type: "gp3",
        encrypted: "true",
        "csi.storage.k8s.io/fstype": "ext4",
        kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
      },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    const { resources: withoutKey } = await deploy(EBS, []);
    const parameters = single(ofType(withoutKey, "kubernetes:storage.k8s.io/v1:StorageClass"), "class").inputs
      .parameters;
    assert.ok(!("kmsKeyId" in parameters), "an EBS class without a key names none (EBS uses the account default)");
  });

  it("writes a custom class as configured", async () => {
    const { resources } = await deploy(CUSTOM, []);
    const {
      metadata: _metadata,
      apiVersion: _v,
      kind: _k,
      ...spec
    } = single(ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClass"), "StorageClass").inputs;
    assert.deepStrictEqual(spec, {
      provisioner: "rook-ceph.rbd.csi.ceph.com",
      reclaimPolicy: "Delete",
      parameters: { encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
  });

  it("takes the default flag from each replaced class before the new default exists", async () => {
    const { resources, options } = await deploy(EBS, ["gp2", "standard"]);
    const patches = ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClassPatch");
    assert.deepStrictEqual(
      patches.map((p) => [p.name, p.inputs.metadata]),
      ["gp2", "standard"].map((cls) => [
        `storage-demote-${cls}`,
        { name: cls, annotations: { [DEFAULT_CLASS_ANNOTATION]: "false", "pulumi.com/patchForce": "true" } },
      ]),
    );
    const dependsOn = options.of("kubernetes:storage.k8s.io/v1:StorageClass", "storage-coder-home")?.dependsOn;
    assert.strictEqual([dependsOn].flat().length, 2, "the new default class waits for both demotions");
  });
});
