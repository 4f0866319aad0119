// The keys in this stack protect Kubernetes secrets, EBS volumes and the database. Automatic rotation
// limits how much data any one key version protects, with no effect on data already encrypted. Only
// symmetric encryption keys can rotate; asymmetric and HMAC keys are not applicable.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const kmsKeyRotationDisabled = definePolicy(
  {
    responsibilities: ["storage-encryption"],
    severity: "medium",
    forbids: "Symmetric KMS keys without rotation",
    references: { cisEks: ["5.3.1 (context)"], checkov: ["CKV_AWS_7"] },
  },
  {
    name: "kms-key-rotation-disabled",
    description: "Symmetric KMS encryption keys must enable automatic rotation (enableKeyRotation: true).",
    enforcementLevel: "mandatory",
    remediationSteps: "Set enableKeyRotation: true on the key (optionally rotationPeriodInDays).",
    validateResource: forTypes([AWS.kmsKey], (props, args, report) => {
      const usage = props.keyUsage ?? "ENCRYPT_DECRYPT";
      const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
      if (usage !== "ENCRYPT_DECRYPT" || spec !== "SYMMETRIC_DEFAULT")
        args.notApplicable("Only symmetric encryption keys support automatic rotation");
      if (props.enableKeyRotation === true) return;
      report(
        `${subjectOfArgs(args)}: has automatic rotation off (enableKeyRotation defaults to false); set ` +
          `enableKeyRotation: true.`,
      );
    }),
  },
);
