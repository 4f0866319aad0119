// IMDSv1, or IMDSv2 with a hop limit above 1, hands the node's IAM role credentials to any pod that asks
// — including a workspace running arbitrary user code. A managed node group without a launch template
// uses EKS's own template, whose metadata options the program can neither set nor show, so node groups
// must bring a launch template. Self-managed nodes (EC2 instances, launch configurations behind an Auto
// Scaling group) carry the same options and are judged the same way; an instance launched from a template
// without options of its own takes the template's, and the template is judged itself.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { requireLaunchTemplate, takesFromLaunchTemplate } from "../../lib/nodes";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

const TYPES = [AWS.launchTemplate, AWS.eksNodeGroup, AWS.ec2Instance, AWS.launchConfiguration];

export const nodeImdsExposed = definePolicy(
  {
    responsibilities: ["storage-cloud-access", "node-cloud-access"],
    severity: "critical",
    forbids:
      "IMDSv1, hop limit unset or > 1 on launch templates, instances and launch configurations; node groups " +
      "without a launch template",
    references: {
      checkov: ["CKV_AWS_79", "CKV_AWS_341"],
      other: ["EKS Best Practices IAM (block pod access to IMDS: tokens required, hop limit 1)"],
    },
  },
  {
    name: "node-imds-exposed",
    description:
      'Launch templates, EC2 instances and launch configurations must require IMDSv2 (httpTokens "required") with ' +
      "httpPutResponseHopLimit 1, and EKS node groups must use a launch template.",
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set metadataOptions: {httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1} on the ' +
      "launch template (or instance, or launch configuration), and reference the template from the node " +
      "group's launchTemplate.",
    validateResource: forTypes(TYPES, (props, args, report) => {
      const who = subjectOfArgs(args);
      if (args.type === AWS.eksNodeGroup) {
        requireLaunchTemplate(
          props,
          who,
          report,
          "its nodes' metadata options are EKS defaults the program cannot enforce; give it a launch template " +
            'with httpTokens "required" and httpPutResponseHopLimit 1.',
        );
        return;
      }
      if (takesFromLaunchTemplate(args.type, props, "metadataOptions")) return;
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
      const hops: unknown = options.httpPutResponseHopLimit;
      if (hops === undefined) {
        report(
          `${who}: leaves metadataOptions.httpPutResponseHopLimit unset, so the AMI's default (2 on AMIs that ` +
            `declare IMDSv2 support) can let pods reach IMDS through the node (CKV_AWS_341); set it to 1.`,
        );
      } else if (!(Number(hops) <= 1)) {
        report(
          `${who}: metadataOptions.httpPutResponseHopLimit is ${JSON.stringify(hops)}, which lets pods reach ` +
            `IMDS through the node (CKV_AWS_341); set it to 1.`,
        );
      }
    }),
  },
);
