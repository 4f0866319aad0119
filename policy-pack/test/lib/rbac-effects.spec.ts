// The RBAC resolver on its own: which rules a binding's role grants once aggregation, patches and
// wildcards are resolved the way kube-apiserver's authorizer and aggregation controller resolve them.
import type { PolicyResource } from "@pulumi/policy";
import { policyResource as res } from "../fixtures/resources";
import * as assert from "node:assert/strict";
import {
  BindingView,
  dangerousGrants,
  eachBinding,
  EffectiveRule,
  grants,
  RbacIndex,
  selectorMatches,
} from "../../lib/rbac-effects";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";

const RBAC = "rbac.authorization.k8s.io";
const EDIT_LABEL = `${RBAC}/aggregate-to-edit`;

const rule = (verbs: string[], resources: string[], apiGroups = [""], resourceNames: string[] = []) => ({
  verbs,
  apiGroups,
  resources,
  resourceNames,
});
const clusterRole = (name: string, rules: object[], metadata: object = {}, extra: object = {}) =>
  res(K8S.clusterRole, name, { metadata: { name, ...metadata }, rules, ...extra });
const role = (namespace: string, name: string, rules: object[]) =>
  res(K8S.role, `${namespace}-${name}`, { metadata: { name, namespace }, rules });

const READ_PODS = rule(["get"], ["pods"]);
const EXEC = rule(["create"], ["pods/exec"]);

const index = (...resources: PolicyResource[]) => new RbacIndex(resources, new PreviewGaps());
const verbsOf = (rules: EffectiveRule[] | undefined) => (rules ?? []).flatMap((r) => r.verbs);
const effective = (r: object, source = "test"): EffectiveRule => ({ ...rule([], []), ...r, source });

