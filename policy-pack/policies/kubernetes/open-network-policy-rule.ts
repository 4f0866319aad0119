// A default-deny is worth what its allow rules leave closed. In a managed namespace an allow rule must name
// its peers: a rule without peers admits every source or destination, a namespaceSelector that selects every
// namespace admits every pod in the cluster, and in a workspace namespace a bare podSelector {} (or every pod
// of a namespaceSelector that selects the namespace itself) lets every workspace reach every other. Address
// ranges are judged against the flows the stack's configuration opens (the pack settings, kept equal to the
// stack config by a test): an ipBlock rule may reach (or, toward coderd, come from) only what those flows
// cover, on their ports, however the ranges are split or carved.
// Patches are applied to the policies they patch before judging.
import { PolicyResource } from "@pulumi/policy";
import {
  Flow,
  NetworkFlowSettings,
  portIntervals,
  rangesCover,
  ROLE_CONTROL_PLANE,
  ROLE_LABEL,
  ROLE_WORKSPACES,
} from "../../contract";
import { managedNamespaces } from "../../lib/kubernetes";
import { definePolicy } from "../../lib/metadata";
import {
  Direction,
  eachRule,
  intervalText,
  networkPoliciesByNamespace,
  PortInterval,
  ruleIntervals,
  selectsEverything,
} from "../../lib/network-policies";
import { Props, subjectOfResource } from "../../lib/policy";
import { NAME_LABEL } from "../../lib/admission";
import { selectorMatches } from "../../lib/rbac-effects";
import { eachOf, PreviewGaps } from "../../lib/unknowns";

export type OpenNetworkPolicyRuleConfig = NetworkFlowSettings;

/**
 * Why a peer admits every pod of the cluster (or, in a workspace namespace, of the namespace). `ownLabels` are
 * the labels of a workspace namespace, undefined for any other.
 */
function openPeer(peer: Props, ownLabels: Record<string, unknown> | undefined): string | undefined {
  if (peer.ipBlock) return undefined;
  if (selectsEverything(peer.namespaceSelector)) return "a namespaceSelector that selects every namespace";
  if (!ownLabels) return undefined;
  if (peer.namespaceSelector === undefined)
    return selectsEverything(peer.podSelector)
      ? "podSelector {}, which lets every workspace of the namespace reach every other"
      : undefined;
  // Naming the workspace namespace itself, with every pod of it, is podSelector {} spelled another way.
  if (
    (peer.podSelector === undefined || selectsEverything(peer.podSelector)) &&
    selectorMatches(peer.namespaceSelector, ownLabels)
  )
    return "every pod of a namespaceSelector that selects this namespace, which lets every workspace reach every other";
  return undefined;
}

/**
 * The port intervals of `wanted` that the flows do not open to all of the block: the flows are split at
 * their own port boundaries, so each piece is either inside or outside every flow.
 */
function uncovered(block: Props, wanted: PortInterval, flows: Flow[]): PortInterval[] {
  const relevant = flows
    .filter((f) => (f.protocol ?? "TCP") === wanted.protocol)
    .map((f) => ({ cidr: f.cidr, intervals: portIntervals(f.ports) }));
  const cuts = new Set<number>([wanted.low, wanted.high + 1]);
  for (const f of relevant)
    for (const [low, high] of f.intervals) {
      if (low > wanted.low && low <= wanted.high) cuts.add(low);
      if (high + 1 > wanted.low && high + 1 <= wanted.high) cuts.add(high + 1);
    }
  const points = [...cuts].sort((a, b) => a - b);
  const except: unknown[] = block.except ?? [];
  const gaps: PortInterval[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [low, high] = [points[i], points[i + 1] - 1];
    const open = relevant.filter((f) => f.intervals.some(([l, h]) => l <= low && high <= h)).map((f) => f.cidr);
    if (rangesCover([...open, ...except], String(block.cidr))) continue;
    const last = gaps[gaps.length - 1];
    if (last && last.high + 1 === low) last.high = high;
    else gaps.push({ protocol: wanted.protocol, low, high });
  }
  return gaps;
}

