// NetworkPolicies read for what they allow: the stack's policies with every patch applied, which directions a
// namespace denies by default (one policy for both, or one per direction), and what each rule's peers and
// ports open.
import { PolicyResource } from "@pulumi/policy";
import { MAX_PORT, PROTOCOLS, Protocol, ROLE_WORKSPACES } from "../contract";
import { byNamespace, managedNamespaces } from "./kubernetes";
import { effectiveObjects } from "./patches";
import { Props } from "./policy";
import { K8S } from "./types";
import { eachOf, PreviewGaps } from "./unknowns";

export type Direction = "Ingress" | "Egress";

/** The stack's NetworkPolicies, patches applied, by the namespace they land in. */
export function networkPoliciesByNamespace(
  resources: PolicyResource[],
  gaps: PreviewGaps,
): Map<string, PolicyResource[]> {
  return byNamespace(effectiveObjects(resources, [K8S.networkPolicy], gaps), [K8S.networkPolicy], gaps);
}

/** Whether a label selector selects everything: absent requirements, or only ones that exclude. */
export function selectsEverything(selector: Props | undefined): boolean {
  if (!selector) return false;
  if (Object.keys(selector.matchLabels ?? {}).length > 0) return false;
  const expressions: Props[] = selector.matchExpressions ?? [];
  // NotIn and DoesNotExist exclude a few; they still select every namespace anyone else creates.
  return expressions.every((e) => e.operator === "NotIn" || e.operator === "DoesNotExist");
}

/**
 * The directions a policy governs. Without policyTypes the API server sets Ingress, plus Egress when the
 * policy has at least one egress rule.
 */
export function policyTypesOf(spec: Props): Direction[] {
  const types: unknown = spec.policyTypes;
  if (Array.isArray(types) && types.length > 0)
    return types.filter((t): t is Direction => t === "Ingress" || t === "Egress");
  return Array.isArray(spec.egress) && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

const rulesOf = (spec: Props, direction: Direction): Props[] =>
  (direction === "Ingress" ? spec.ingress : spec.egress) ?? [];

/** The directions a policy denies for every pod of its namespace: podSelector {}, the type, and no rule. */
export function deniedDirections(policy: PolicyResource): Direction[] {
  const spec: Props = policy.props.spec ?? {};
  const selector: Props | undefined = spec.podSelector;
  const everyPod =
    !!selector &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0;
  if (!everyPod) return [];
  return policyTypesOf(spec).filter((d) => rulesOf(spec, d).length === 0);
}

/** Visits every rule a policy enforces, with its peers (`from` or `to`). */
export function eachRule(
  policy: PolicyResource,
  visit: (rule: Props, direction: Direction, index: number, peers: Props[]) => void,
): void {
  const spec: Props = policy.props.spec ?? {};
  for (const direction of policyTypesOf(spec)) {
    rulesOf(spec, direction).forEach((rule, i) =>
      visit(rule, direction, i, (direction === "Ingress" ? rule.from : rule.to) ?? []),
    );
  }
}

export interface PortInterval {
  protocol: Protocol;
  low: number;
  high: number;
}

/**
 * The ports a rule opens to address ranges, as intervals. No ports means every port of every protocol; an
 * entry without a port, every port of its protocol. Named ports resolve to pods' container ports, so toward
 * an address range they open nothing and are left out.
 */
export function ruleIntervals(rule: Props): PortInterval[] {
  const ports: Props[] = rule.ports ?? [];
  if (ports.length === 0) return PROTOCOLS.map((protocol) => ({ protocol, low: 1, high: MAX_PORT }));
  const intervals: PortInterval[] = [];
  for (const p of ports) {
    const protocol = (p.protocol ?? "TCP") as Protocol;
    if (p.port === undefined || p.port === null) {
      intervals.push({ protocol, low: 1, high: MAX_PORT });
      continue;
    }
    const port = typeof p.port === "number" ? p.port : /^\d+$/.test(String(p.port)) ? Number(p.port) : undefined;
    if (port === undefined) continue;
    const end = typeof p.endPort === "number" && p.endPort > port ? p.endPort : port;
    intervals.push({ protocol, low: port, high: end });
  }
  return intervals;
}

/** "TCP 443", "UDP 1-65535". */
export const intervalText = (i: PortInterval): string =>
  `${i.protocol} ${i.low === i.high ? i.low : `${i.low}-${i.high}`}`;

/**
 * Visits every egress rule of every NetworkPolicy (patches applied) in a workspace namespace. The stack is
 * indexed once, so the egress policies stay linear in the number of resources.
 */
export function eachWorkspaceEgressRule(
  resources: PolicyResource[],
  gaps: PreviewGaps,
  visit: (policy: PolicyResource, rule: Props, index: number) => void,
): void {
  const namespaces = managedNamespaces(resources, gaps);
  const policies = networkPoliciesByNamespace(resources, gaps);
  for (const ns of namespaces.values()) {
    if (ns.role !== ROLE_WORKSPACES) continue;
    for (const policy of policies.get(ns.name) ?? []) {
      gaps.judge(() =>
        eachOf(policy.props.spec?.egress as Props[] | undefined, (rule, i) => visit(policy, rule, i), gaps),
      );
    }
  }
}
