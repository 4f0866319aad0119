// Seed bullet: Kubernetes and networking › Kubernetes roles › "Service accounts for Coder to create pods"
// and "Cluster admins".
// Reference IDs: CIS EKS 1.8.0 4.1.8 (limit use of the Bind, Impersonate and Escalate permissions);
// Kyverno restrict-escalation-verbs-roles; Checkov CKV_K8S_157 (bind) and CKV_K8S_158 (escalate).
//
// escalate and bind let a subject grant itself permissions it does not hold; impersonate lets it act as
// any user or group. Any of them turns a scoped service account into cluster-admin.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { eachRule, escalationVerbsIn, ESCALATION_VERBS } from "../../lib/rbac";
import { RBAC_ROLES } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";

export { ESCALATION_VERBS };

export const escalationVerbs: ResourceValidationPolicy = {
  name: "escalation-verbs",
  description: "Roles and ClusterRoles must not grant the escalate, bind or impersonate verbs.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Remove escalate, bind and impersonate from the role's verbs; have an administrator create the bindings the subject needs.",
  validateResource: forTypes(RBAC_ROLES, (props, args, report) => {
    const who = subjectOfArgs(args);
    const gaps = new PreviewGaps();
    eachRule(props, gaps, (rule) => {
      const found = escalationVerbsIn(rule);
      if (found.length === 0) return;
      report(
        `${who}: rule ${rule.index} grants ${found.join(", ")}, which lets its holder raise its own privileges; remove ${found.length === 1 ? "that verb" : "those verbs"}.`,
      );
    });
    gaps.settle();
  }),
};
