// Which namespaces count as workspace namespaces, and why: the pack settings, the blueprint's role label,
// and coderd's service account being able to create pods there.
import type { PolicyResource } from "@pulumi/policy";
import { policyResource as res } from "../fixtures/resources";
import * as assert from "node:assert/strict";
import { ROLE_LABEL, ROLE_WORKSPACES } from "../../contract";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import {
  coderdNamespaceSubject,
  coderdPodNamespaces,
  configuredWorkspaceNamespaces,
  WorkspaceSettings,
  workspaceNamespaces,
} from "../../lib/workspaces";

const RBAC = "rbac.authorization.k8s.io";
const CODERD = { kind: "ServiceAccount", name: "coder", namespace: "coder" };
const OTHER = { kind: "ServiceAccount", name: "ci", namespace: "ci" };
const BY_RBAC = "coderd can create pods there";

const namespace = (name: string, labels: Record<string, string> = {}, type: string = K8S.namespace) =>
  res(type, `ns-${name}-${type.endsWith("Patch") ? "patch" : "ns"}`, { metadata: { name, labels } });
const labelled = (name: string) => namespace(name, { [ROLE_LABEL]: ROLE_WORKSPACES });
// The built-in edit role lets its holder create pods.
const roleBinding = (ns: string, subjects: object[], role = "edit") =>
  res(K8S.roleBinding, `rb-${ns}-${role}`, {
    metadata: { name: "coderd", namespace: ns },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role },
    subjects,
  });
const clusterRoleBinding = (subjects: object[]) =>
  res(K8S.clusterRoleBinding, "crb-coderd", {
    metadata: { name: "coderd" },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "edit" },
    subjects,
  });

const all = (resources: PolicyResource[], settings: WorkspaceSettings = {}) =>
  workspaceNamespaces(resources, settings, new PreviewGaps());
const reasons = (resources: PolicyResource[], settings: WorkspaceSettings = {}) =>
  Object.fromEntries([...all(resources, settings)].map(([name, ns]) => [name, ns.reasons]));

describe("lib/workspaces", () => {
  it("counts the pack settings and the role label, each reason once", () => {
    assert.deepEqual(reasons([labelled("ws-b"), namespace("apps")], { workspaceNamespaces: ["ws-a", "ws-a"] }), {
      "ws-a": ["pack settings"],
      "ws-b": ["role label"],
    });
    assert.deepEqual(reasons([]), {});
    assert.deepEqual([...configuredWorkspaceNamespaces([], {}, new PreviewGaps())], []);
  });

  it("counts a namespace where coderd can create pods, only when coderd is among the binding's subjects", () => {
    const stack = [namespace("ws"), roleBinding("ws", [OTHER, CODERD]), roleBinding("ci", [OTHER])];
    assert.deepEqual(reasons(stack), { ws: [BY_RBAC] });
    assert.deepEqual([...coderdPodNamespaces(stack, {}, new PreviewGaps()).keys()], ["ws"]);
    assert.deepEqual(reasons([roleBinding("ws", [CODERD], "view")]), {});
  });

  it("reads a cluster-wide grant as every namespace the stack registers, Namespaces and patches", () => {
    const stack = [
      namespace("apps"),
      namespace("legacy", {}, K8S.namespacePatch),
      res(K8S.configMap, "cm", { metadata: { name: "settings", namespace: "apps" } }),
      res(K8S.namespace, "unnamed", {}),
      clusterRoleBinding([CODERD]),
      roleBinding("apps", [CODERD]),
    ];
    assert.deepEqual([...coderdPodNamespaces(stack, {}, new PreviewGaps()).keys()].sort(), ["*", "apps"]);
    assert.deepEqual(reasons(stack, { workspaceNamespaces: ["apps"] }), {
      apps: ["pack settings", BY_RBAC],
      legacy: [BY_RBAC],
    });
  });

  it("names the Namespace itself when the stack also patches it, in either order, else the first patch", () => {
    const ns = namespace("ws");
    const patch = namespace("ws", { team: "a" }, K8S.namespacePatch);
    const later = res(K8S.namespacePatch, "ns-ws-later", { metadata: { name: "ws", labels: { team: "b" } } });
    const resourceOf = (resources: PolicyResource[]) =>
      all([...resources, clusterRoleBinding([CODERD])]).get("ws")?.resource?.name;
    assert.equal(resourceOf([ns, patch]), ns.name);
    assert.equal(resourceOf([patch, ns]), ns.name);
    assert.equal(resourceOf([patch, later]), patch.name);
  });

  it("finds coderd's namespace in a subject however it is spelled, as the API server reads it", () => {
    const settings = { coderdNamespace: "control", coderdServiceAccount: "coderd" };
    const cases: [object, string | undefined, ReturnType<typeof coderdNamespaceSubject>][] = [
      [
        { kind: "ServiceAccount", name: "coderd", namespace: "control" },
        "ws",
        { account: "coderd", coderd: true, group: false },
      ],
      [
        { kind: "ServiceAccount", name: "backup", namespace: "control" },
        "ws",
        { account: "backup", coderd: false, group: false },
      ],
      [{ kind: "ServiceAccount", name: "coderd", namespace: "ws" }, "control", undefined],
      // A subject without a name names no account, not one spelled by a default.
      [{ kind: "ServiceAccount", namespace: "control" }, "ws", { account: "", coderd: false, group: false }],
      // Without a namespace, a RoleBinding's ServiceAccount subject is in the binding's namespace.
      [{ kind: "ServiceAccount", name: "coderd" }, "control", { account: "coderd", coderd: true, group: false }],
      [
        { kind: "ServiceAccount", name: "coderd", namespace: "" },
        "control",
        { account: "coderd", coderd: true, group: false },
      ],
      [{ kind: "ServiceAccount", name: "coderd" }, "ws", undefined],
      [
        { kind: "User", name: "system:serviceaccount:control:coderd" },
        undefined,
        { account: "coderd", coderd: true, group: false },
      ],
      [{ kind: "User", name: "system:serviceaccount:ws:coderd" }, undefined, undefined],
      [{ kind: "User", name: "coderd" }, undefined, undefined],
      [
        { kind: "Group", name: "system:serviceaccounts:control" },
        undefined,
        { account: "(group system:serviceaccounts:control)", coderd: true, group: true },
      ],
      [
        { kind: "Group", name: "system:serviceaccounts" },
        undefined,
        { account: "(group system:serviceaccounts)", coderd: true, group: true },
      ],
      [{ kind: "Group", name: "system:serviceaccounts:ws" }, undefined, undefined],
      [{ kind: "Team", name: "system:serviceaccounts" }, undefined, undefined],
    ];
    for (const [subject, bindingNamespace, expected] of cases)
      assert.deepEqual(coderdNamespaceSubject(subject, settings, bindingNamespace), expected, JSON.stringify(subject));
    assert.equal(coderdNamespaceSubject(CODERD, {})?.coderd, true);
  });
});
