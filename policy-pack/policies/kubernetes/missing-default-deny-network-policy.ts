// Allow-rules only mean something on top of a deny-all: without it, every flow a policy forgets is open.
// Both directions must be denied by default, by one policy or by one per direction (podSelector {}, the
// policy type, no rule); patches are applied to the policies they patch first, so a patch that adds a
// rule to the deny-all undoes it. This is a stack policy because the namespace and its NetworkPolicies are
// separate resources.
import { DEFAULT_DENY_POLICY, ROLE_LABEL } from "../../contract";
import { managedNamespaces } from "../../lib/kubernetes";
import { deniedDirections, Direction, networkPoliciesByNamespace } from "../../lib/network-policies";
import { subjectOfResource } from "../../lib/policy";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const DIRECTIONS: readonly Direction[] = ["Ingress", "Egress"];

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
      `Every managed namespace (labelled ${ROLE_LABEL}) must deny Ingress and Egress by default: ` +
      `NetworkPolicies with podSelector {}, the policy type, and no rules (one for both, or one per direction).`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Add a NetworkPolicy (e.g. "${DEFAULT_DENY_POLICY}") to the namespace with spec ` +
      `{podSelector: {}, policyTypes: [Ingress, Egress]} and no ingress/egress rules (or one such policy per ` +
      `direction), then allow the needed flows in separate policies.`,
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const namespaces = managedNamespaces(args.resources, gaps);
      const policies = networkPoliciesByNamespace(args.resources, gaps);
      for (const ns of namespaces.values()) {
        gaps.judge(() => {
          const denied = new Set((policies.get(ns.name) ?? []).flatMap(deniedDirections));
          const open = DIRECTIONS.filter((d) => !denied.has(d));
          if (open.length === 0) return;
          report(
            `${subjectOfResource(ns.resource)}: is a managed namespace (${ROLE_LABEL}: ${ns.role}) without a ` +
              `default-deny NetworkPolicy for ${open.join(" and ")}, so any such flow not explicitly denied is ` +
              `open; ` +
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
