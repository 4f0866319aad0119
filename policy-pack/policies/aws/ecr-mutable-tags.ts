// Seed bullet: External tie-ins › Container registry › "The registry account used to access images should
// be a specific Coder-only account so that Coder users can only pull approved images".
// Reference IDs: Checkov CKV_AWS_51 (ECR image tags immutable); CIS EKS 1.8.0 5.1.x (ECR).
//
// With mutable tags, approving "enterprise-base:v1" approves whatever is pushed under that tag later:
// the approval is of a name, not of an image.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";

const IMMUTABLE = ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"];

export const ecrMutableTags: ResourceValidationPolicy = {
  name: "ecr-mutable-tags",
  description:
    "ECR repositories must make image tags immutable (imageTagMutability IMMUTABLE; the default is MUTABLE).",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: 'Set imageTagMutability: "IMMUTABLE" on the repository.',
  validateResource: forTypes([AWS.ecrRepository], (props, args, report) => {
    const mutability = props.imageTagMutability ?? "MUTABLE";
    if (IMMUTABLE.includes(mutability)) return;
    report(
      `${subjectOfArgs(args)}: has mutable image tags (${mutability}), so an approved tag can be overwritten with a different image; set imageTagMutability: "IMMUTABLE".`,
    );
  }),
};
