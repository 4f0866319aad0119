// A volume created directly (rather than by the CSI driver through an encrypted StorageClass) is
// unencrypted unless it says so, and its snapshots can then be shared or copied out of the account
// without touching KMS. Turning off the account's EBS encryption by default does the same for every
// volume that leaves `encrypted` unset, node volumes created by other tools included.
import { forTypes, isTrue, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const unencryptedEbsVolume = definePolicy(
  {
    responsibilities: ["storage-encryption", "storage-cloud-access"],
    severity: "high",
    forbids: "EBS volumes without `encrypted: true`; account EBS encryption by default turned off",
    references: { cisEks: ["5.3.1 (context)"], checkov: ["CKV_AWS_3"] },
  },
  {
    name: "unencrypted-ebs-volume",
    description: "EBS volumes must set encrypted: true, and the account's EBS encryption by default must stay on.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set encrypted: true (and kmsKeyId to a customer-managed key). An existing unencrypted volume must be copied " +
      "through an encrypted snapshot.",
    validateResource: forTypes([AWS.ebsVolume, AWS.ebsEncryptionByDefault], (props, args, report) => {
      if (args.type === AWS.ebsEncryptionByDefault) {
        // The provider's default for `enabled` is true; any false spelling turns encryption off.
        if (props.enabled === undefined || isTrue(props.enabled)) return;
        report(
          `${subjectOfArgs(args)}: turns the account's EBS encryption by default off (enabled is ` +
            `${JSON.stringify(props.enabled)}), so every volume that does not ask for encryption is created ` +
            "unencrypted; set enabled: true.",
        );
        return;
      }
      if (props.encrypted === true) return;
      report(
        `${subjectOfArgs(args)}: is not encrypted (encrypted is ${JSON.stringify(props.encrypted ?? null)}); set ` +
          `encrypted: true with a customer-managed kmsKeyId.`,
      );
    }),
  },
);
