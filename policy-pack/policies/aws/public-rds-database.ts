// A publicly accessible database gets a public DNS name and address; only security groups stand between
// the internet and Coder's data. It should be reachable from coderd's network only.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const publicRdsDatabase = definePolicy(
  {
    responsibilities: ["external-interactions", "dedicated-cluster"],
    severity: "critical",
    forbids: "Publicly accessible RDS instances",
    references: { checkov: ["CKV_AWS_17"] },
  },
  {
    name: "public-rds-database",
    description: "RDS instances and Aurora cluster instances must not be publicly accessible.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set publiclyAccessible: false and place the database in private subnets reachable only from the cluster.",
    validateResource: forTypes([AWS.rdsInstance, AWS.rdsClusterInstance], (props, args, report) => {
      if (props.publiclyAccessible !== true) return;
      report(
        `${subjectOfArgs(args)}: is publicly accessible, exposing Coder's database to the internet behind security ` +
          `groups alone; set publiclyAccessible: false.`,
      );
    }),
  },
);
