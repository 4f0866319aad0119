// With mutable tags, approving "enterprise-base:v1" approves whatever is pushed under that tag later:
// the approval is of a name, not of an image.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

/** Exclusion filters made only of wildcards ("*", "**") match every tag and undo immutability. */
export function catchAllFilters(filters: unknown): string[] {
  if (!Array.isArray(filters)) return [];
  return filters
    .map((f) => (f as { filter?: unknown })?.filter)
    .filter((f): f is string => typeof f === "string" && /^\*+$/.test(f.trim()))
    .map((f) => JSON.stringify(f));
}

export const ecrMutableTags = definePolicy(
  {
    responsibilities: ["registry-account"],
    severity: "medium",
    forbids: "ECR repositories with mutable tags, or immutability with a catch-all exclusion filter",
    references: { cisEks: ["5.1 (ECR, context)"], checkov: ["CKV_AWS_51"] },
  },
  {
    name: "ecr-mutable-tags",
    description:
      "ECR repositories must make image tags immutable (imageTagMutability IMMUTABLE; the default is MUTABLE).",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set imageTagMutability: "IMMUTABLE" on the repository.',
    validateResource: forTypes([AWS.ecrRepository], (props, args, report) => {
      const mutability = props.imageTagMutability ?? "MUTABLE";
      if (mutability === "IMMUTABLE_WITH_EXCLUSION") {
        const catchAll = catchAllFilters(props.imageTagMutabilityExclusionFilters);
        if (catchAll.length === 0) return;
        report(
          `${subjectOfArgs(args)}: excludes every tag from immutability (filter ${catchAll.join(", ")}), so ` +
            'tags stay mutable; narrow the exclusion filters or set imageTagMutability: "IMMUTABLE".',
        );
        return;
      }
      if (mutability === "IMMUTABLE") return;
      report(
        `${subjectOfArgs(args)}: has mutable image tags (${mutability}), so an approved tag can be overwritten ` +
          `with a different image; set imageTagMutability: "IMMUTABLE".`,
      );
    }),
  },
);
