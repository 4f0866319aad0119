// The aws-auth ConfigMap maps IAM identities to Kubernetes groups outside the Cluster Access Manager: its
// entries are not visible as access entries, are edited by anyone who can write one ConfigMap in
// kube-system, and a typo in it can lock every admin out. The cluster must authenticate through access
// entries only (authenticationMode "API"), and no program may manage aws-auth.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS, K8S } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const eksConfigMapAuth = definePolicy(
  {
    responsibilities: ["cluster-admins", "control-plane-access"],
    severity: "high",
    forbids: "EKS `authenticationMode` other than `API`; an `aws-auth` ConfigMap in kube-system",
    references: {
      cisEks: ["4.1.7", "5.5.1 (context)"],
      other: ['EKS Best Practices IAM (Cluster Access Manager, authentication mode "API")'],
    },
  },
  {
    name: "eks-config-map-auth",
    description:
      'EKS clusters must authenticate through access entries only (accessConfig.authenticationMode "API"), and ' +
      "the aws-auth ConfigMap must not be managed.",
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set accessConfig.authenticationMode: "API" on the cluster, move every aws-auth mapping to an access entry, ' +
      "and delete the aws-auth ConfigMap resource.",
    validateResource: forTypes([AWS.eksCluster, K8S.configMap, K8S.configMapPatch], (props, args, report) => {
      const who = subjectOfArgs(args);
      if (args.type === AWS.eksCluster) {
        const mode: unknown = props.accessConfig?.authenticationMode;
        if (mode === "API") return;
        report(
          `${who}: accessConfig.authenticationMode is ` +
            `${mode === undefined ? "unset (the EKS default honours aws-auth)" : JSON.stringify(mode)}, so the ` +
            'aws-auth ConfigMap can grant cluster access; set accessConfig.authenticationMode: "API".',
        );
        return;
      }
      if (props.metadata?.name !== "aws-auth" || props.metadata.namespace !== "kube-system") return;
      report(
        `${who}: manages the aws-auth ConfigMap, which maps IAM identities to Kubernetes groups outside the ` +
          'Cluster Access Manager; use access entries and authenticationMode "API" instead.',
      );
    }),
  },
);
