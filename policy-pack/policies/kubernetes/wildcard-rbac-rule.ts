// A wildcard silently grows with the cluster: "*" on resources includes secrets and every CRD installed
// later, "*" on verbs includes escalate and impersonate. coderd needs an exact list (the chart's rules).
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { eachRule, wildcardsIn } from "../../lib/rbac";
import { RBAC_ROLES } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export const wildcardRbacRule = definePolicy(
  {
    responsibilities: ["coderd-service-account"],
    severity: "high",
    forbids: "`*` in a Role/ClusterRole's verbs, resources or apiGroups",
    references: {
      cisEks: ["4.1.3"],
      kyverno: ["restrict-wildcard-resources", "restrict-wildcard-verbs"],
      checkov: ["CKV_K8S_49"],
    },
  },
  {
    name: "wildcard-rbac-rule",
    description: 'Roles and ClusterRoles must not use "*" in verbs, resources or apiGroups.',
    enforcementLevel: "mandatory",
    remediationSteps: "Replace each wildcard with the explicit verbs, resources and API groups the role needs.",
    validateResource: forTypes(RBAC_ROLES, (props, args, report) => {
      const who = subjectOfArgs(args);
      const gaps = new PreviewGaps();
      eachRule(props, gaps, (rule) => {
        const wildcards = wildcardsIn(rule);
        if (wildcards.length === 0) return;
        report(
          `${who}: rule ${rule.index} uses a wildcard (${wildcards.join(", ")}), which also grants everything ` +
            `added to the cluster later; ` +
            "list the exact verbs, resources and apiGroups instead.",
        );
      });
      gaps.settle();
    }),
  },
);
