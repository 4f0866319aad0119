// The encrypted workspace StorageClass under the engine's mocks: whether it claims the cluster default.
import "./harness/mocks";
import * as assert from "assert";
import { EncryptedStorage, WorkspaceClass } from "../components/storage";
import { DEFAULT_CLASS_ANNOTATION, ENCRYPTED_AT_REST_ANNOTATION } from "../policy-pack/contract";
import { capture } from "./harness/mocks";
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
