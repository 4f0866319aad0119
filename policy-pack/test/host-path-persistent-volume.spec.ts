import { hostPathPersistentVolume } from "../policies/kubernetes/host-path-persistent-volume";
import { expectPass, expectViolation } from "./expect";
import { resource } from "./fixtures/resources";

const pv = (spec: Record<string, unknown>, type = "kubernetes:core/v1:PersistentVolume") =>
  resource(type, "pv", { metadata: { name: "data" }, spec: { capacity: { storage: "10Gi" }, ...spec } });

describe("host-path-persistent-volume", () => {
  it("passes a CSI volume", async () => {
    await expectPass(hostPathPersistentVolume, pv({ csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-1" } }));
  });

  it("fails hostPath and local volumes, and a patch that adds one", async () => {
    await expectViolation(
      hostPathPersistentVolume,
      pv({ hostPath: { path: "/" } }),
      'PersistentVolume "data"',
      /hostPath volume at "\/" on a node/,
    );
    await expectViolation(
      hostPathPersistentVolume,
      pv({ local: { path: "/var/lib/kubelet" } }),
      'PersistentVolume "data"',
      /local volume at "\/var\/lib\/kubelet"/,
    );
    await expectViolation(
      hostPathPersistentVolume,
      pv({ hostPath: { path: "/etc" } }, "kubernetes:core/v1:PersistentVolumePatch"),
      'PersistentVolumePatch "data"',
      /use an encrypted StorageClass instead/,
    );
  });
});
