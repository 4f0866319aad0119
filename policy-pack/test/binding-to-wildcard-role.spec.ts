import { bindingToWildcardRole } from "../policies/kubernetes/binding-to-wildcard-role";
import { expectStackPass, expectStackViolation } from "./expect";
import {
  compliantClusterRole,
  compliantClusterRoleBinding,
  compliantRole,
  compliantRoleBinding,
} from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

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
});
