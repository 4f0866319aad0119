// A workspace ValidatingAdmissionPolicy compared with the blueprint's canonical rule for it
// (contract/admission-rules.ts): what it matches, its variables and its validations. A policy that exists
// and fails closed is worth nothing if its validations were emptied, made always true, or its registry list
// holds a pattern that matches everything; extra validations only deny more and are accepted.
import { admissionImagePatterns, AdmissionRule, AdmissionSettings, workspaceAdmissionRules } from "../contract";
import { Props } from "./policy";
import { hasRequirements } from "./selectors";

/** The pack settings the rules are compared with; an empty registry list or size is judged by form only. */
export interface AdmissionRuleSettings {
  approvedRegistries?: string[];
  allowedCapabilities?: string[];
  allowedSecrets?: string[];
  maxVolumeSize?: string;
}

const normalized = (expression: unknown): string => String(expression).replace(/\s+/g, " ").trim();

// Stands in for the volume-size figure when the settings name none, so the rest of the expression is still
// compared exactly; messages show it as ANY_SIZE_SHOWN.
const ANY_SIZE = "\u0000";
const ANY_SIZE_SHOWN = "a literal size";

function canonical(settings: AdmissionRuleSettings): Record<string, AdmissionRule> {
  const s: AdmissionSettings = {
    approvedRegistries: settings.approvedRegistries ?? [],
    allowedCapabilities: settings.allowedCapabilities ?? [],
    allowedSecrets: settings.allowedSecrets ?? [],
    maxVolumeSize: settings.maxVolumeSize || ANY_SIZE,
  };
  return workspaceAdmissionRules(s);
}

function matchesCanonical(actual: string, wanted: string): boolean {
  const expected = normalized(wanted);
  const hole = expected.indexOf(JSON.stringify(ANY_SIZE));
  if (hole === -1) return actual === expected;
  const [before, after] = [expected.slice(0, hole), expected.slice(hole + JSON.stringify(ANY_SIZE).length)];
  return (
    actual.startsWith(before) &&
    actual.endsWith(after) &&
    /^"[^"]+"$/.test(actual.slice(before.length, -after.length || undefined))
  );
}

/** A CEL list of string literals as components write it, or undefined when it is anything else. */
function stringList(expression: unknown): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(String(expression));
    return Array.isArray(parsed) && parsed.every((v) => typeof v === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// A reference no approved prefix can cover: a pattern that admits it admits every registry.
const FOREIGN_IMAGE = "registry.invalid/someone/image:1";

function admitsAnyRegistry(pattern: string): boolean {
  try {
    return new RegExp(pattern).test(FOREIGN_IMAGE);
  } catch {
    return true;
  }
}

const covers = (have: unknown, want: readonly string[]): boolean =>
  Array.isArray(have) && (have.includes("*") || want.every((w) => have.includes(w)));

/** The lists a policy's variables may hold, each within the settings (or, for registries, well formed). */
const LIST_VARIABLES: Record<string, (settings: AdmissionRuleSettings) => (entry: string) => string | undefined> = {
  imagePatterns: (settings) => {
    const approved = settings.approvedRegistries?.length
      ? admissionImagePatterns(settings.approvedRegistries)
      : undefined;
    return (entry) => {
      if (approved)
        return approved.includes(entry) ? undefined : `image pattern "${entry}" is not an approved registry's`;
      // Without the stack's registries only the form can be judged: anchored, and not admitting an
      // arbitrary registry.
      if (!entry.startsWith("^")) return `image pattern "${entry}" is not anchored, so it admits other registries`;
      if (admitsAnyRegistry(entry)) return `image pattern "${entry}" admits images from any registry`;
      return undefined;
    };
  },
  allowedCapabilities: (settings) => (entry) =>
    settings.allowedCapabilities?.includes(entry) ? undefined : `capability "${entry}" is not allowed`,
  allowedSecrets: (settings) => (entry) =>
    settings.allowedSecrets?.includes(entry) ? undefined : `Secret "${entry}" is not allowed`,
};

/** Why a workspace admission policy's spec is weaker than the blueprint's rule for it; empty when it is not. */
export function admissionRuleFailures(name: string, spec: Props, settings: AdmissionRuleSettings): string[] {
  const rules = canonical(settings);
  // Own keys only: a policy named "constructor" must not find Object's.
  if (!Object.hasOwn(rules, name)) return [];
  const rule = rules[name];
  const failures: string[] = [];

  const resourceRules: Props[] = spec.matchConstraints?.resourceRules ?? [];
  for (const wanted of rule.resourceRules) {
    const covered = resourceRules.some(
      (r) =>
        covers(r.apiGroups, wanted.apiGroups) &&
        covers(r.apiVersions, wanted.apiVersions) &&
        covers(r.operations, wanted.operations) &&
        covers(r.resources, wanted.resources),
    );
    if (!covered)
      failures.push(
        `matchConstraints.resourceRules do not cover ${wanted.operations.join("/")} of ` +
          `${wanted.resources.join(", ")}`,
      );
  }
  const constraints: Props = spec.matchConstraints ?? {};
  if (hasRequirements(constraints.namespaceSelector) || hasRequirements(constraints.objectSelector))
    failures.push("matchConstraints narrow it with a namespace or object selector");
  if ((constraints.excludeResourceRules ?? []).length > 0)
    failures.push("matchConstraints.excludeResourceRules exempt objects from it");
  if ((spec.matchConditions ?? []).length > 0) failures.push("matchConditions skip its validations for some objects");

  const variables = new Map<string, string>();
  for (const v of (spec.variables ?? []) as Props[]) variables.set(String(v?.name), normalized(v?.expression));
  for (const wanted of rule.variables) {
    const actual = variables.get(wanted.name);
    const list = LIST_VARIABLES[wanted.name];
    if (actual === undefined) failures.push(`variable ${wanted.name} is missing`);
    else if (list) {
      const entries = stringList(actual);
      if (!entries) failures.push(`variable ${wanted.name} is not a list of strings`);
      else {
        const judge = list(settings);
        for (const entry of entries) {
          const failure = judge(entry);
          if (failure) failures.push(`variable ${wanted.name}: ${failure}`);
        }
      }
    } else if (actual !== normalized(wanted.expression))
      failures.push(`variable ${wanted.name} is not the blueprint's (${wanted.expression})`);
  }

  const expressions = ((spec.validations ?? []) as Props[]).map((v) => normalized(v?.expression));
  for (const wanted of rule.validations) {
    if (!expressions.some((actual) => matchesCanonical(actual, wanted.expression)))
      failures.push(`the validation "${wanted.message.replace(ANY_SIZE, ANY_SIZE_SHOWN)}" is missing or changed`);
  }
  return failures;
}
