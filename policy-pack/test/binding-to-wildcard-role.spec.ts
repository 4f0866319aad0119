import * as assert from "assert";
import { bindingToWildcardRole } from "../policies/kubernetes/binding-to-wildcard-role";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import {
  compliantClusterRole,
  compliantClusterRoleBinding,
  compliantRole,
  compliantRoleBinding,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const rbacStack = () => [
  compliantRole(),
  compliantRoleBinding(),
  compliantClusterRole(),
  compliantClusterRoleBinding(),
];

describe("binding-to-wildcard-role", () => {
  it("passes bindings to roles with explicit rules", async () => {
    await expectStackPass(bindingToWildcardRole, rbacStack());
  });

  it("passes a wildcard role nobody binds (wildcard-rbac-rule judges the role itself)", async () => {
    const [, , cr] = rbacStack();
    await expectStackPass(bindingToWildcardRole, [mutate(cr, (p) => (p.rules[0].verbs = ["*"]))]);
  });

  it("fails a ClusterRoleBinding to a ClusterRole with wildcard verbs", async () => {
    const [role, rb, cr, crb] = rbacStack();
    await expectStackViolation(
      bindingToWildcardRole,
      [role, rb, mutate(cr, (p) => (p.rules[0].verbs = ["*"])), crb],
      'ClusterRoleBinding "monitoring-node-reader"',
      /grants ClusterRole "coder-node-reader", which has "\*" verbs or resources and so amounts to cluster-admin; bind a role that lists exact verbs and resources instead/,
    );
  });

  it("fails a RoleBinding to a same-namespace Role with wildcard resources", async () => {
    const [role, rb, cr, crb] = rbacStack();
    await expectStackViolation(
      bindingToWildcardRole,
      [mutate(role, (p) => (p.rules[0].resources = ["*"])), rb, cr, crb],
      'RoleBinding "coder-workspaces/coder-workspace-perms"',
      /grants Role "coder-workspaces\/coder-workspace-perms"/,
    );
  });

  it("does not confuse a Role in another namespace with the one bound", async () => {
    const [role, rb, cr, crb] = rbacStack();
    const elsewhere = mutate(role, (p, r) => {
      r.name = "elsewhere";
      p.metadata.namespace = "other";
      p.rules[0].resources = ["*"];
    });
    await expectStackPass(bindingToWildcardRole, [role, elsewhere, rb, cr, crb]);
  });

  it("fails bindings to a ClusterRolePatch or RolePatch that adds a wildcard", async () => {
    const [role, rb, cr, crb] = rbacStack();
    const asPatch = (r: typeof role, type: string) =>
      mutate(r, (p, res) => {
        res.type = type;
        p.rules[0].verbs = ["*"];
      });
    await expectStackViolation(
      bindingToWildcardRole,
      [role, rb, asPatch(cr, K8S.clusterRolePatch), crb],
      'ClusterRoleBinding "monitoring-node-reader"',
      /grants ClusterRolePatch "coder-node-reader", which has "\*" verbs/,
    );
    await expectStackViolation(
      bindingToWildcardRole,
      [asPatch(role, K8S.rolePatch), rb, cr, crb],
      'RoleBinding "coder-workspaces/coder-workspace-perms"',
      /grants RolePatch "coder-workspaces\/coder-workspace-perms", which has "\*" verbs/,
    );
  });

  it("does not take another kind's wildcard rules, or a nameless role, for the bound role", async () => {
    const [role, rb, cr, crb] = rbacStack();
    // A custom resource that happens to share the Role's name and carries RBAC-shaped rules.
    const lookalike = resource("kubernetes:policy.example.com/v1:AccessRule", "lookalike", {
      metadata: { name: "coder-workspace-perms", namespace: "coder-workspaces" },
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    });
    const nameless = mutate(role, (p) => {
      delete p.metadata;
      p.rules[0].verbs = ["*"];
    });
    await expectStackPass(bindingToWildcardRole, [role, rb, cr, crb, lookalike, nameless]);
  });

  it("reports a role rule unknown during preview as a gap, and still fails the known wildcard binding", async () => {
    const [role, rb, cr, crb] = rbacStack();
    const o = await expectStackPreviewGap(
      bindingToWildcardRole,
      [mutate(role, (p) => (p.rules[0].verbs = unknown.array)), rb, mutate(cr, (p) => (p.rules[0].verbs = ["*"])), crb],
      /rules/,
    );
    assert.ok(o.violations.some((v) => v.detail.startsWith('ClusterRoleBinding "monitoring-node-reader": grants')));
  });
});
