// Seed bullet: Recommendations ("the security boundary is around the cluster, so things like ... database
// access are clearly actions taken against Coder"); Networking › "External interactions".
// Reference IDs: Checkov CKV_AWS_17 (RDS not publicly accessible).
//
// A publicly accessible database gets a public DNS name and address; only security groups stand between
// the internet and Coder's data. It should be reachable from coderd's network only.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";

export const publicRdsDatabase: ResourceValidationPolicy = {
  name: "public-rds-database",
  description: "RDS instances and Aurora cluster instances must not be publicly accessible.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Set publiclyAccessible: false and place the database in private subnets reachable only from the cluster.",
  validateResource: forTypes([AWS.rdsInstance, AWS.rdsClusterInstance], (props, args, report) => {
    if (props.publiclyAccessible !== true) return;
    report(
      `${subjectOfArgs(args)}: is publicly accessible, exposing Coder's database to the internet behind security groups alone; set publiclyAccessible: false.`,
    );
  }),
};
