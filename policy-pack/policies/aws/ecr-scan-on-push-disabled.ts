// Hygiene, advisory by default: any image in the registry can be referenced by any workspace, so every
// pushed image should be scanned. Registry-level enhanced scanning (aws.ecr.RegistryScanningConfiguration)
// also satisfies the intent; set this policy to disabled if you use it.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const ecrScanOnPushDisabled = definePolicy(
  {
    responsibilities: ["registry-any-image"],
    severity: "low",
    forbids: "ECR repositories without scan on push",
    references: { cisEks: ["5.1.1"], checkov: ["CKV_AWS_163"] },
  },
  {
    name: "ecr-scan-on-push-disabled",
    description: "ECR repositories should scan images on push (imageScanningConfiguration.scanOnPush: true).",
    enforcementLevel: "advisory",
    remediationSteps:
      "Set imageScanningConfiguration: {scanOnPush: true}, or enable enhanced scanning for the registry.",
    validateResource: forTypes([AWS.ecrRepository], (props, args, report) => {
      if (props.imageScanningConfiguration?.scanOnPush === true) return;
      report(
        `${subjectOfArgs(args)}: does not scan images on push, so vulnerable images reach workspaces unnoticed; ` +
          `set imageScanningConfiguration.scanOnPush: true.`,
      );
    }),
  },
);
