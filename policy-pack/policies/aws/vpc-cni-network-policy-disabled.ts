// The VPC CNI ships with network-policy enforcement off: every NetworkPolicy the blueprint writes (default
// deny, no workspace egress to cloud metadata) is then accepted by the API server and enforced by nothing.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

/**
 * Only "true" (any letter case) or true turns a VPC CNI switch on; every other spelling leaves it off. A padded
 * " true " counts as off: the pack has no evidence that the add-on trims it, and reading it as on would pass a
 * cluster that may enforce nothing.
 */
function on(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

function off(value: unknown): boolean {
  return value !== undefined && !on(value);
}

/** Why the add-on's configuration leaves network policy unenforced, or undefined when it enforces it. */
export function networkPolicyGap(configurationValues: unknown): string | undefined {
  if (configurationValues === undefined || configurationValues === null || configurationValues === "") {
    return "configurationValues is unset, so enableNetworkPolicy keeps its default (off)";
  }
  let values: unknown = configurationValues;
  if (typeof values === "string") {
    try {
      values = JSON.parse(values);
    } catch {
      return "configurationValues is not JSON, so the pack cannot confirm enableNetworkPolicy";
    }
  }
  if (!values || typeof values !== "object") return "configurationValues is not an object";
  const v = values as { enableNetworkPolicy?: unknown; nodeAgent?: { enabled?: unknown } };
  if (!on(v.enableNetworkPolicy)) {
    return `enableNetworkPolicy is ${JSON.stringify(v.enableNetworkPolicy ?? "unset")}, not "true"`;
  }
  if (off(v.nodeAgent?.enabled)) {
    return `nodeAgent.enabled is ${JSON.stringify(v.nodeAgent?.enabled)}, and the node agent enforces the policies`;
  }
  return undefined;
}

export const vpcCniNetworkPolicyDisabled = definePolicy(
  {
    responsibilities: ["network-boundaries"],
    severity: "high",
    forbids: 'The `vpc-cni` add-on without `enableNetworkPolicy: "true"`',
    references: {
      cisEks: ["4.3.1", "5.4.4"],
      other: ["EKS Best Practices network security (VPC CNI network policy is off by default)"],
    },
  },
  {
    name: "vpc-cni-network-policy-disabled",
    description:
      'The EKS vpc-cni add-on must enforce network policies (configurationValues {"enableNetworkPolicy": "true"}).',
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set configurationValues: JSON.stringify({enableNetworkPolicy: "true"}) on the vpc-cni add-on, and leave ' +
      "nodeAgent enabled.",
    validateResource: forTypes([AWS.eksAddon], (props, args, report) => {
      if (props.addonName !== "vpc-cni") return;
      const gap = networkPolicyGap(props.configurationValues);
      if (gap === undefined) return;
      report(
        `${subjectOfArgs(args)}: does not enforce NetworkPolicies (${gap}); set configurationValues to ` +
          `{"enableNetworkPolicy": "true"}.`,
      );
    }),
  },
);
