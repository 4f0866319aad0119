// Kubernetes label selectors judged against the labels a policy can prove an object carries. During
// preview a selector's values may be unknown; each requirement is read once and, if unknown, stays unknown
// for every object it is judged against instead of aborting the whole judgement.
import { Props } from "./policy";
import { compiled, listText, member, valueSet } from "./unknowns";

/** The labels known for certain, e.g. a namespace's name label and the labels the stack itself sets. */
export type KnownLabels = ReadonlyMap<string, string>;

/** A selector requirement judged against known labels: why it is not met, or undefined; throws when unknown. */
export type Requirement = (labels: KnownLabels) => string | undefined;

/** Whether a selector narrows anything (an absent or empty selector selects everything). */
export function hasRequirements(selector: Props | undefined): boolean {
  if (!selector) return false;
  return Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0;
}

/**
 * A namespaceSelector's requirements, each read once. Absent or empty, it has none and selects every
 * namespace. A requirement on a label that is not known cannot be proven and fails. Throws when the
 * selector itself (or its list of requirements) is unknown.
 */
export function namespaceRequirements(selector: Props | undefined): Requirement[] {
  if (!selector) return [];
  const requirements: Requirement[] = [];
  const labels: Props = selector.matchLabels ?? {};
  for (const key of Object.keys(labels)) {
    requirements.push(
      compiled(() => {
        const wanted: unknown = labels[key];
        return (known: KnownLabels) => {
          const value = known.get(key);
          if (value === undefined)
            return (
              `its namespaceSelector requires label ${key}=${String(wanted)}, which the pack cannot prove the ` +
              `namespace carries`
            );
          return wanted === value
            ? undefined
            : `its namespaceSelector requires ${key}=${String(wanted)}, and the namespace's is ${value}`;
        };
      }),
    );
  }
  const expressions: unknown = selector.matchExpressions ?? [];
  const count = Array.isArray(expressions) ? expressions.length : 0;
  for (let i = 0; i < count; i++) {
    requirements.push(
      compiled(() => {
        const e: Props = (expressions as Props[])[i];
        const key: unknown = e.key;
        const operator: unknown = e.operator;
        const listed = operator === "In" || operator === "NotIn";
        const values = listed ? valueSet(e.values) : undefined;
        const shown = `${String(key)} ${String(operator)}${listed ? ` ${listText(e.values)}` : ""}`;
        return (known: KnownLabels) => {
          const value = typeof key === "string" ? known.get(key) : undefined;
          if (value === undefined)
            return (
              `its namespaceSelector requires ${shown}, which the pack cannot prove of the namespace (only ` +
              `${[...known.keys()].join(" and ")} are known)`
            );
          const met =
            operator === "In"
              ? member(values!, value)
              : operator === "NotIn"
                ? !member(values!, value)
                : operator === "Exists";
          return met ? undefined : `its namespaceSelector requires ${shown}, which "${value}" does not meet`;
        };
      }),
    );
  }
  return requirements;
}
