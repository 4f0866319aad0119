// Every workspace holds the user's Coder-generated SSH key, which Git hosts accept without a second
// factor. Git needs SSH, but only to the Git hosts: SSH to anywhere lets a workspace use that key (and
// any other) against every SSH service on the internet or the corporate network. An egress rule opens
// TCP 22 when it lists port 22, a range or protocol-wide entry covering it, or no ports at all; it opens
// it to "anywhere" when it has no `to`, or ipBlocks that together (less their `except` entries) hold as many
// addresses as a /8 or more (0.0.0.0/0, ::/0, 10.0.0.0/8, or the same split into smaller ranges). Named
// ports are not counted: they resolve to pods' container ports, never to outside hosts.
import { addressCount, IpFamily, prefixSize, ROLE_LABEL, ROLE_WORKSPACES } from "../../contract";
import { eachWorkspaceEgressRule } from "../../lib/network-policies";
import { Props, subjectOfResource } from "../../lib/policy";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export const SSH_PORT = 22;
/** An ipBlock this wide (or wider) counts as "anywhere". */
export const BROADEST_NARROW_PREFIX = 8;

export interface OpenWorkspaceSshEgressConfig {
  allowOpenSshEgress: boolean;
}

/** How an egress rule's ports admit TCP 22, or undefined when they do not. */
export function sshPortReach(rule: Props): string | undefined {
  const ports: Props[] = rule.ports ?? [];
  if (ports.length === 0) return "it lists no ports, so every port is open";
  for (const p of ports) {
    if ((p.protocol ?? "TCP") !== "TCP") continue;
    if (p.port === undefined) return "it opens every TCP port";
    const port = typeof p.port === "number" ? p.port : /^\d+$/.test(String(p.port)) ? Number(p.port) : undefined;
    if (port === undefined) continue;
    if (port === SSH_PORT) return "it lists port 22";
    if (typeof p.endPort === "number" && port <= SSH_PORT && SSH_PORT <= p.endPort)
      return `its port range ${port}-${p.endPort} covers 22`;
  }
  return undefined;
}

/** Why an egress rule's destinations are "anywhere", or undefined when they are all narrow. */
export function openDestination(rule: Props): string | undefined {
  const peers: Props[] = rule.to ?? [];
  if (peers.length === 0) return "every destination (the rule has no `to`)";
  const blocks = peers.filter((peer) => peer.ipBlock).map((peer) => peer.ipBlock as Props);
  for (const family of ["ipv4", "ipv6"] as IpFamily[]) {
    if (addressCount(blocks, family) < prefixSize(BROADEST_NARROW_PREFIX, family)) continue;
    const cidrs = blocks.map((b) => String(b.cidr));
    return cidrs.length === 1
      ? `ipBlock ${cidrs[0]}`
      : `ipBlocks ${cidrs.join(", ")} (together as wide as a /${BROADEST_NARROW_PREFIX} or wider)`;
  }
  return undefined;
}

export const openWorkspaceSshEgress = definePolicy(
  {
    responsibilities: ["git-ssh-keys", "git-ssh-and-https"],
    severity: "high",
    forbids:
      "Workspace egress on TCP 22 (listed, in a range, or no `ports`) to anywhere: no `to`, or ipBlocks together " +
      "as wide as a /8 or wider",
    references: { cisEks: ["4.3.2 (context)"] },
  },
  {
    name: "open-workspace-ssh-egress",
    description:
      `NetworkPolicies in workspace namespaces (${ROLE_LABEL}: ${ROLE_WORKSPACES}) must not allow ` +
      `egress on TCP port 22 to anywhere (no \`to\`, or an ipBlock of /${BROADEST_NARROW_PREFIX} or wider); SSH ` +
      `goes to the Git hosts' ranges only.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      "Allow port 22 only to the Git hosts: list their address ranges in " +
      "coder-blueprint:gitProviders[].egressCidrs (the blueprint opens 22 and 443 to exactly those), and give " +
      "broad egress rules explicit ports other than 22 (e.g. 443). If workspaces must reach SSH anywhere, set " +
      "allowOpenSshEgress: true in this policy's config.",
    configSchema: {
      properties: {
        allowOpenSshEgress: {
          type: "boolean",
          default: false,
          description:
            "Set when workspaces may open SSH connections to any host, accepting that Coder's SSH keys then work " +
            "against any SSH service they can reach.",
        },
      },
    },
    validateStack: (args, report) => {
      if (args.getConfig<OpenWorkspaceSshEgressConfig>().allowOpenSshEgress) return;
      const gaps = new PreviewGaps();
      eachWorkspaceEgressRule(args.resources, gaps, (policy, rule, i) => {
        const port = sshPortReach(rule);
        if (!port) return;
        const where = openDestination(rule);
        if (!where) return;
        report(
          `${subjectOfResource(policy)}: egress rule ${i} allows SSH (TCP 22) from workspaces to ${where} ` +
            `(${port}), so the Coder-generated key that Git hosts accept without 2FA, and any other key, works ` +
            `against every SSH server in reach; ` +
            "list the Git hosts' ranges in coder-blueprint:gitProviders[].egressCidrs and give this rule explicit " +
            "ports other than 22.",
          policy.urn,
        );
      });
      gaps.settle();
    },
  },
);
