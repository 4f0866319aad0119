import { wildcardRbacRule } from "../policies/kubernetes/wildcard-rbac-rule";
import * as assert from "assert";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";

import { compliantClusterRole, compliantRole } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const ROLE = 'Role "coder-workspaces/coder-workspace-perms"';

describe("wildcard-rbac-rule", () => {
  it("passes roles with explicit verbs, resources and groups", async () => {
    await expectPass(wildcardRbacRule, compliantRole());
    await expectPass(wildcardRbacRule, compliantClusterRole());
  });

  it("fails a wildcard verb", async () => {
    await expectViolation(
      wildcardRbacRule,
      mutate(compliantRole(), (p) => (p.rules[0].verbs = ["*"])),
      ROLE,
      /rule 0 uses a wildcard \(verbs \*\).*list the exact verbs, resources and apiGroups instead/,
    );
  });

  it("fails a wildcard resource, including a subresource wildcard", async () => {
    await expectViolation(
      wildcardRbacRule,
      mutate(compliantRole(), (p) => (p.rules[1].resources = ["*"])),
      ROLE,
      /rule 1 uses a wildcard \(resources \*\)/,
    );
    await expectViolation(
      wildcardRbacRule,
      mutate(compliantRole(), (p) => (p.rules[0].resources = ["pods/*"])),
      ROLE,
      /resources pods\/\*/,
    );
  });

  it("fails a wildcard API group on a ClusterRole", async () => {
    await expectViolation(
      wildcardRbacRule,
      mutate(compliantClusterRole(), (p) => (p.rules[0].apiGroups = ["*"])),
      'ClusterRole "coder-node-reader"',
      /apiGroups \*/,
    );
  });

  it("names every wildcard of a rule and why it is too broad", async () => {
    await expectViolation(
      wildcardRbacRule,
      mutate(compliantRole(), (p) => (p.rules[2] = { apiGroups: ["*"], resources: ["*"], verbs: ["*"] })),
      ROLE,
      new RegExp(
        "rule 2 uses a wildcard \\(verbs \\*, resources \\*, apiGroups \\*\\), which also grants everything added " +
          "to the cluster later; list the exact verbs",
      ),
    );
  });

  it("reports a rule unknown during preview as a gap, and still fails the known wildcard", async () => {
    const o = await expectPreviewGap(
      wildcardRbacRule,
      mutate(compliantRole(), (p) => {
        p.rules[0] = unknown.object;
        p.rules[1].verbs = ["*"];
      }),
      /rules/,
    );
    assert.ok(o.violations.some((v) => v.detail.startsWith(`${ROLE}: rule 1 uses a wildcard`)));
  });
});
