import { everyoneRbacSubject } from "../policies/kubernetes/everyone-rbac-subject";
import * as assert from "assert";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";

import { compliantClusterRoleBinding, compliantRoleBinding } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

describe("everyone-rbac-subject", () => {
  it("passes bindings of specific accounts, and a group of one namespace's accounts", async () => {
    await expectPass(everyoneRbacSubject, compliantRoleBinding());
    await expectPass(
      everyoneRbacSubject,
      mutate(compliantClusterRoleBinding(), (p) =>
        p.subjects.push({ kind: "Group", name: "system:serviceaccounts:monitoring" }),
      ),
    );
  });

  for (const [kind, name] of [
    ["Group", "system:anonymous"],
    ["User", "system:anonymous"],
    ["Group", "system:unauthenticated"],
    ["Group", "system:authenticated"],
    ["Group", "system:serviceaccounts"],
  ]) {
    it(`fails a binding of ${kind} ${name}`, async () => {
      await expectViolation(
        everyoneRbacSubject,
        mutate(compliantClusterRoleBinding(), (p) => p.subjects.push({ kind, name })),
        'ClusterRoleBinding "monitoring-node-reader"',
        new RegExp(`binds ${kind} ${name}, i\\.e\\. every .*; bind the specific ServiceAccount`),
      );
    });
  }

  it("reports a subject unknown during preview as a gap, and still fails the known one", async () => {
    const o = await expectPreviewGap(
      everyoneRbacSubject,
      mutate(compliantClusterRoleBinding(), (p) =>
        p.subjects.push(unknown.object, { kind: "Group", name: "system:authenticated" }),
      ),
      /subjects/,
    );
    assert.ok(o.violations.some((v) => v.detail.includes("binds Group system:authenticated")));
  });
});
