// With bootstrapClusterCreatorAdminPermissions (the API default is true) whoever ran `pulumi up` — often
// a CI role — becomes a permanent, invisible cluster-admin. Administrators should be explicit access
// entries instead. The setting is fixed at creation: fixing it later replaces the cluster.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const eksCreatorAdminBootstrap = definePolicy(
  {
    responsibilities: ["cluster-admins"],
    severity: "high",
    forbids: "`bootstrapClusterCreatorAdminPermissions` true or unset",
    references: {
      cisEks: ["4.1.1", "4.1.7"],
      other: ["EKS Best Practices IAM (remove cluster-admin from the creator)"],
    },
  },
  {
    name: "eks-creator-admin-bootstrap",
    description:
      "EKS clusters must set accessConfig.bootstrapClusterCreatorAdminPermissions to false (the API default is true).",
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set accessConfig: {authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false} and grant ' +
      "administrators through aws.eks.AccessEntry and AccessPolicyAssociation. Changing it on an existing cluster " +
      "replaces the cluster.",
    validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
      const bootstrap = props.accessConfig?.bootstrapClusterCreatorAdminPermissions;
      if (bootstrap === false) return;
      const what =
        bootstrap === undefined
          ? "leaves accessConfig.bootstrapClusterCreatorAdminPermissions unset (EKS defaults to true)"
          : "sets accessConfig.bootstrapClusterCreatorAdminPermissions: true";
      report(
        `${subjectOfArgs(args)}: ${what}, ` +
          "making the deploying identity a hidden cluster-admin; set it to false and grant administrators through " +
          "EKS access entries.",
      );
    }),
  },
);