export const openNetworkPolicyRule = definePolicy(
  {
    responsibilities: ["network-boundaries", "external-interactions"],
    severity: "high",
    forbids:
      "NetworkPolicy rules in managed namespaces that admit every peer (no `from`/`to`, a namespaceSelector " +
      "selecting every namespace, `podSelector: {}` between workspaces) or an ipBlock beyond the stack's " +
      "configured flows (ranges and ports; split ranges judged as their union)",
    references: { cisEks: ["4.3.2"], other: ["Kubernetes NetworkPolicy semantics (rules are additive)"] },
  },
  {
    name: "open-network-policy-rule",
    description:
      `NetworkPolicies in managed namespaces (labelled ${ROLE_LABEL}) must name their peers, and their ipBlocks ` +
      "may reach (or reach coderd from) only the ranges and ports the stack's configuration opens.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Give every rule explicit peers: a namespaceSelector on kubernetes.io/metadata.name, a podSelector with " +
      "labels, or an ipBlock. Open address ranges through the stack config (coder-blueprint:network.coderIngress, " +
      "coderdEgress, workspaceEgress, gitProviders[].egressCidrs), which the blueprint turns into its own " +
      "policies, and copy the resulting flows into this policy's settings (stacks/policy.<stack>.json).",
    configSchema: {
      properties: {
        coderdIngressCidrs: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Ranges that may reach coderd: coder-blueprint:network.coderIngress.cidrs.",
        },
        coderdEgress: {
          type: "array",
          default: [],
          description:
            "Ranges and ports coderd may reach: the API server, Postgres, network.coderdEgress, Git hosts on 443.",
        },
        workspaceEgress: {
          type: "array",
          default: [],
          description:
            "Ranges and ports workspaces may reach: the access URL on 443, Git hosts on 22 and 443, and " +
            "network.workspaceEgress (every port but 22 to everywhere in open mode).",
        },
      },
    },
    validateStack: (args, report) => {
      const settings = args.getConfig<OpenNetworkPolicyRuleConfig>();
      const gaps = new PreviewGaps();
      const namespaces = managedNamespaces(args.resources, gaps);
      const policies = networkPoliciesByNamespace(args.resources, gaps);
      for (const ns of namespaces.values()) {
        const workspaces = ns.role === ROLE_WORKSPACES;
        const own = ns.resource;
        const controlPlane = ns.role === ROLE_CONTROL_PLANE;
        for (const policy of policies.get(ns.name) ?? []) {
          // A managed namespace is one whose metadata carries its name and role label, so both are there.
          gaps.judge(() =>
            judge(
              policy,
              workspaces ? { ...own.props.metadata.labels, [NAME_LABEL]: ns.name } : undefined,
              controlPlane,
            ),
          );
        }
      }
      gaps.settle();

      function judge(policy: PolicyResource, ownLabels: Record<string, unknown> | undefined, controlPlane: boolean) {
        const workspaces = ownLabels !== undefined;
        const who = subjectOfResource(policy);
        eachRule(policy, (rule, direction, i, peers) => {
          const what = `${direction.toLowerCase()} rule ${i}`;
          const side = direction === "Ingress" ? "from" : "to";
          if (peers.length === 0) {
            const every = direction === "Ingress" ? "source" : "destination";
            report(
              `${who}: ${what} has no \`${side}\`, so it admits every ${every} ` +
                `and undoes the namespace's default-deny; list the peers it needs.`,
              policy.urn,
            );
            return;
          }
          eachOf(
            peers,
            (peer, p) => {
              const open = openPeer(peer, ownLabels);
              if (open) {
                report(
                  `${who}: ${what} admits ${open} (peer ${p}); select the peers by kubernetes.io/metadata.name ` +
                    `and pod labels.`,
                  policy.urn,
                );
                return;
              }
              const block: Props | undefined = peer.ipBlock;
              if (!block) return;
              judgeBlock(who, policy, what, direction, block, rule);
            },
            gaps,
          );
        });

        function judgeBlock(
          who: string,
          policy: PolicyResource,
          what: string,
          direction: Direction,
          block: Props,
          rule: Props,
        ) {
          if (direction === "Ingress") {
            const allowed = controlPlane ? settings.coderdIngressCidrs : [];
            if (rangesCover([...allowed, ...(block.except ?? [])], String(block.cidr))) return;
            report(
              `${who}: ${what} admits ipBlock ${String(block.cidr)}, beyond the ranges the stack lets reach ` +
                `${controlPlane ? "coderd" : "this namespace"} (${allowed.join(", ") || "none"}); narrow it, or ` +
                `add the range to coder-blueprint:network.coderIngress.cidrs and this policy's settings.`,
              policy.urn,
            );
            return;
          }
          const flows = controlPlane ? settings.coderdEgress : workspaces ? settings.workspaceEgress : [];
          const open = ruleIntervals(rule).flatMap((interval) => uncovered(block, interval, flows));
          if (open.length === 0) return;
          report(
            `${who}: ${what} opens ipBlock ${String(block.cidr)} on ${open.map(intervalText).join(", ")}, ` +
              `beyond the flows the stack's configuration opens for ${controlPlane ? "coderd" : "workspaces"}; ` +
              "narrow its ranges and ports, or open the flow in the stack config " +
              `(${controlPlane ? "network.coderdEgress" : "network.workspaceEgress"}) and this policy's settings.`,
            policy.urn,
          );
        }
      }
    },
  },
);
