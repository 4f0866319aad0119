// On EXTENDED support a cluster keeps running a minor version for up to 12 months after upstream and
// standard support end, at extra cost, instead of being upgraded. STANDARD makes EKS upgrade it at the
// end of standard support, which forces the upgrade cadence Coder's shared-responsibility model asks
// for. Stacks that genuinely need more time opt in through allowExtendedSupport.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export interface EksExtendedSupportConfig {
  allowExtendedSupport: boolean;
}

export const eksExtendedSupport = definePolicy(
  {
    responsibilities: ["node-upgrades"],
    severity: "medium",
    forbids: "`upgradePolicy.supportType` EXTENDED or unset, unless allowed",
    references: {
      checkov: ["CKV_AWS_339 (context)"],
      other: ["EKS UpgradePolicy API (supportType STANDARD or EXTENDED, default EXTENDED)"],
    },
  },
  {
    name: "eks-extended-support",
    description:
      "EKS clusters must set upgradePolicy.supportType to STANDARD (unset means EXTENDED), unless the policy " +
      "config allows extended support.",
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set upgradePolicy: {supportType: "STANDARD"} and plan upgrades before standard support ends; or set ' +
      "allowExtendedSupport: true in this policy's config.",
    configSchema: {
      properties: {
        allowExtendedSupport: {
          type: "boolean",
          default: false,
          description: "Allow EKS extended support (supportType EXTENDED or unset).",
        },
      },
    },
    validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
      if (args.getConfig<EksExtendedSupportConfig>().allowExtendedSupport) return;
      const supportType = props.upgradePolicy?.supportType;
      if (supportType === "STANDARD") return;
      const what =
        supportType === undefined
          ? "leaves upgradePolicy.supportType unset, which EKS treats as EXTENDED"
          : `sets upgradePolicy.supportType to ${JSON.stringify(supportType)}`;
      report(
        `${subjectOfArgs(args)}: ${what}, ` +
          "so the cluster can stay on an old Kubernetes version past standard support; set " +
          'upgradePolicy.supportType: "STANDARD", or allowExtendedSupport in this policy\'s config.',
      );
    }),
  },
);
