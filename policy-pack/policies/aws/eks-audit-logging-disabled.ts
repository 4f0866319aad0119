// Without the audit log, nothing records who read a secret, exec'd into a workspace or changed RBAC —
// the actions Coder's shared-responsibility model asks operators to keep accountable on a cluster
// dedicated to Coder.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const eksAuditLoggingDisabled = definePolicy(
  {
    responsibilities: ["control-plane-access"],
    severity: "medium",
    forbids: "EKS without the `audit` log type",
    references: { cisEks: ["2.1.1"], checkov: ["CKV_AWS_37"] },
  },
  {
    name: "eks-audit-logging-disabled",
    description: 'EKS clusters must send the "audit" control-plane log type to CloudWatch (enabledClusterLogTypes).',
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set enabledClusterLogTypes to include "audit" (Checkov CKV_AWS_37 recommends all of api, audit, ' +
      "authenticator, controllerManager, scheduler).",
    validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
      if (props.enabledClusterLogTypes?.includes("audit")) return;
      report(
        `${subjectOfArgs(args)}: does not enable the audit log type, so API access to secrets, exec and RBAC ` +
          `changes goes unrecorded; add "audit" to enabledClusterLogTypes.`,
      );
    }),
  },
);
