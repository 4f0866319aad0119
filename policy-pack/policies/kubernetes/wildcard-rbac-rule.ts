// Seed bullet: Kubernetes and networking › Kubernetes roles › "Service accounts for Coder to create pods".
// Reference IDs: CIS EKS 1.8.0 4.1.3 (minimize wildcard use in Roles and ClusterRoles); Kyverno
// restrict-wildcard-resources and restrict-wildcard-verbs; Checkov CKV_K8S_49.
//
// A wildcard silently grows with the cluster: "*" on resources includes secrets and every CRD installed
// later, "*" on verbs includes escalate and impersonate. coderd needs an exact list (the chart's rules).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { eachRule, wildcardsIn } from "../../lib/rbac";
import { RBAC_ROLES } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";

export const wildcardRbacRule: ResourceValidationPolicy = {
  name: "wildcard-rbac-rule",
  description: 'Roles and ClusterRoles must not use "*" in verbs, resources or apiGroups.',
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Replace each wildcard with the explicit verbs, resources and API groups the role needs.",
  validateResource: forTypes(RBAC_ROLES, (props, args, report) => {
    const who = subjectOfArgs(args);
    const gaps = new PreviewGaps();
    eachRule(props, gaps, (rule) => {
      const wildcards = wildcardsIn(rule);
      if (wildcards.length === 0) return;
      report(
        `${who}: rule ${rule.index} uses a wildcard (${wildcards.join(", ")}), which also grants everything added to the cluster later; ` +
          "list the exact verbs, resources and apiGroups instead.",
      );
    });
    gaps.settle();
  }),
};
