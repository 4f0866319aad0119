// A role the stack defines with "*" verbs or resources is cluster-admin under another name. The
// wildcard-rbac-rule policy flags the role itself; this one flags every binding that hands it out, so
// the grant is still caught when that policy is disabled, set to advisory, or the role predates it.
import { PolicyResource } from "@pulumi/policy";
import { namespaceOf } from "../../lib/kubernetes";
import { subjectOfResource } from "../../lib/policy";
import { eachRule, RuleView } from "../../lib/rbac";
import { K8S, RBAC_BINDINGS } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const broad = (rule: RuleView) => rule.verbs.includes("*") || rule.resources.includes("*");

export const bindingToWildcardRole = definePolicy(
  {
    responsibilities: ["cluster-admins"],
    severity: "critical",
    forbids: "Bindings to a stack-defined role with `*` verbs/resources",
    references: {
      cisEks: ["4.1.1", "4.1.3"],
      kyverno: ["restrict-wildcard-verbs", "restrict-wildcard-resources"],
      other: ["Polaris rolebindingClusterAdminClusterRole"],
    },
  },
  {
    name: "binding-to-wildcard-role",
    description:
      'No RoleBinding or ClusterRoleBinding may reference a Role or ClusterRole defined in the stack with "*" ' +
      "verbs or resources.",
    enforcementLevel: "mandatory",
    remediationSteps: "Replace the wildcard role with one listing exact verbs and resources, or bind a narrower role.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      // Keys: "ClusterRole/<name>" and "Role/<namespace>/<name>".
      const wildcardRoles = new Map<string, PolicyResource>();
      for (const r of args.resources) {
        const kind =
          r.type === K8S.clusterRole || r.type === K8S.clusterRolePatch
            ? "ClusterRole"
            : r.type === K8S.role || r.type === K8S.rolePatch
              ? "Role"
              : undefined;
        if (!kind) continue;
        gaps.judge(() => {
          let wildcard = false;
          eachRule(r.props, gaps, (rule) => (wildcard ||= broad(rule)));
          if (!wildcard) return;
          const name = r.props.metadata?.name;
          wildcardRoles.set(kind === "ClusterRole" ? `ClusterRole/${name}` : `Role/${namespaceOf(r)}/${name}`, r);
        });
      }
      for (const b of args.resources) {
        if (!RBAC_BINDINGS.includes(b.type)) continue;
        gaps.judge(() => {
          const ref = b.props.roleRef ?? {};
          const key = ref.kind === "ClusterRole" ? `ClusterRole/${ref.name}` : `Role/${namespaceOf(b)}/${ref.name}`;
          const role = wildcardRoles.get(key);
          if (!role) return;
          report(
            `${subjectOfResource(b)}: grants ${subjectOfResource(role)}, which has "*" verbs or resources and so ` +
              `amounts to cluster-admin; ` +
              "bind a role that lists exact verbs and resources instead.",
            b.urn,
          );
        });
      }
      gaps.settle();
    },
  },
);
