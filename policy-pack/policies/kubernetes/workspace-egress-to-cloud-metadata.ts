// A workspace is arbitrary user code. If it can reach 169.254.169.254 it can read the node role's
// credentials (when the hop limit allows) and instance identity. Any egress rule that reaches the
// metadata address — an ipBlock covering it without an `except`, or a rule with no destination at all —
// reopens that path even when other policies close it.
import { ROLE_LABEL, ROLE_WORKSPACES } from "../../conventions";
import { cidrCovers, METADATA_ADDRESSES } from "../../lib/cidr";
import { eachWorkspaceEgressRule } from "../../lib/kubernetes";
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
      if (!cidrCovers(block.cidr, address)) continue;
      if (except.some((e) => typeof e === "string" && cidrCovers(e, address))) continue;
      return `ipBlock ${block.cidr} covers ${address} and its except list does not exclude it`;
    }
  }
  return undefined;
}

export const workspaceEgressToCloudMetadata = definePolicy(
  {
    responsibilities: ["network-boundaries", "external-interactions", "node-cloud-access", "git-ssh-and-https"],
    severity: "critical",
    forbids: "Workspace egress reaching 169.254.169.254 / fd00:ec2::254",
    references: {
      cisEks: ["4.3.2 (context)"],
      other: ["EKS Best Practices IAM (restrict pod access to the instance metadata service)"],
    },
  },
  {
    name: "workspace-egress-to-cloud-metadata",
    description:
      `NetworkPolicies in workspace namespaces (${ROLE_LABEL}: ${ROLE_WORKSPACES}) must not allow ` +
      `egress to the cloud metadata service (169.254.169.254, fd00:ec2::254).`,
    enforcementLevel: "mandatory",
    remediationSteps:
      "Add 169.254.169.254/32 (and fd00:ec2::254/128 for IPv6) to the `except` list of every ipBlock that covers " +
      "it, and give every egress rule an explicit `to`.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      eachWorkspaceEgressRule(args.resources, gaps, (policy, rule, i) => {
        const reach = metadataReach(rule);
        if (!reach) return;
        report(
          `${subjectOfResource(policy)}: egress rule ${i} lets workspace pods reach the cloud metadata service ` +
            `(${reach}); ` +
            `add 169.254.169.254/32 and fd00:ec2::254/128 to the ipBlock's except list, or narrow the rule's ` +
            `destinations.`,
          policy.urn,
        );
      });
      gaps.settle();
    },
  },
);
