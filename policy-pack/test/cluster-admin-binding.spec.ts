import { clusterAdminBinding } from "../policies/kubernetes/cluster-admin-binding";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantClusterRoleBinding, compliantRoleBinding } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

describe("cluster-admin-binding", () => {
  it("passes bindings to scoped roles", async () => {
    await expectPass(clusterAdminBinding, compliantRoleBinding());
    await expectPass(clusterAdminBinding, compliantClusterRoleBinding());
  });

  it("fails a ClusterRoleBinding to cluster-admin", async () => {
    const binding = mutate(compliantClusterRoleBinding(), (p) => (p.roleRef.name = "cluster-admin"));
    await expectViolation(
      clusterAdminBinding,
      binding,
      'ClusterRoleBinding "monitoring-node-reader"',
      /grants the cluster-admin ClusterRole.*bind a Role with only the verbs and resources the subject needs/,
    );
  });

  it("fails a RoleBinding to the cluster-admin ClusterRole", async () => {
    const binding = mutate(
      compliantRoleBinding(),
      (p) => (p.roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }),
    );
    await expectViolation(
      clusterAdminBinding,
      binding,
      'RoleBinding "coder-workspaces/coder-workspace-perms"',
      /grants the cluster-admin ClusterRole/,
    );
  });

  it("fails a binding of the system:masters group", async () => {
    const binding = mutate(compliantClusterRoleBinding(), (p) =>
      p.subjects.push({ kind: "Group", name: "system:masters", apiGroup: "rbac.authorization.k8s.io" }),
    );
    await expectViolation(
      clusterAdminBinding,
      binding,
      'ClusterRoleBinding "monitoring-node-reader"',
      /binds the system:masters group, which bypasses RBAC entirely; remove that subject and grant a scoped Role instead\./,
    );
  });

  it("reports an unknown role name as a preview gap, not a pass", async () => {
    await expectPreviewGap(
      clusterAdminBinding,
      mutate(compliantClusterRoleBinding(), (p) => (p.roleRef.name = unknown.string)),
      /\.roleRef\.name can't be known/,
    );
  });

  it("passes a namespaced Role that happens to be called cluster-admin, and subjects other than the masters group", async () => {
    await expectPass(
      clusterAdminBinding,
      mutate(compliantRoleBinding(), (p) => (p.roleRef.name = "cluster-admin")),
    );
    await expectPass(
      clusterAdminBinding,
      mutate(compliantClusterRoleBinding(), (p) =>
        p.subjects.push(
          { kind: "User", name: "system:masters", apiGroup: "rbac.authorization.k8s.io" },
          { kind: "Group", name: "platform-team", apiGroup: "rbac.authorization.k8s.io" },
        ),
      ),
    );
  });
});
