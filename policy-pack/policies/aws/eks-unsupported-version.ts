// Default supported set: the EKS minors in standard support as of November 2026 (standard support lasts
// 14 months from each EKS release). It ages: update `supportedVersions` in the policy config as EKS
// releases and retires versions. An unset version lets EKS pick its current default, which is supported.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { formatMinor, parseMinor } from "../../contract";
import { definePolicy } from "../../lib/metadata";

export const DEFAULT_SUPPORTED_VERSIONS = ["1.34", "1.35", "1.36", "1.37"];

export interface EksUnsupportedVersionConfig {
  supportedVersions: string[];
}

export const eksUnsupportedVersion = definePolicy(
  {
    responsibilities: ["node-upgrades"],
    severity: "medium",
    forbids: "Versions outside `supportedVersions`",
    references: { checkov: ["CKV_AWS_339"] },
  },
  {
    name: "eks-unsupported-version",
    description: "EKS clusters must run a Kubernetes minor version in the policy's supportedVersions list.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Upgrade the cluster (one minor version at a time) to a version in supportedVersions; update the list in the " +
      "policy config as EKS support moves.",
    configSchema: {
      properties: {
        supportedVersions: {
          type: "array",
          items: { type: "string", pattern: "^\\d+\\.\\d+$" },
          minItems: 1,
          default: DEFAULT_SUPPORTED_VERSIONS,
          description: 'Kubernetes minor versions (e.g. "1.35") in EKS standard support.',
        },
      },
    },
    validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
      const version: unknown = props.version;
      if (version === undefined) return;
      const { supportedVersions } = args.getConfig<EksUnsupportedVersionConfig>();
      const minor = typeof version === "string" ? parseMinor(version) : undefined;
      if (minor && supportedVersions.includes(formatMinor(minor))) return;
      report(
        `${subjectOfArgs(args)}: runs Kubernetes ${JSON.stringify(version)}, which is not in the supported set ` +
          `(${supportedVersions.join(", ")}); ` +
          "upgrade it to a supported minor version, one minor at a time.",
      );
    }),
  },
);
