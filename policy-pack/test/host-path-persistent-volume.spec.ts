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

  it("passes a PersistentVolumePatch that names no spec, and one that removes a hostPath (null)", async () => {
    const labelOnly = resource("kubernetes:core/v1:PersistentVolumePatch", "pv", {
      metadata: { name: "data", labels: { tier: "db" } },
    });
    await expectPass(hostPathPersistentVolume, labelOnly);
    await expectPass(hostPathPersistentVolume, pv({ hostPath: null }, "kubernetes:core/v1:PersistentVolumePatch"));
  });

  it('fails a patch that sets a hostPath without naming its path, showing the path as "?"', async () => {
    await expectViolation(
      hostPathPersistentVolume,
      pv({ hostPath: { type: "DirectoryOrCreate" } }, "kubernetes:core/v1:PersistentVolumePatch"),
      'PersistentVolumePatch "data"',
      /is a hostPath volume at "\?" on a node, so any pod that claims it/,
    );
  });
});
