// escalate and bind let a subject grant itself permissions it does not hold; impersonate lets it act as
// any user or group. Any of them turns a scoped service account into cluster-admin.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { eachRule, escalationVerbsIn, ESCALATION_VERBS } from "../../lib/rbac";
import { RBAC_ROLES } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export { ESCALATION_VERBS };

export const escalationVerbs = definePolicy(
  {
    responsibilities: ["coderd-service-account", "cluster-admins"],
    severity: "critical",
    forbids: "`escalate`, `bind`, `impersonate` verbs",
    references: {
      cisEks: ["4.1.8"],
      kyverno: ["restrict-escalation-verbs-roles"],
      checkov: ["CKV_K8S_157", "CKV_K8S_158"],
    },
  },
  {
    name: "escalation-verbs",
    description: "Roles and ClusterRoles must not grant the escalate, bind or impersonate verbs.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove escalate, bind and impersonate from the role's verbs; have an administrator create the bindings the " +
      "subject needs.",
    validateResource: forTypes(RBAC_ROLES, (props, args, report) => {
      const who = subjectOfArgs(args);
      const gaps = new PreviewGaps();
      eachRule(props, gaps, (rule) => {
        const found = escalationVerbsIn(rule);
        if (found.length === 0) return;
        report(
          `${who}: rule ${rule.index} grants ${found.join(", ")}, which lets its holder raise its own privileges; ` +
            `remove ${found.length === 1 ? "that verb" : "those verbs"}.`,
        );
      });
      gaps.settle();
    }),
  },
);
