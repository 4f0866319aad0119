// Seed bullet: External tie-ins › Container registry › "CVMs can only pull unauthenticated containers,
// which means that any user can reference any container within the registry".
// Reference IDs: Checkov CKV_AWS_163 (ECR scan on push); CIS EKS 1.8.0 5.1.1 (image vulnerability
// scanning in ECR).
//
// Hygiene, advisory by default: any image in the registry can be referenced by any workspace, so every
// pushed image should be scanned. Registry-level enhanced scanning (aws.ecr.RegistryScanningConfiguration)
// also satisfies the intent; set this policy to disabled if you use it.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";

export const ecrScanOnPushDisabled: ResourceValidationPolicy = {
  name: "ecr-scan-on-push-disabled",
  description: "ECR repositories should scan images on push (imageScanningConfiguration.scanOnPush: true).",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps: "Set imageScanningConfiguration: {scanOnPush: true}, or enable enhanced scanning for the registry.",
  validateResource: forTypes([AWS.ecrRepository], (props, args, report) => {
    if (props.imageScanningConfiguration?.scanOnPush === true) return;
    report(
      `${subjectOfArgs(args)}: does not scan images on push, so vulnerable images reach workspaces unnoticed; set imageScanningConfiguration.scanOnPush: true.`,
    );
  }),
};
