// A binding grants what its role does once resolved: a built-in role (admin and edit read every Secret and
// exec into pods), a ClusterRole that aggregates others, or a stack role fed through aggregate-to-* labels.
// Judging names ("cluster-admin") or one role's own rules misses all three, so this policy resolves each
// binding's effective rules (lib/rbac-effects.ts) and judges what they let the subject do.
import { subjectOfResource } from "../../lib/policy";
import { dangerousGrants, eachBinding, RbacIndex } from "../../lib/rbac-effects";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export const dangerousRbacGrant = definePolicy(
  {
    responsibilities: ["cluster-admins", "coderd-service-account"],
    severity: "critical",
    forbids:
      "Bindings whose resolved role (built-in, aggregated) grants cluster-admin, escalate/bind/impersonate, " +
      "nodes/proxy, serviceaccounts/token, pods/exec, pods/attach, or Secrets cluster-wide",
    references: {
      cisEks: ["4.1.1", "4.1.2", "4.1.3", "4.1.8"],
      kyverno: ["restrict-escalation-verbs-roles", "restrict-binding-clusteradmin"],
      other: ["Kubernetes RBAC good practices: privilege escalation risks"],
    },
  },
  {
    name: "dangerous-rbac-grant",
    description:
      "No binding may grant, through its role as the API server resolves it (built-in roles, aggregationRule, " +
      "aggregate-to-* labels), cluster-admin, escalate/bind/impersonate, nodes/proxy, serviceaccounts/token, " +
      "pods/exec or pods/attach, nor read Secrets cluster-wide; no ClusterRole may feed such a grant into the " +
      "built-in admin, edit or view roles.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Bind a Role listing only the verbs and resources the subject needs (coderd needs pods, " +
      "persistentvolumeclaims and deployments in workspace namespaces); never bind admin or edit, and drop " +
      "aggregate-to-* labels from roles that carry these grants.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const rbac = new RbacIndex(args.resources, gaps);
      eachBinding(args.resources, gaps, (b) => {
        const rules = rbac.rulesOf(b.roleKind, b.roleName, b.namespace);
        if (!rules) return;
        const seen = new Set<string>();
        for (const g of dangerousGrants(rules, b.cluster)) {
          if (seen.has(g.what)) continue;
          seen.add(g.what);
          report(
            `${subjectOfResource(b.resource)}: grants ${g.what} through ${g.rule.source}` +
              `${b.cluster ? " in every namespace" : ""}; bind a role with only the verbs and resources the ` +
              "subject needs.",
            b.resource.urn,
          );
        }
      });
      for (const r of args.resources) {
        if (r.type !== K8S.clusterRole && r.type !== K8S.clusterRolePatch) continue;
        gaps.judge(() => {
          const metadata = r.props.metadata ?? {};
          const fed = rbac.builtInsFedBy(metadata.labels ?? {});
          if (fed.length === 0) return;
          const rules = rbac.rulesOf("ClusterRole", String(metadata.name)) ?? [];
          const found = [...new Set(dangerousGrants(rules, true).map((g) => g.what))];
          if (found.length === 0) return;
          report(
            `${subjectOfResource(r)}: aggregates into the built-in ${fed.join(", ")} ` +
              `role${fed.length > 1 ? "s" : ""}, ` +
              `handing ${found.join(", ")} to everyone bound to ${fed.length > 1 ? "them" : "it"}; remove the ` +
              "aggregate-to-* labels or the grants.",
            r.urn,
          );
        });
      }
      gaps.settle();
    },
  },
);
