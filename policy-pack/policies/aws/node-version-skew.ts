// Nodes that lag the control plane miss kubelet security fixes and block
// the next control-plane upgrade. Node groups are matched to their cluster through the clusterName
// property dependency (known during preview even for a new cluster), else by cluster name.
import { PolicyResource } from "@pulumi/policy";
import { subjectOfResource } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { formatMinor, nodeSkewLimit, parseMinor } from "../../contract";
import { definePolicy } from "../../lib/metadata";

export const nodeVersionSkew = definePolicy(
  {
    responsibilities: ["node-upgrades"],
    severity: "medium",
    forbids: "Node groups > 3 minors behind (2 before 1.28) or ahead of their cluster",
    references: {
      other: [
        "EKS Best Practices upgrades (node groups may lag the control plane by three minors from 1.28, two before)",
      ],
    },
  },
  {
    name: "node-version-skew",
    description:
      "EKS node groups must not lag their cluster by more than the supported skew (3 minors from 1.28, else 2), " +
      "nor run ahead of it.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Upgrade the node group's version (or releaseVersion) toward the cluster's version, or leave version unset " +
      "so it follows the cluster.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const clustersByName = new Map<string, PolicyResource>();
      for (const r of args.resources) {
        if (r.type !== AWS.eksCluster) continue;
        gaps.judge(() => {
          if (typeof r.props.name === "string") clustersByName.set(r.props.name, r);
        });
      }
      for (const ng of args.resources) {
        if (ng.type !== AWS.eksNodeGroup) continue;
        gaps.judge(() => {
          const nodeVersion: unknown = ng.props.version;
          if (typeof nodeVersion !== "string") return;
          const cluster =
            ng.propertyDependencies.clusterName?.find((d) => d.type === AWS.eksCluster) ??
            clustersByName.get(ng.props.clusterName);
          const clusterVersion: unknown = cluster?.props.version;
          if (!cluster || typeof clusterVersion !== "string") return;
          const node = parseMinor(nodeVersion);
          const control = parseMinor(clusterVersion);
          if (!node || !control || node.major !== control.major) return;
          const lag = control.minor - node.minor;
          const who = subjectOfResource(ng);
          if (lag < 0) {
            report(
              `${who}: runs ${formatMinor(node)}, ahead of ${subjectOfResource(cluster)} on ` +
                `${formatMinor(control)}, which EKS does not support; upgrade the cluster first.`,
              ng.urn,
            );
          } else if (lag > nodeSkewLimit(control)) {
            report(
              `${who}: runs ${formatMinor(node)}, ${lag} minor versions behind ${subjectOfResource(cluster)} on ` +
                `${formatMinor(control)} (at most ${nodeSkewLimit(control)} supported); ` +
                "upgrade the node group's version toward the cluster's.",
              ng.urn,
            );
          }
        });
      }
      gaps.settle();
    },
  },
);
