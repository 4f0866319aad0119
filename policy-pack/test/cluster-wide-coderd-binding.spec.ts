import { clusterWideCoderdBinding } from "../policies/kubernetes/cluster-wide-coderd-binding";
import { K8S } from "../lib/types";
import * as assert from "assert";
import { unknown } from "./harness/analyzer";
import { expectNotApplicable, expectPass, expectPreviewGap, expectViolation } from "./expect";

import { compliantClusterRoleBinding, compliantRoleBinding } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'ClusterRoleBinding "monitoring-node-reader"';
const coderd = { kind: "ServiceAccount", name: "coder", namespace: "coder" };

describe("cluster-wide-coderd-binding", () => {
  it("passes cluster-wide bindings of other namespaces' accounts", async () => {
    await expectPass(clusterWideCoderdBinding, compliantClusterRoleBinding());
  });

  it("does not judge namespaced RoleBindings, which is how coderd should be bound", async () => {
    await expectNotApplicable(clusterWideCoderdBinding, compliantRoleBinding(), /ClusterRoleBinding/);
  });

  it("fails a ClusterRoleBinding of coderd's service account", async () => {
    await expectViolation(
      clusterWideCoderdBinding,
      mutate(compliantClusterRoleBinding(), (p) => (p.subjects = [coderd])),
      WHO,
      /binds coderd's service account "coder\/coder" cluster-wide.*use a RoleBinding in each workspace namespace instead/,
    );
  });

  it("fails another account from coderd's namespace", async () => {
    const binding = mutate(compliantClusterRoleBinding(), (p) => (p.subjects = [{ ...coderd, name: "provisioner" }]));
    await expectViolation(
      clusterWideCoderdBinding,
      binding,
      WHO,
      /binds "provisioner" from coderd's namespace "coder" cluster-wide/,
    );
  });

  it("fails the user and group names Kubernetes gives service accounts", async () => {
    const user = mutate(
      compliantClusterRoleBinding(),
      (p) => (p.subjects = [{ kind: "User", name: "system:serviceaccount:coder:coder" }]),
    );
    await expectViolation(clusterWideCoderdBinding, user, WHO, /coderd's service account "coder\/coder"/);
    const group = mutate(
      compliantClusterRoleBinding(),
      (p) => (p.subjects = [{ kind: "Group", name: "system:serviceaccounts:coder" }]),
    );
    await expectViolation(clusterWideCoderdBinding, group, WHO, /group system:serviceaccounts:coder/);
  });

  it("fails coderd's namespace named through the group of every service account, and peers as users", async () => {
    const group = mutate(
      compliantClusterRoleBinding(),
      (p) => (p.subjects = [{ kind: "Group", name: "system:serviceaccounts" }]),
    );
    await expectViolation(
      clusterWideCoderdBinding,
      group,
      WHO,
      /"\(group system:serviceaccounts\)" from coderd's namespace/,
    );
    const peer = mutate(
      compliantClusterRoleBinding(),
      (p) => (p.subjects = [{ kind: "User", name: "system:serviceaccount:coder:provisioner" }]),
    );
    await expectViolation(clusterWideCoderdBinding, peer, WHO, /binds "provisioner" from coderd's namespace "coder"/);
  });

  it("passes a namespace-less ServiceAccount subject, which a ClusterRoleBinding matches to no account", async () => {
    await expectPass(
      clusterWideCoderdBinding,
      mutate(compliantClusterRoleBinding(), (p) => (p.subjects = [{ kind: "ServiceAccount", name: "coder" }])),
    );
  });

  it("follows the configured namespace and account name", async () => {
    const config = {
      config: { "cluster-wide-coderd-binding": { coderdNamespace: "coder-cp", coderdServiceAccount: "coderd" } },
    };
    const binding = mutate(
      compliantClusterRoleBinding(),
      (p) => (p.subjects = [{ kind: "ServiceAccount", name: "coderd", namespace: "coder-cp" }]),
    );
    await expectViolation(
      clusterWideCoderdBinding,
      binding,
      WHO,
      /coderd's service account "coder-cp\/coderd"/,
      config,
    );
    await expectPass(
      clusterWideCoderdBinding,
      mutate(compliantClusterRoleBinding(), (p) => (p.subjects = [coderd])),
      config,
    );
  });

  it("judges ClusterRoleBinding patches", async () => {
    const patch = mutate(compliantClusterRoleBinding(), (p, r) => {
      r.type = K8S.clusterRoleBindingPatch;
      p.subjects = [coderd];
    });
    await expectViolation(
      clusterWideCoderdBinding,
      patch,
      'ClusterRoleBindingPatch "monitoring-node-reader"',
      /cluster-wide/,
    );
  });

  it("reports a subject unknown during preview as a gap, and still fails coderd's known one", async () => {
    const o = await expectPreviewGap(
      clusterWideCoderdBinding,
      mutate(compliantClusterRoleBinding(), (p) => (p.subjects = [unknown.object, coderd])),
      /subjects/,
    );
    assert.ok(o.violations.some((v) => v.detail.startsWith(`${WHO}: binds coderd's service account`)));
  });
});
