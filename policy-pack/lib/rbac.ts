// RBAC shapes shared by the role and binding policies.
import { Props } from "./policy";
import { eachOf, PreviewGaps } from "./unknowns";

export interface RuleView {
  index: number;
  verbs: string[];
  resources: string[];
  apiGroups: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Visits props.rules: a Role's rules, or any list of the same shape (pass {rules: list}). */
export function eachRule(props: Props, gaps: PreviewGaps, fn: (rule: RuleView) => void): void {
  eachOf(
    props.rules as Props[] | undefined,
    (rule, index) =>
      fn({ index, verbs: strings(rule.verbs), resources: strings(rule.resources), apiGroups: strings(rule.apiGroups) }),
    gaps,
  );
}

/** The parts of a rule that use a wildcard, e.g. ["verbs *", "resources pods/*"]. */
export function wildcardsIn(rule: RuleView): string[] {
  return [
    ...rule.verbs.filter((v) => v === "*").map((v) => `verbs ${v}`),
    ...rule.resources.filter((r) => r.includes("*")).map((r) => `resources ${r}`),
    ...rule.apiGroups.filter((g) => g === "*").map((g) => `apiGroups ${g}`),
  ];
}

/** Verbs that let a subject raise its own privileges: grant roles it lacks, bind them, or act as another user. */
export const ESCALATION_VERBS: readonly string[] = ["escalate", "bind", "impersonate"];

/** The escalation verbs a rule grants, as written. */
export function escalationVerbsIn(rule: RuleView): string[] {
  return rule.verbs.filter((v) => ESCALATION_VERBS.includes(v.toLowerCase()));
}

export interface SubjectView {
  kind: string;
  name: string;
  namespace?: string;
}

export function eachSubject(props: Props, gaps: PreviewGaps, fn: (subject: SubjectView) => void): void {
  eachOf(
    props.subjects as Props[] | undefined,
    (s) =>
      fn({
        kind: String(s.kind ?? ""),
        name: String(s.name ?? ""),
        namespace: typeof s.namespace === "string" ? s.namespace : undefined,
      }),
    gaps,
  );
}
