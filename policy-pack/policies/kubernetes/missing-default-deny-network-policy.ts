// Allow-rules only mean something on top of a deny-all: without it, every flow a policy forgets is open.
// This is a stack policy because the namespace and its NetworkPolicy are separate resources.
import { PolicyResource } from "@pulumi/policy";
import { DEFAULT_DENY_POLICY, ROLE_LABEL } from "../../contract";
import { byNamespace, managedNamespaces } from "../../lib/kubernetes";
import { Props, subjectOfResource } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

function isEmptySelector(selector: Props | undefined): boolean {
  if (!selector) return false;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** podSelector {}, both policy types, and no rule at all: nothing in, nothing out. */
export function isDefaultDeny(policy: PolicyResource): boolean {
  const spec: Props = policy.props.spec ?? {};
  const types: unknown[] = spec.policyTypes ?? [];
  return (
    isEmptySelector(spec.podSelector) &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    (spec.ingress ?? []).length === 0 &&
    (spec.egress ?? []).length === 0
  );
}

export const missingDefaultDenyNetworkPolicy = definePolicy(
  {
    responsibilities: ["network-boundaries"],
    severity: "high",
    forbids: "Managed namespaces without a default-deny NetworkPolicy",
    references: {
      cisEks: ["4.3.2"],
      kyverno: ["add-networkpolicy", "require-network-policy"],
      checkov: ["CKV2_K8S_6"],
    },
  },
  {
    name: "missing-default-deny-network-policy",
    description:
      `Every managed namespace (labelled ${ROLE_LABEL}) must contain a default-deny NetworkPolicy: ` +
      `podSelector {}, policyTypes Ingress and Egress, no rules.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Add a NetworkPolicy (e.g. "${DEFAULT_DENY_POLICY}") to the namespace with spec ` +
      `{podSelector: {}, policyTypes: [Ingress, Egress]} and no ingress/egress rules, then allow the needed flows ` +
      `in separate policies.`,
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const namespaces = managedNamespaces(args.resources, gaps);
      const policies = byNamespace(args.resources, [K8S.networkPolicy], gaps);
      for (const ns of namespaces.values()) {
        gaps.judge(() => {
          if ((policies.get(ns.name) ?? []).some(isDefaultDeny)) return;
          report(
            `${subjectOfResource(ns.resource)}: is a managed namespace (${ROLE_LABEL}: ${ns.role}) without a ` +
              `default-deny NetworkPolicy, so any flow not explicitly denied is open; ` +
              `add a NetworkPolicy "${DEFAULT_DENY_POLICY}" in it with podSelector {} and policyTypes [Ingress, ` +
              `Egress] and no rules.`,
            ns.resource.urn,
          );
        });
      }
      gaps.settle();
    },
  },
);
