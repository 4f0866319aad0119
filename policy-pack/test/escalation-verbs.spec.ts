import { escalationVerbs } from "../policies/kubernetes/escalation-verbs";
import * as assert from "assert";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";

import { compliantClusterRole, compliantRole } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

describe("escalation-verbs", () => {
  it("passes the chart's workspace role", async () => {
    await expectPass(escalationVerbs, compliantRole());
    await expectPass(escalationVerbs, compliantClusterRole());
  });

  for (const verb of ["escalate", "bind", "impersonate"]) {
    it(`fails a role granting ${verb}`, async () => {
      const role = mutate(compliantClusterRole(), (p) =>
        p.rules.push({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: [verb] }),
      );
      await expectViolation(
        escalationVerbs,
        role,
        'ClusterRole "coder-node-reader"',
        new RegExp(`rule 1 grants ${verb}, which lets its holder raise its own privileges; remove that verb`),
      );
    });
  }

  it("names every escalation verb of a rule", async () => {
    await expectViolation(
      escalationVerbs,
      mutate(compliantClusterRole(), (p) =>
        p.rules.push({ apiGroups: [""], resources: ["users", "groups"], verbs: ["get", "impersonate", "bind"] }),
      ),
      'ClusterRole "coder-node-reader"',
      /rule 1 grants impersonate, bind, which lets its holder raise its own privileges; remove those verbs\.$/,
    );
  });

  it("reports a rule unknown during preview as a gap, and still fails the known one", async () => {
    const o = await expectPreviewGap(
      escalationVerbs,
      mutate(compliantClusterRole(), (p) => p.rules.push(unknown.object, { ...p.rules[0], verbs: ["escalate"] })),
      /rules/,
    );
    assert.ok(o.violations.some((v) => v.detail.startsWith('ClusterRole "coder-node-reader": rule 2 grants escalate')));
  });
});
