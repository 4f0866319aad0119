// A workspace is arbitrary user code. If it can reach the metadata address it can read the node role's
// credentials (when the hop limit allows) and instance identity. Any egress rule that reaches the
// metadata address — an ipBlock covering it without an `except`, or a rule with no destination at all —
// reopens that path even when other policies close it.
import {
  CLOUD_METADATA_CIDR,
  CLOUD_METADATA_CIDR_V6,
  METADATA_ADDRESSES,
  rangesCover,
  ROLE_LABEL,
  ROLE_WORKSPACES,
} from "../../contract";
import { eachWorkspaceEgressRule } from "../../lib/network-policies";
import { Props, subjectOfResource } from "../../lib/policy";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

/** Why an egress rule reaches the metadata service, or undefined if it does not. */
export function metadataReach(rule: Props): string | undefined {
  const peers: Props[] = rule.to ?? [];
  if (peers.length === 0) return "an egress rule without `to` allows every destination, including the metadata address";
  for (const peer of peers) {
    const block = peer.ipBlock;
    if (!block || typeof block.cidr !== "string") continue;
    const except: unknown[] = block.except ?? [];
    for (const address of METADATA_ADDRESSES) {
      if (!rangesCover([block.cidr], address)) continue;
      if (rangesCover(except, address)) continue;
      return `ipBlock ${block.cidr} covers ${address} and its except list does not exclude it`;
    }
  }
  return undefined;
}

export const workspaceEgressToCloudMetadata = definePolicy(
  {
    responsibilities: ["network-boundaries", "external-interactions", "node-cloud-access", "git-ssh-and-https"],
    severity: "critical",
    forbids: `Workspace egress reaching ${METADATA_ADDRESSES.join(" / ")}`,
    references: {
      cisEks: ["4.3.2 (context)"],
      other: ["EKS Best Practices IAM (restrict pod access to the instance metadata service)"],
    },
  },
  {
    name: "workspace-egress-to-cloud-metadata",
    description:
      `NetworkPolicies in workspace namespaces (${ROLE_LABEL}: ${ROLE_WORKSPACES}) must not allow egress ` +
      `to the cloud metadata service (${METADATA_ADDRESSES.join(", ")}).`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Add ${CLOUD_METADATA_CIDR} (and ${CLOUD_METADATA_CIDR_V6} for IPv6) to the \`except\` list of every ` +
      "ipBlock that covers it, and give every egress rule an explicit `to`.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      eachWorkspaceEgressRule(args.resources, gaps, (policy, rule, i) => {
        const reach = metadataReach(rule);
        if (!reach) return;
        report(
          `${subjectOfResource(policy)}: egress rule ${i} lets workspace pods reach the cloud metadata service ` +
            `(${reach}); ` +
            `add ${CLOUD_METADATA_CIDR} and ${CLOUD_METADATA_CIDR_V6} to the ipBlock's except list, ` +
            "or narrow the rule's destinations.",
          policy.urn,
        );
      });
      gaps.settle();
    },
  },
);