describe("lib/rbac-effects", () => {
  describe("selectorMatches", () => {
    const labels = { team: "a", tier: "web" };
    const matches = (expression: object) => selectorMatches({ matchExpressions: [expression] }, labels);

    it("matches In only when the label is there with one of the values", () => {
      assert.equal(matches({ key: "team", operator: "In", values: ["a", "b"] }), true);
      assert.equal(matches({ key: "team", operator: "In", values: ["b"] }), false);
      assert.equal(matches({ key: "owner", operator: "In", values: ["a"] }), false);
    });

    it("matches NotIn unless the label is there with one of the values", () => {
      assert.equal(matches({ key: "team", operator: "NotIn", values: ["a"] }), false);
      assert.equal(matches({ key: "team", operator: "NotIn", values: ["b"] }), true);
      assert.equal(matches({ key: "owner", operator: "NotIn", values: ["a"] }), true);
    });

    it("matches Exists and DoesNotExist on the label key", () => {
      assert.equal(matches({ key: "team", operator: "Exists" }), true);
      assert.equal(matches({ key: "owner", operator: "Exists" }), false);
      assert.equal(matches({ key: "owner", operator: "DoesNotExist" }), true);
      assert.equal(matches({ key: "team", operator: "DoesNotExist" }), false);
    });

    it("needs every expression to hold, and reads label keys that share a name with object members", () => {
      const both = [
        { key: "team", operator: "In", values: ["a"] },
        { key: "tier", operator: "NotIn", values: ["web"] },
      ];
      assert.equal(selectorMatches({ matchExpressions: both }, labels), false);
      assert.equal(selectorMatches({ matchExpressions: [both[0]] }, labels), true);
      // "constructor" is a valid label key that no role here carries.
      assert.equal(matches({ key: "constructor", operator: "Exists" }), false);
      assert.equal(matches({ key: "constructor", operator: "DoesNotExist" }), true);
    });
  });

  describe("RbacIndex", () => {
    it("keeps only the string entries of a rule's lists", () => {
      const rules = index(clusterRole("reader", [{ verbs: ["get", 7, null], apiGroups: [""], resources: ["pods"] }]));
      assert.deepEqual(verbsOf(rules.rulesOf("ClusterRole", "reader")), ["get"]);
    });

    it("tells a ClusterRole from Roles of the same name in different namespaces", () => {
      const rbac = index(
        clusterRole("reader", [READ_PODS]),
        role("team-a", "reader", [rule(["list"], ["pods"])]),
        role("team-b", "reader", [rule(["watch"], ["pods"])]),
      );
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "reader")), ["get"]);
      assert.deepEqual(verbsOf(rbac.rulesOf("Role", "reader", "team-a")), ["list"]);
      assert.deepEqual(verbsOf(rbac.rulesOf("Role", "reader", "team-b")), ["watch"]);
      assert.deepEqual(
        rbac.rulesOf("Role", "reader", "team-a")?.map((r) => r.source),
        ['Role "team-a/reader"'],
      );
      assert.equal(rbac.rulesOf("ClusterRole", "missing"), undefined);
      assert.equal(rbac.rulesOf("Role", "reader", "team-c"), undefined);
    });

    it("merges a ClusterRolePatch's rules into the role and keeps the role's labels", () => {
      const patch = res(K8S.clusterRolePatch, "extra", { metadata: { name: "reader" }, rules: [EXEC] });
      const rbac = index(clusterRole("reader", [READ_PODS], { labels: { [EDIT_LABEL]: "true" } }), patch);
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "reader")), ["get", "create"]);
      assert.ok(
        rbac
          .rulesOf("ClusterRole", "edit")
          ?.some((r) => r.resources.includes("pods/exec") && /"reader"/.test(r.source)),
      );
    });

    it("replaces a role declared twice rather than merging it", () => {
      const rbac = index(clusterRole("reader", [READ_PODS]), clusterRole("reader", [rule(["list"], ["pods"])]));
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "reader")), ["list"]);
    });

    it("survives a role without metadata", () => {
      const rbac = index(res(K8S.clusterRole, "anonymous", { rules: [READ_PODS] }), clusterRole("reader", [EXEC]));
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "reader")), ["create"]);
    });

    it("aggregates ClusterRoles labelled aggregate-to-edit into edit, a boolean label too, but never a Role", () => {
      const namespaced = res(K8S.role, "labelled-role", {
        metadata: { name: "sneaky", namespace: "team-a", labels: { [EDIT_LABEL]: "true" } },
        rules: [rule(["get"], ["nodes/proxy"])],
      });
      const rbac = index(clusterRole("exec", [EXEC], { labels: { [EDIT_LABEL]: true } }), namespaced);
      const edit = rbac.rulesOf("ClusterRole", "edit") ?? [];
      assert.ok(edit.some((r) => r.resources.includes("pods/exec")));
      assert.ok(!edit.some((r) => r.resources.includes("nodes/proxy")));
    });

    it("aggregates built-in roles only into the built-in of the same name", () => {
      // A Role in a six-letter namespace has a key of the same length as a ClusterRole's prefix.
      const rbac = index(clusterRole("exec", [EXEC], { labels: { [EDIT_LABEL]: "true" } }), role("team-a", "edit", []));
      assert.deepEqual(rbac.rulesOf("Role", "edit", "team-a"), []);
      assert.ok(rbac.rulesOf("ClusterRole", "admin")?.some((r) => r.resources.includes("pods/exec")));
    });

    it("does not crash on ClusterRoles named after object members", () => {
      const rbac = index(clusterRole("constructor", [READ_PODS]), clusterRole("toString", [EXEC]));
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "constructor")), ["get"]);
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "toString")), ["create"]);
    });

    it("resolves an aggregation cycle to every rule on it, whichever role is asked first", () => {
      const selecting = (label: string) => ({
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: "true" } }] },
      });
      const a = clusterRole("a", [READ_PODS], { labels: { "example.com/a": "true" } }, selecting("example.com/b"));
      const b = clusterRole("b", [EXEC], { labels: { "example.com/b": "true" } }, selecting("example.com/a"));
      const rbac = index(a, b);
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "a")).sort(), ["create", "get"]);
      assert.deepEqual(verbsOf(rbac.rulesOf("ClusterRole", "b")).sort(), ["create", "get"]);
    });

    it("names the built-in roles a ClusterRole's labels feed", () => {
      const rbac = index();
      const labels = {
        [`${RBAC}/aggregate-to-admin`]: "true",
        [EDIT_LABEL]: true,
        [`${RBAC}/aggregate-to-view`]: "false",
      };
      assert.deepEqual(rbac.builtInsFedBy(labels), ["admin", "edit"]);
      assert.deepEqual(rbac.builtInsFedBy({}), []);
    });
  });

  describe("eachBinding", () => {
    const views = (...resources: PolicyResource[]) => {
      const seen: Omit<BindingView, "resource" | "subjects">[] = [];
      eachBinding(resources, new PreviewGaps(), ({ cluster, namespace, roleKind, roleName }) =>
        seen.push({ cluster, namespace, roleKind, roleName }),
      );
      return seen;
    };

    it("visits only bindings, ClusterRoleBindingPatches as cluster-wide", () => {
      const roleRef = { apiGroup: RBAC, kind: "ClusterRole", name: "view" };
      assert.deepEqual(
        views(
          clusterRole("view-extra", [READ_PODS]),
          res(K8S.roleBinding, "rb", { metadata: { name: "rb", namespace: "team-a" }, roleRef }),
          res(K8S.clusterRoleBindingPatch, "crbp", { metadata: { name: "crbp" }, roleRef }),
        ),
        [
          { cluster: false, namespace: "team-a", roleKind: "ClusterRole", roleName: "view" },
          { cluster: true, namespace: undefined, roleKind: "ClusterRole", roleName: "view" },
        ],
      );
    });

    it("reads a binding without a roleRef as naming no role", () => {
      assert.deepEqual(views(res(K8S.clusterRoleBinding, "crb", { metadata: { name: "crb" } })), [
        { cluster: true, namespace: undefined, roleKind: "", roleName: "" },
      ]);
    });
  });

  describe("grants", () => {
    it("matches resources as the API server does: exact, *, and */<subresource>", () => {
      assert.equal(grants(effective({ verbs: ["get"], apiGroups: [""], resources: ["*"] }), "get", "", "pods"), true);
      const exec = (resources: string[]) =>
        grants(effective({ verbs: ["create"], apiGroups: [""], resources }), "create", "", "pods/exec");
      assert.equal(exec(["pods/exec"]), true);
      assert.equal(exec(["*/exec"]), true);
      assert.equal(exec(["*"]), true);
      // "pods/*" names a subresource called "*", so it grants no real subresource.
      assert.equal(exec(["pods/*"]), false);
      assert.equal(exec(["pods", "*/attach"]), false);
    });

    it("grants a top-level resource through no subresource spelling", () => {
      const pods = (resources: string[]) =>
        grants(effective({ verbs: ["create"], apiGroups: [""], resources }), "create", "", "pods");
      assert.equal(pods(["pods"]), true);
      assert.equal(pods(["pods/*", "*/exec", "*/undefined", "*/"]), false);
    });
  });

  describe("dangerousGrants", () => {
    const whats = (rules: object[], clusterWide = false) =>
      dangerousGrants(
        rules.map((r) => effective(r)),
        clusterWide,
      ).map((g) => g.what);

    it("calls only every verb on every resource in every group cluster-admin", () => {
      assert.deepEqual(whats([rule(["*"], ["*"], ["*"])]), ["every verb on every resource (cluster-admin)"]);
      assert.deepEqual(whats([rule(["*"], ["configmaps"], ["*"])]), []);
      assert.ok(!whats([rule(["get"], ["*"], ["*"])]).includes("every verb on every resource (cluster-admin)"));
    });

    it("spares subresource grants limited to named objects, but not escalation verbs", () => {
      assert.deepEqual(whats([rule(["create"], ["pods/exec"], [""], ["debug-pod"])]), []);
      assert.deepEqual(whats([rule(["create"], ["pods/exec"])]), ["pods/exec (a shell in other pods)"]);
      assert.deepEqual(whats([rule(["bind"], ["clusterroles"], [RBAC], ["view"])]), ["the bind verb"]);
    });

    it("adds reading Secrets only when the grant is cluster-wide", () => {
      assert.deepEqual(whats([rule(["list"], ["*"])], true), ["reading Secrets in every namespace"]);
      assert.deepEqual(whats([rule(["list"], ["*"])], false), []);
    });
  });
});
