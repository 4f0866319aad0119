import { coderdBindingOutsideWorkspaces } from "../policies/kubernetes/coderd-binding-outside-workspaces";
import * as assert from "assert";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";

import { compliantKubernetesStack, compliantRoleBinding, CONTROL_PLANE_NS, WORKSPACE_NS } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const SETTINGS = (workspaceNamespaces: string[]) => ({
  config: { "coderd-binding-outside-workspaces": { workspaceNamespaces } },
});

describe("coderd-binding-outside-workspaces", () => {
  it("passes coderd bound in a labelled workspace namespace, or one the pack settings name", async () => {
    await expectStackPass(coderdBindingOutsideWorkspaces, [...compliantKubernetesStack(), compliantRoleBinding()]);
    await expectStackPass(coderdBindingOutsideWorkspaces, [compliantRoleBinding("team-a")], SETTINGS(["team-a"]));
  });

  for (const ns of ["kube-system", "default", CONTROL_PLANE_NS]) {
    it(`fails coderd's service account bound in ${ns}`, async () => {
      await expectStackViolation(
        coderdBindingOutsideWorkspaces,
        [...compliantKubernetesStack(), compliantRoleBinding(ns)],
        `RoleBinding "${ns}/coder-workspace-perms"`,
        new RegExp(
          `binds coderd's service account in namespace "${ns}", which is not a workspace namespace \\(${WORKSPACE_NS}\\)`,
        ),
      );
    });
  }

  it("fails coderd named as a user or through its namespace's group", async () => {
    for (const subject of [
      { kind: "User", name: `system:serviceaccount:${CONTROL_PLANE_NS}:coder` },
      { kind: "Group", name: `system:serviceaccounts:${CONTROL_PLANE_NS}` },
    ]) {
      await expectStackViolation(
        coderdBindingOutsideWorkspaces,
        [mutate(compliantRoleBinding("kube-system"), (p) => (p.subjects = [subject]))],
        'RoleBinding "kube-system/coder-workspace-perms"',
        /binds coderd's service account in namespace "kube-system"/,
      );
    }
  });

  it("fails coderd named without a namespace in a RoleBinding of its own namespace, which the API server reads as there", async () => {
    const local = (ns: string) =>
      mutate(compliantRoleBinding(ns), (p) => (p.subjects = [{ kind: "ServiceAccount", name: "coder" }]));
    for (const namespace of [undefined, ""]) {
      await expectStackViolation(
        coderdBindingOutsideWorkspaces,
        [
          mutate(compliantRoleBinding(CONTROL_PLANE_NS), (p) => {
            p.subjects = [{ kind: "ServiceAccount", name: "coder", namespace }];
          }),
        ],
        `RoleBinding "${CONTROL_PLANE_NS}/coder-workspace-perms"`,
        new RegExp(`binds coderd's service account in namespace "${CONTROL_PLANE_NS}"`),
      );
    }
    // The same subject elsewhere is that namespace's own "coder" account, not coderd's.
    await expectStackPass(coderdBindingOutsideWorkspaces, [local("kube-system")]);
  });

  it("passes other accounts of coderd's namespace, which cluster-wide-coderd-binding judges only cluster-wide", async () => {
    for (const subject of [
      { kind: "ServiceAccount", name: "provisioner", namespace: CONTROL_PLANE_NS },
      { kind: "User", name: `system:serviceaccount:${CONTROL_PLANE_NS}:provisioner` },
    ]) {
      await expectStackPass(coderdBindingOutsideWorkspaces, [
        mutate(compliantRoleBinding("kube-system"), (p) => (p.subjects = [subject])),
      ]);
    }
  });

  it("follows the configured coderd namespace and service account", async () => {
    const binding = mutate(
      compliantRoleBinding("kube-system"),
      (p) => (p.subjects = [{ kind: "ServiceAccount", name: "cd", namespace: "ctl" }]),
    );
    await expectStackPass(coderdBindingOutsideWorkspaces, [binding]);
    await expectStackViolation(
      coderdBindingOutsideWorkspaces,
      [binding],
      'RoleBinding "kube-system/coder-workspace-perms"',
      /coderd's service account/,
      { config: { "coderd-binding-outside-workspaces": { coderdNamespace: "ctl", coderdServiceAccount: "cd" } } },
    );
  });

  it("names every configured workspace namespace, or none, and the fix", async () => {
    await expectStackViolation(
      coderdBindingOutsideWorkspaces,
      [compliantRoleBinding("kube-system")],
      'RoleBinding "kube-system/coder-workspace-perms"',
      new RegExp(
        `binds coderd's service account in namespace "kube-system", which is not a workspace namespace ` +
          `\\(team-a, team-b\\); remove the binding or make the namespace a configured workspace namespace\\.$`,
      ),
      SETTINGS(["team-a", "team-b"]),
    );
    await expectStackViolation(
      coderdBindingOutsideWorkspaces,
      [compliantRoleBinding("kube-system")],
      'RoleBinding "kube-system/coder-workspace-perms"',
      /is not a workspace namespace \(none configured\); remove the binding/,
    );
  });

  it("fails coderd listed beside other subjects", async () => {
    await expectStackViolation(
      coderdBindingOutsideWorkspaces,
      [
        mutate(compliantRoleBinding("kube-system"), (p) =>
          p.subjects.unshift({ kind: "ServiceAccount", name: "prometheus", namespace: "monitoring" }),
        ),
      ],
      'RoleBinding "kube-system/coder-workspace-perms"',
      /binds coderd's service account in namespace "kube-system"/,
    );
  });

  it("reports a subject unknown during preview as a gap, and still fails the known binding", async () => {
    const o = await expectStackPreviewGap(
      coderdBindingOutsideWorkspaces,
      [
        mutate(compliantRoleBinding("default"), (p) => p.subjects.push(unknown.object)),
        compliantRoleBinding("kube-system"),
      ],
      /subjects/,
    );
    assert.ok(o.violations.some((v) => v.detail.startsWith('RoleBinding "kube-system/coder-workspace-perms": binds')));
  });
});
