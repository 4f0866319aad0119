// Seed bullet: Kubernetes and networking › Kubernetes roles › "Cluster admins (use of cluster admins can
// pose a security risk)".
// Reference IDs: CIS EKS 1.8.0 4.1.1 (cluster-admin only where required) and 4.1.7 (use Cluster Access
// Manager); EKS Best Practices IAM (remove cluster-admin from the creator).
//
// With bootstrapClusterCreatorAdminPermissions (the API default is true) whoever ran `pulumi up` — often
// a CI role — becomes a permanent, invisible cluster-admin. Administrators should be explicit access
// entries instead. The setting is fixed at creation: fixing it later replaces the cluster.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";

export const eksCreatorAdminBootstrap: ResourceValidationPolicy = {
  name: "eks-creator-admin-bootstrap",
  description:
    "EKS clusters must set accessConfig.bootstrapClusterCreatorAdminPermissions to false (the API default is true).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    'Set accessConfig: {authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false} and grant administrators through aws.eks.AccessEntry and AccessPolicyAssociation. Changing it on an existing cluster replaces the cluster.',
  validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
    const bootstrap = props.accessConfig?.bootstrapClusterCreatorAdminPermissions;
    if (bootstrap === false) return;
    report(
      `${subjectOfArgs(args)}: ${bootstrap === undefined ? "leaves accessConfig.bootstrapClusterCreatorAdminPermissions unset (EKS defaults to true)" : "sets accessConfig.bootstrapClusterCreatorAdminPermissions: true"}, ` +
        "making the deploying identity a hidden cluster-admin; set it to false and grant administrators through EKS access entries.",
    );
  }),
};
