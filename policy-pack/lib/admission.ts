// ValidatingAdmissionPolicyBindings read the way the admission policies' guard needs them: which policy a
// binding names, and whether it provably applies that policy, with Deny, to a namespace. Values unknown
// during preview make the answer unknown (a thrown UnknownValueError), never a pass.
import { PolicyResource } from "@pulumi/policy";
import { Props } from "./policy";
import { hasRequirements, KnownLabels, namespaceRequirements, Requirement } from "./selectors";
import { Check, firstFailure, isUnknownValueError, listText, member, once, readOr, valueSet } from "./unknowns";

/** The label the API server sets on every namespace to its name, so a selector on it is provable. */
export const NAME_LABEL = "kubernetes.io/metadata.name";

/** A Kubernetes object's metadata.name for messages, else its Pulumi name (also while it is unknown). */
export const nameOf = (r: PolicyResource): string => String(readOr<unknown>(() => r.props.metadata?.name, r.name));

/**
 * A Kubernetes object's metadata.name for a verdict, else its Pulumi name; throws while the name is unknown
 * during preview, so a caller inside a gap judge reports a gap instead of matching the Pulumi name.
 */
export const judgedNameOf = (r: PolicyResource): string => String(r.props.metadata?.name ?? r.name);

/**
 * The policy a binding (or binding patch) names: spec.policyName, or, when that is unknown during preview,
 * its metadata.name (the blueprint names each binding after its policy). Throws when both are unknown.
 */
export function bindingTarget(binding: PolicyResource): string {
  try {
    const policyName: unknown = binding.props.spec?.policyName;
    if (typeof policyName === "string") return policyName;
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
  }
  const name: unknown = binding.props.metadata?.name;
  return typeof name === "string" ? name : "";
}

/**
 * A binding, read once, as a judge of namespaces (given by their known labels): why it does not guard a
 * namespace, or undefined when it does. What does not depend on the namespace is decided once.
 */
export function bindingJudge(
  binding: PolicyResource,
  allowNonBlockingActions: boolean,
): (labels: KnownLabels) => string | undefined {
  const who = `binding "${nameOf(binding)}"`;
  const spec = (): Props => binding.props.spec ?? {};
  const match = (): Props => spec().matchResources ?? {};
  const fixed: Check[] = [
    () =>
      allowNonBlockingActions || member(valueSet(spec().validationActions), "Deny")
        ? undefined
        : `its validationActions ${listText(spec().validationActions)} do not include Deny, so violations are ` +
          `only warned about or audited`,
    () =>
      hasRequirements(match().objectSelector)
        ? "its matchResources.objectSelector checks only objects carrying its labels, so others are admitted " +
          "unchecked"
        : undefined,
    () =>
      (match().excludeResourceRules ?? []).length > 0
        ? "its matchResources.excludeResourceRules exempt objects from the policy"
        : undefined,
    () =>
      (match().resourceRules ?? []).length > 0
        ? "its matchResources.resourceRules narrow the objects the policy checks"
        : undefined,
  ].map(once);
  let requirements: Requirement[];
  try {
    requirements = namespaceRequirements(match().namespaceSelector);
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
    requirements = [
      () => {
        throw e;
      },
    ];
  }
  return (known) => {
    const reason = firstFailure([...fixed, ...requirements.map((r) => () => r(known))]);
    return reason === undefined ? undefined : `${who}: ${reason}`;
  };
}
