// Cluster-admin through an access entry bypasses every RBAC guard in the pack: the system:masters group
// and the AmazonEKSClusterAdminPolicy access policy both grant everything, and neither shows up as a
// ClusterRoleBinding. Only the break-glass role named in the pack config may hold them.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export interface EksClusterAdminAccessConfig {
  breakGlassRoleArn: string;
}

/** Any partition, any letter case: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy. */
export function isClusterAdminPolicy(arn: unknown): boolean {
  return typeof arn === "string" && /(^|\/)AmazonEKSClusterAdminPolicy$/i.test(arn.trim());
}

function grantsMasters(groups: unknown): boolean {
  return Array.isArray(groups) && groups.some((g) => typeof g === "string" && g.trim() === "system:masters");
}

export const eksClusterAdminAccess = definePolicy(
  {
    responsibilities: ["cluster-admins", "control-plane-access"],
    severity: "critical",
    forbids: "Access entries in `system:masters` or with `AmazonEKSClusterAdminPolicy`, except the break-glass role",
    references: {
      cisEks: ["4.1.1", "4.1.7"],
      kyverno: ["restrict-binding-system-groups"],
      other: ["EKS Best Practices IAM (Cluster Access Manager; no standing cluster-admin)"],
    },
  },
  {
    name: "eks-cluster-admin-access",
    description:
      "EKS access entries must not put a principal in system:masters, and access policy associations must not " +
      "grant AmazonEKSClusterAdminPolicy, except to the configured break-glass role.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Grant a narrower access policy (AmazonEKSViewPolicy, or AmazonEKSEditPolicy scoped to namespaces) or a " +
      "Kubernetes group bound by RBAC; keep cluster-admin for the break-glass role named in breakGlassRoleArn.",
    configSchema: {
      properties: {
        breakGlassRoleArn: {
          type: "string",
          default: "",
          description: "The IAM role ARN that alone may hold cluster-admin through an access entry; empty: none.",
        },
      },
    },
    validateResource: forTypes([AWS.eksAccessEntry, AWS.eksAccessPolicyAssociation], (props, args, report) => {
      const breakGlass = args.getConfig<EksClusterAdminAccessConfig>().breakGlassRoleArn;
      const principal: unknown = props.principalArn;
      const grants =
        args.type === AWS.eksAccessEntry
          ? grantsMasters(props.kubernetesGroups) && "the system:masters group"
          : isClusterAdminPolicy(props.policyArn) && `${String(props.policyArn)}`;
      if (!grants) return;
      if (breakGlass !== "" && principal === breakGlass) return;
      report(
        `${subjectOfArgs(args)}: gives ${String(principal)} cluster-admin through ${grants}, and it is not the ` +
          `break-glass role (${breakGlass || "breakGlassRoleArn unset"}); grant a narrower access policy or an ` +
          "RBAC-bound group instead.",
      );
    }),
  },
);
