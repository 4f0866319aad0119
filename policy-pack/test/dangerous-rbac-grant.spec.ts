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
const detailsOf = async (stack: ReturnType<typeof resource>[]) =>
  (await runStackPolicy(dangerousRbacGrant, stack)).violations.map((v) => v.detail).sort();
const grantDetail = (subject: string, what: string, source: string, cluster: boolean) =>
  `${subject}: grants ${what} through ${source}${cluster ? " in every namespace" : ""}; bind a role with only ` +
  "the verbs and resources the subject needs.";
// What the built-in edit role grants, written out rather than imported so that losing an entry of
// lib/rbac-effects.ts's table fails here (its creating pods is lib/workspaces' to pin).
const EDIT_GRANTS = [
  "the impersonate verb",
  "pods/exec (a shell in other pods)",
  "pods/attach (other pods' terminals)",
  "serviceaccounts/token (mints tokens)",
];
const EDIT = 'ClusterRole "edit" (built in)';

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

  it("fails a binding to edit, or to admin through edit, for each grant edit carries", async () => {
    for (const [role, source] of [
      ["edit", EDIT],
      ["admin", `${EDIT} aggregated into ClusterRole "admin" (built in)`],
    ]) {
      assert.deepStrictEqual(
        await detailsOf([bindTo("ClusterRole", role)]),
        EDIT_GRANTS.map((what) => grantDetail(RB, what, source, false)).sort(),
        `a RoleBinding to ${role}`,
      );
      // Bound cluster-wide, edit's reading of Secrets reaches every namespace.
      assert.deepStrictEqual(
        await detailsOf([bindTo("ClusterRole", role, true)]),
        [...EDIT_GRANTS, "reading Secrets in every namespace"]
          .map((what) => grantDetail(CRB, what, source, true))
          .sort(),
        `a ClusterRoleBinding to ${role}`,
      );
    }
  });

  it("passes the built-in view role bound cluster-wide, as view reads no Secrets", async () => {
    await expectStackPass(dangerousRbacGrant, [bindTo("ClusterRole", "view", true)]);
  });

  it("fails a binding to edit or admin that reaches a grant fed into view", async () => {
    const feeder = clusterRole("extra-view", [{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }], {
      labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" },
    });
    const viaView = 'ClusterRole "extra-view" aggregated into ClusterRole "view" \\(built in\\) aggregated into';
    await expectStackViolation(
      dangerousRbacGrant,
      [feeder, bindTo("ClusterRole", "edit")],
      RB,
      new RegExp(`grants nodes/proxy .* through ${viaView} ClusterRole "edit" \\(built in\\);`),
    );
    await expectStackViolation(
      dangerousRbacGrant,
      [feeder, bindTo("ClusterRole", "admin")],
      RB,
      new RegExp(`grants nodes/proxy .* through ${viaView} ClusterRole "edit" .* aggregated into ClusterRole "admin"`),
    );
  });

  it("fails reading Secrets cluster-wide through any one of get, list and watch", async () => {
    for (const verb of ["get", "list", "watch"]) {
      await expectStackViolation(
        dangerousRbacGrant,
        [
          clusterRole("coder-node-reader", [{ apiGroups: [""], resources: ["secrets"], verbs: [verb] }]),
          compliantClusterRoleBinding(),
        ],
        CRB,
        /grants reading Secrets in every namespace through/,
      );
    }
  });

  it("fails each dangerous subresource through each verb that reaches it", async () => {
    const cases: [string, string, string][] = [
      ["nodes/proxy", "get", "nodes/proxy (the kubelet API on every node)"],
      ["nodes/proxy", "create", "nodes/proxy (the kubelet API on every node)"],
      ["serviceaccounts/token", "create", "serviceaccounts/token (mints tokens)"],
      ["pods/exec", "create", "pods/exec (a shell in other pods)"],
      ["pods/exec", "get", "pods/exec (a shell in other pods)"],
      ["pods/attach", "create", "pods/attach (other pods' terminals)"],
      ["pods/attach", "get", "pods/attach (other pods' terminals)"],
    ];
    for (const [resourceName, verb, what] of cases) {
      const rule = { apiGroups: [""], resources: [resourceName], verbs: [verb] };
      assert.deepStrictEqual(
        await detailsOf([clusterRole("coder-node-reader", [rule]), compliantClusterRoleBinding()]),
        [grantDetail(CRB, what, 'ClusterRole "coder-node-reader"', true)],
        `${verb} on ${resourceName}`,
      );
    }
  });

  it("fails escalate and bind on roles or clusterroles, and impersonating any kind of identity", async () => {
    const cases: [string, string, string][] = [
      ["escalate", RBAC, "clusterroles"],
      ["escalate", RBAC, "roles"],
      ["bind", RBAC, "clusterroles"],
      ["bind", RBAC, "roles"],
      ["impersonate", "", "users"],
      ["impersonate", "", "groups"],
      ["impersonate", "", "serviceaccounts"],
      ["impersonate", "", "uids"],
    ];
    for (const [verb, group, resourceName] of cases) {
      const rule = { apiGroups: [group], resources: [resourceName], verbs: [verb] };
      assert.deepStrictEqual(
        await detailsOf([clusterRole("coder-node-reader", [rule]), compliantClusterRoleBinding()]),
        [grantDetail(CRB, `the ${verb} verb`, 'ClusterRole "coder-node-reader"', true)],
        `${verb} on ${resourceName}`,
      );
    }
  });

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
