// A volume created directly (rather than by the CSI driver through an encrypted StorageClass) is
// unencrypted unless it says so, and its snapshots can then be shared or copied out of the account
// without touching KMS.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const unencryptedEbsVolume = definePolicy(
  {
    responsibilities: ["storage-encryption", "storage-cloud-access"],
    severity: "high",
    forbids: "EBS volumes without `encrypted: true`",
    references: { cisEks: ["5.3.1 (context)"], checkov: ["CKV_AWS_3"] },
  },
  {
    name: "unencrypted-ebs-volume",
    description: "EBS volumes must set encrypted: true.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set encrypted: true (and kmsKeyId to a customer-managed key). An existing unencrypted volume must be copied " +
      "through an encrypted snapshot.",
    validateResource: forTypes([AWS.ebsVolume], (props, args, report) => {
      if (props.encrypted === true) return;
      report(
        `${subjectOfArgs(args)}: is not encrypted (encrypted is ${JSON.stringify(props.encrypted ?? null)}); set ` +
          `encrypted: true with a customer-managed kmsKeyId.`,
      );
    }),
  },
);
