// Seed bullet: Kubernetes and networking › Kubernetes roles › "Cloud access to the control plane" and
// "Cluster admins".
// Reference IDs: CIS EKS 1.8.0 2.1.1 (enable audit logs); Checkov CKV_AWS_37 (control-plane logging).
//
// Without the audit log, nothing records who read a secret, exec'd into a workspace or changed RBAC —
// the actions the seed asks operators to keep accountable on a cluster dedicated to Coder.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";

export const eksAuditLoggingDisabled: ResourceValidationPolicy = {
  name: "eks-audit-logging-disabled",
  description: 'EKS clusters must send the "audit" control-plane log type to CloudWatch (enabledClusterLogTypes).',
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    'Set enabledClusterLogTypes to include "audit" (Checkov CKV_AWS_37 recommends all of api, audit, authenticator, controllerManager, scheduler).',
  validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
    const types: unknown[] = props.enabledClusterLogTypes ?? [];
    if (types.includes("audit")) return;
    report(
      `${subjectOfArgs(args)}: does not enable the audit log type, so API access to secrets, exec and RBAC changes goes unrecorded; add "audit" to enabledClusterLogTypes.`,
    );
  }),
};
