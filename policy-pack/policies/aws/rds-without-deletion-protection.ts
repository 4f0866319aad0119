// In production, a `pulumi destroy`, a replacement or a console click must not be able to delete
// Coder's database and with it every user, workspace record and audit log. Off outside production,
// where throwaway stacks need to be deletable.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export interface RdsWithoutDeletionProtectionConfig {
  production: boolean;
}

export const rdsWithoutDeletionProtection = definePolicy(
  {
    responsibilities: ["dedicated-cluster"],
    severity: "medium",
    forbids: "Unprotected databases in production",
    references: { checkov: ["CKV_AWS_139", "CKV_AWS_293"] },
  },
  {
    name: "rds-without-deletion-protection",
    description: "In production stacks, RDS instances and clusters must set deletionProtection: true.",
    enforcementLevel: "mandatory",
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
        `${subjectOfArgs(args)}: has no deletion protection in a production stack, so one destroy or replacement ` +
          `deletes Coder's data; set deletionProtection: true.`,
      );
    }),
  },
);
