import { dangerousRbacGrant } from "../policies/kubernetes/dangerous-rbac-grant";
import { K8S } from "../lib/types";
import * as assert from "assert";
import { runStackPolicy, unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";

import {
  compliantClusterRole,
  compliantClusterRoleBinding,
  compliantRole,
  compliantRoleBinding,
  WORKSPACE_NS,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const RBAC = "rbac.authorization.k8s.io";
const bindTo = (kind: string, name: string, cluster = false) =>
  mutate(cluster ? compliantClusterRoleBinding() : compliantRoleBinding(), (p) => {
    p.roleRef = { apiGroup: RBAC, kind, name };
  });
const clusterRole = (name: string, rules: object[], extra: Record<string, unknown> = {}) =>
  resource(K8S.clusterRole, `cr-${name}`, { metadata: { name, ...extra }, rules });
const CRB = 'ClusterRoleBinding "monitoring-node-reader"';
const RB = `RoleBinding "${WORKSPACE_NS}/coder-workspace-perms"`;

describe("dangerous-rbac-grant", () => {
  it("passes the chart's workspace role, a node reader, and the built-in view role bound in a namespace", async () => {
    await expectStackPass(dangerousRbacGrant, [
      compliantRole(),
      compliantRoleBinding(),
      compliantClusterRole(),
      compliantClusterRoleBinding(),
      bindTo("ClusterRole", "view"),
    ]);
  });

  for (const builtIn of ["cluster-admin", "admin", "edit"]) {
    it(`fails a binding to the built-in ${builtIn} role, resolved by what it grants`, async () => {
      await expectStackViolation(
        dangerousRbacGrant,
        [bindTo("ClusterRole", builtIn)],
        RB,
        new RegExp(`grants .* through .*ClusterRole "${builtIn}" \\(built in\\); bind a role with only the verbs`),
      );
    });
  }

  it("fails a role that reaches pods/exec, nodes/proxy or serviceaccounts/token by any spelling", async () => {
    const cases: [object, RegExp][] = [
      [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }, /pods\/exec/],
      [{ apiGroups: [""], resources: ["*/attach"], verbs: ["get"] }, /pods\/attach/],
      [{ apiGroups: [""], resources: ["*/exec"], verbs: ["create"] }, /pods\/exec/],
      [{ apiGroups: ["*"], resources: ["nodes/proxy"], verbs: ["get"] }, /nodes\/proxy/],
      [{ apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }, /serviceaccounts\/token/],
    ];
    for (const [rule, what] of cases) {
      await expectStackViolation(
        dangerousRbacGrant,
        [clusterRole("coder-node-reader", [rule]), compliantClusterRoleBinding()],
        CRB,
        what,
      );
    }
  });

  it("fails escalate, bind and impersonate, including through a verb wildcard", async () => {
    const cases: [object, RegExp][] = [
      [{ apiGroups: [RBAC], resources: ["clusterroles"], verbs: ["escalate"] }, /the escalate verb/],
      [{ apiGroups: [RBAC], resources: ["roles"], verbs: ["bind"] }, /the bind verb/],
      [{ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }, /the impersonate verb/],
      [{ apiGroups: [RBAC], resources: ["clusterroles"], verbs: ["*"] }, /the escalate verb/],
    ];
    for (const [rule, what] of cases) {
      await expectStackViolation(
        dangerousRbacGrant,
        [clusterRole("coder-node-reader", [rule]), compliantClusterRoleBinding()],
        CRB,
        what,
      );
    }
  });

  it("fails reading Secrets cluster-wide, but not in one namespace", async () => {
    const secrets = clusterRole("coder-node-reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }]);
    await expectStackViolation(
      dangerousRbacGrant,
      [secrets, compliantClusterRoleBinding()],
      CRB,
      /reading Secrets in every namespace.*in every namespace/,
    );
    await expectStackPass(dangerousRbacGrant, [secrets, bindTo("ClusterRole", "coder-node-reader")]);
  });

  it("fails a grant that reaches a role through its aggregationRule", async () => {
    const aggregated = resource(K8S.clusterRole, "cr-agg", {
      metadata: { name: "coder-node-reader" },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-reader": "true" } }] },
    });
    const feeder = clusterRole("innocent-name", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }], {
      labels: { "example.com/aggregate-to-reader": "true" },
    });
    await expectStackViolation(
      dangerousRbacGrant,
      [aggregated, feeder, compliantClusterRoleBinding()],
      CRB,
      /pods\/exec .* through ClusterRole "innocent-name" aggregated into ClusterRole "coder-node-reader"/,
    );
  });

  it("fails an aggregationRule whose empty selector takes in every ClusterRole, cluster-admin included", async () => {
    const everything = resource(K8S.clusterRole, "cr-all", {
      metadata: { name: "coder-node-reader" },
      aggregationRule: { clusterRoleSelectors: [{}] },
    });
    await expectStackViolation(
      dangerousRbacGrant,
      [everything, compliantClusterRoleBinding()],
      CRB,
      /every verb on every resource \(cluster-admin\) through ClusterRole "cluster-admin" \(built in\) aggregated into/,
    );
  });

  it("fails a ClusterRole that feeds dangerous grants into the built-in view role", async () => {
    const feeder = clusterRole("extra-view", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }], {
      labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" },
    });
    await expectStackViolation(
      dangerousRbacGrant,
      [feeder],
      'ClusterRole "extra-view"',
      /aggregates into the built-in view role, handing reading Secrets in every namespace to everyone bound to it/,
    );
    // The grant reaches every binding of view, edit and admin.
    await expectStackViolation(
      dangerousRbacGrant,
      [feeder, bindTo("ClusterRole", "view", true)],
      CRB,
      /reading Secrets in every namespace through ClusterRole "extra-view" aggregated into ClusterRole "view"/,
    );
  });

  it("fails a RolePatch that adds pods/exec to the bound role", async () => {
    const patch = resource(K8S.rolePatch, "role-patch", {
      metadata: { name: "coder-workspace-perms", namespace: WORKSPACE_NS },
      rules: [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }],
    });
    await expectStackViolation(dangerousRbacGrant, [compliantRole(), patch, compliantRoleBinding()], RB, /pods\/exec/);
  });

  it("reports each dangerous grant of a binding once, however many rules repeat it", async () => {
    const exec = { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] };
    const o = await runStackPolicy(dangerousRbacGrant, [
      clusterRole("coder-node-reader", [exec, { ...exec, resources: ["*/exec"] }]),
      compliantClusterRoleBinding(),
    ]);
    assert.deepStrictEqual(
      o.violations.map((v) => v.detail),
      [
        `${CRB}: grants pods/exec (a shell in other pods) through ClusterRole "coder-node-reader" in every namespace; ` +
          "bind a role with only the verbs and resources the subject needs.",
      ],
    );
  });

  it("fails a ClusterRolePatch that feeds several grants into several built-in roles", async () => {
    const feeder = resource(K8S.clusterRolePatch, "crp-extra", {
      metadata: {
        name: "extra-admin",
        labels: {
          "rbac.authorization.k8s.io/aggregate-to-admin": "true",
          "rbac.authorization.k8s.io/aggregate-to-edit": "true",
        },
      },
      rules: [
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["list"] },
      ],
    });
    await expectStackViolation(
      dangerousRbacGrant,
      [feeder],
      'ClusterRolePatch "extra-admin"',
      new RegExp(
        "aggregates into the built-in admin, edit roles, handing pods/exec \\(a shell in other pods\\), " +
          "reading Secrets in every namespace to everyone bound to them; remove the aggregate-to-\\* labels or the grants\\.$",
      ),
    );
  });

  it("passes aggregation labels that feed nothing dangerous, on a namespaced Role, or on a nameless ClusterRole", async () => {
    const view = { "rbac.authorization.k8s.io/aggregate-to-view": "true" };
    await expectStackPass(dangerousRbacGrant, [
      clusterRole("extra-view", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }], { labels: view }),
      // Aggregation selects ClusterRoles only; a same-named unbound ClusterRole is no one's grant.
      resource(K8S.role, "role-labelled", {
        metadata: { name: "secret-reader", namespace: WORKSPACE_NS, labels: view },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
      }),
      clusterRole("secret-reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }]),
      resource(K8S.clusterRole, "cr-nameless", { rules: [] }),
    ]);
  });

  it("reports a rule unknown during preview as a gap, and still fails the known grant", async () => {
    const o = await expectStackPreviewGap(
      dangerousRbacGrant,
      [
        mutate(compliantRole(), (p) => (p.rules[0].verbs = unknown.array)),
        compliantRoleBinding(),
        bindTo("ClusterRole", "cluster-admin", true),
      ],
      /rules/,
    );
    assert.ok(o.violations.some((v) => v.detail.startsWith(`${CRB}: grants`)));
  });
});
