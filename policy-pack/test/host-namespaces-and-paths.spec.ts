import { hostNamespacesAndPaths } from "../policies/kubernetes/host-namespaces-and-paths";
import { unknown } from "./harness/analyzer";
import { expectPass, expectViolation } from "./expect";
import { compliantDeployment, compliantPod, podSpec, SDK_WORKLOAD_KINDS, workloadOf } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace"';

describe("host-namespaces-and-paths", () => {
  it("passes workloads with only PVC, emptyDir and projected volumes", async () => {
    await expectPass(hostNamespacesAndPaths, compliantDeployment());
    await expectPass(
      hostNamespacesAndPaths,
      mutate(compliantPod(), (p) => p.spec.volumes.push({ name: "tmp", emptyDir: {} })),
    );
  });

  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    it(`fails ${field}: true`, async () => {
      await expectViolation(
        hostNamespacesAndPaths,
        mutate(compliantDeployment(), (p) => (podSpec(p)[field] = true)),
        WHO,
        new RegExp(`sets ${field}: true, sharing the node's namespace with the pod; remove ${field}`),
      );
    });
  }

  // A Patch names only what it changes, so its pod template may hold no containers: only the kind's own place
  // finds it, where a search for a containers list (as for custom resources) would not.
  for (const [groupVersion, kind] of SDK_WORKLOAD_KINDS) {
    it(`fails hostNetwork: true set by a ${kind}Patch of ${groupVersion} that names no containers`, async () => {
      await expectViolation(
        hostNamespacesAndPaths,
        workloadOf(groupVersion, kind, { hostNetwork: true }, true),
        `${kind}Patch "coder-workspaces/ws"`,
        /sets hostNetwork: true, sharing the node's namespace with the pod/,
      );
    });
  }

  it("fails a hostPath volume", async () => {
    const docker = mutate(compliantDeployment(), (p) =>
      podSpec(p).volumes.push({ name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }),
    );
    await expectViolation(
      hostNamespacesAndPaths,
      docker,
      WHO,
      /volume "docker-sock" mounts hostPath "\/var\/run\/docker\.sock" from the node; use a PersistentVolumeClaim/,
    );
  });

  it("fails a hostPath volume whose path is unknown during preview, showing the path as empty", async () => {
    await expectViolation(
      hostNamespacesAndPaths,
      mutate(compliantDeployment(), (p) =>
        podSpec(p).volumes.push({ name: "node-dir", hostPath: { path: unknown.string } }),
      ),
      WHO,
      /volume "node-dir" mounts hostPath "" from the node; use a PersistentVolumeClaim/,
    );
  });
});
