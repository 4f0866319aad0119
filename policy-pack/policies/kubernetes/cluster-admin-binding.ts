// On a cluster dedicated to Coder, cluster administration happens through the cloud account (EKS access
// entries), never through a binding the program creates. Binding system:masters is cluster-admin by
// another name, and cannot even be revoked by RBAC.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { eachSubject } from "../../lib/rbac";
import { RBAC_BINDINGS } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export const clusterAdminBinding = definePolicy(
  {
    responsibilities: ["cluster-admins"],
    severity: "critical",
    forbids: "Bindings to `cluster-admin` or of `system:masters`",
    references: {
      cisEks: ["4.1.1"],
      kyverno: ["restrict-binding-clusteradmin", "block-cluster-admin-from-ns", "restrict-binding-system-groups"],
      other: ["Polaris clusterrolebindingClusterAdmin", "Polaris rolebindingClusterAdminClusterRole"],
    },
  },
  {
    name: "cluster-admin-binding",
    description:
      "No RoleBinding or ClusterRoleBinding may grant the cluster-admin ClusterRole or bind the system:masters group.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Bind a Role or ClusterRole listing only the verbs and resources the subject needs; administer the cluster " +
      "through EKS access entries instead.",
    validateResource: forTypes(RBAC_BINDINGS, (props, args, report) => {
      const who = subjectOfArgs(args);
      const gaps = new PreviewGaps();
      gaps.judge(() => {
        const ref = props.roleRef ?? {};
        if (ref.kind === "ClusterRole" && ref.name === "cluster-admin") {
          report(
            `${who}: grants the cluster-admin ClusterRole, i.e. every action on every object; bind a Role with ` +
              `only the verbs and resources the subject needs.`,
          );
        }
      });
      eachSubject(props, gaps, (s) => {
        if (s.kind === "Group" && s.name === "system:masters") {
          report(
            `${who}: binds the system:masters group, which bypasses RBAC entirely; remove that subject and grant a ` +
              `scoped Role instead.`,
          );
        }
      });
      gaps.settle();
    }),
  },
);
