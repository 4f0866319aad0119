// A KMS key policy or ECR repository/registry policy that allows "*" opens the key or the images to every
// AWS account: whoever can reach the snapshot, volume or repository can decrypt or pull it. Policies
// arrive as JSON text, as objects or wrapped by an Output; each form is parsed and judged the same way.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { wildcardPrincipals } from "../../lib/iam";
import { definePolicy } from "../../lib/metadata";

const TYPES = [AWS.kmsKey, AWS.kmsKeyPolicy, AWS.ecrRepositoryPolicy, AWS.ecrRegistryPolicy];

export const kmsEcrWildcardPrincipal = definePolicy(
  {
    responsibilities: ["storage-encryption", "registry-account"],
    severity: "critical",
    forbids: "KMS key and ECR repository/registry policies that allow a wildcard principal",
    references: {
      cisEks: ["5.1.2", "5.3.1 (context)"],
      checkov: ["CKV_AWS_33 (KMS key policy wildcard principal)", "CKV_AWS_32 (ECR policy open to everyone)"],
    },
  },
  {
    name: "kms-ecr-wildcard-principal",
    description:
      'KMS key policies and ECR repository or registry policies must not allow a wildcard principal ("*", ' +
      '{AWS: "*"}, arn:aws:iam::*:root, NotPrincipal).',
    enforcementLevel: "mandatory",
    remediationSteps:
      'Name the principals explicitly (e.g. {AWS: "arn:aws:iam::<account>:root"} or the role ARNs that use the key ' +
      "or repository) instead of a wildcard.",
    validateResource: forTypes(TYPES, (props, args, report) => {
      const open = wildcardPrincipals(props.policy);
      if (open.length === 0) return;
      report(
        `${subjectOfArgs(args)}: its policy allows ${open.join(", ")}, i.e. every AWS account; name the ` +
          "account or role principals explicitly.",
      );
    }),
  },
);
