import { escalationVerbs } from "../policies/kubernetes/escalation-verbs";
import { expectPass, expectViolation } from "./expect";
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
});
