// Seed bullet: Recommendations ("database access [is] clearly [an action] taken against Coder").
// Reference IDs: Checkov CKV_AWS_139 (RDS cluster deletion protection) and CKV_AWS_293 (RDS instance
// deletion protection).
//
// In production, a `pulumi destroy`, a replacement or a console click must not be able to delete
// Coder's database and with it every user, workspace record and audit log. Off outside production,
// where throwaway stacks need to be deletable.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";

export interface RdsWithoutDeletionProtectionConfig {
  production: boolean;
}

export const rdsWithoutDeletionProtection: ResourceValidationPolicy = {
  name: "rds-without-deletion-protection",
  description: "In production stacks, RDS instances and clusters must set deletionProtection: true.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Set deletionProtection: true on the database (and protect: true as a Pulumi resource option).",
  configSchema: {
    properties: {
      production: {
        type: "boolean",
        default: false,
        description: "Production stacks must protect their databases from deletion.",
      },
    },
  },
  validateResource: forTypes([AWS.rdsInstance, AWS.rdsCluster], (props, args, report) => {
    if (!args.getConfig<RdsWithoutDeletionProtectionConfig>().production) return;
    if (props.deletionProtection === true) return;
    report(
      `${subjectOfArgs(args)}: has no deletion protection in a production stack, so one destroy or replacement deletes Coder's data; set deletionProtection: true.`,
    );
  }),
};
