// IMDSv1, or IMDSv2 with a hop limit above 1, hands the node's IAM role credentials to any pod that asks
// — including a workspace running arbitrary user code. A managed node group without a launch template
// uses EKS's own template, whose metadata options the program can neither set nor show, so node groups
// must bring a launch template.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const nodeImdsExposed = definePolicy(
  {
    responsibilities: ["storage-cloud-access", "node-cloud-access"],
    severity: "critical",
    forbids: "IMDSv1, hop limit > 1, node groups without a launch template",
    references: {
      checkov: ["CKV_AWS_79", "CKV_AWS_341"],
      other: ["EKS Best Practices IAM (block pod access to IMDS: tokens required, hop limit 1)"],
    },
  },
  {
    name: "node-imds-exposed",
    description:
      'Launch templates must require IMDSv2 (httpTokens "required") with httpPutResponseHopLimit 1, and EKS node ' +
      "groups must use a launch template.",
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set metadataOptions: {httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1} on the ' +
      "launch template, and reference it from the node group's launchTemplate.",
    validateResource: forTypes([AWS.launchTemplate, AWS.eksNodeGroup], (props, args, report) => {
      const who = subjectOfArgs(args);
      if (args.type === AWS.eksNodeGroup) {
        if (!props.launchTemplate) {
          report(
            `${who}: has no launchTemplate, so its nodes' metadata options are EKS defaults the program cannot ` +
              `enforce; give it a launch template with httpTokens "required" and httpPutResponseHopLimit 1.`,
          );
        }
        return;
      }
      const options = props.metadataOptions ?? {};
      if (options.httpEndpoint === "disabled") return;
      if (options.httpTokens !== "required") {
        report(
          `${who}: allows IMDSv1 (metadataOptions.httpTokens is ` +
            `${JSON.stringify(options.httpTokens ?? "unset, i.e. optional")}), so any pod can fetch the node role's ` +
            `credentials (CKV_AWS_79); ` +
            'set metadataOptions.httpTokens: "required".',
        );
      }
      const hops = options.httpPutResponseHopLimit;
      if (typeof hops === "number" && hops > 1) {
        report(
          `${who}: metadataOptions.httpPutResponseHopLimit is ${hops}, which lets pods reach IMDS through the node ` +
            `(CKV_AWS_341); set it to 1.`,
        );
      }
    }),
  },
);
