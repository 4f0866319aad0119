// Coder's database holds session tokens, encrypted Git tokens and audit logs. Storage encryption is
// fixed at creation: an unencrypted database can only be fixed by restoring an encrypted copy.
// Read replicas inherit their source's encryption, so they are not judged here.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const unencryptedRdsStorage = definePolicy(
  {
    responsibilities: ["storage-encryption"],
    severity: "high",
    forbids: "RDS instances/clusters without `storageEncrypted`",
    references: { checkov: ["CKV_AWS_16", "CKV_AWS_96"] },
  },
  {
    name: "unencrypted-rds-storage",
    description: "RDS instances and clusters must set storageEncrypted: true.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set storageEncrypted: true (and kmsKeyId to a customer-managed key). For an existing database, restore an " +
      "encrypted snapshot copy.",
    validateResource: forTypes([AWS.rdsInstance, AWS.rdsCluster], (props, args, report) => {
      if (args.type === AWS.rdsInstance && "replicateSourceDb" in props)
        args.notApplicable("Read replicas inherit encryption from their source");
      if (props.storageEncrypted === true) return;
      report(
        `${subjectOfArgs(args)}: storage is not encrypted (storageEncrypted is ` +
          `${JSON.stringify(props.storageEncrypted ?? null)}); set storageEncrypted: true with a customer-managed ` +
          `kmsKeyId.`,
      );
    }),
  },
);
