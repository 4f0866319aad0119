// Assertions shared by the policy specs. A violation must start with the resource it is about and
// match the expected "what is wrong; how to fix" text; a pass must have no violation at all.
import * as assert from "assert";
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { escapeRegExp } from "../contract";
import {
  Outcome,
  previewGaps,
  ResourceUnderTest,
  RunOptions,
  runResourcePolicy,
  runStackPolicy,
  Violation,
} from "./harness/analyzer";
import { reconcileConfig } from "./harness/policy-config";

/**
 * The CLI refuses `settings` for the policy (its configSchema check of the --policy-pack-config file) before any
 * policy runs; `problem` matches the refusal after the policy's name, e.g. /allowedSecrets\.1: Invalid type/.
 */
export function expectSettingsRefused(
  policy: Policies[number],
  settings: Record<string, unknown>,
  problem: RegExp,
  what?: string,
): void {
  assert.throws(
    () => reconcileConfig([policy], "mandatory", { [policy.name]: settings }),
    new RegExp(`${escapeRegExp(policy.name)}: ${problem.source}`),
    what,
  );
}

/** For a list setting of non-empty names: an empty entry, and one that is not text, after `valid` are refused. */
export function expectNameListRefusesBadEntries(policy: Policies[number], key: string, valid: string): void {
  const bad: [unknown, string][] = [
    ["", "String length must be greater than or equal to 1"],
    [7, "Invalid type\\. Expected: string"],
  ];
  for (const [entry, problem] of bad) {
    expectSettingsRefused(
      policy,
      { [key]: [valid, entry] },
      new RegExp(`${key}\\.1: ${problem}`),
      JSON.stringify(entry),
    );
  }
}

function show(o: Outcome): string {
  return o.violations.map((v) => `[${v.enforcementLevel}] ${v.detail}`).join("\n") || "(no violations)";
}

function assertClean(o: Outcome): void {
  assert.strictEqual(o.notApplicable, undefined, `expected the policy to apply, but it said: ${o.notApplicable}`);
  assert.deepStrictEqual(o.violations, [], `expected no violations, got:\n${show(o)}`);
}

function assertOne(o: Outcome, subject: string, fix: RegExp, description: string): Violation {
  const matching = o.violations.filter((v) => v.detail.startsWith(subject) && fix.test(v.detail));
  assert.ok(matching.length > 0, `expected a violation starting with ${subject} and matching ${fix}, got:\n${show(o)}`);
  assert.strictEqual(
    matching[0].enforcementLevel,
    o.enforcementLevel,
    `expected the policy's level ${o.enforcementLevel}:\n${show(o)}`,
  );
  assert.strictEqual(
    matching[0].message,
    `${description}\n${matching[0].detail}`,
    "the engine prints the description, then the message",
  );
  return matching[0];
}

export async function expectPass(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  options?: RunOptions,
): Promise<void> {
  assertClean(await runResourcePolicy(policy, resource, options));
}

export async function expectViolation(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  subject: string,
  fix: RegExp,
  options?: RunOptions,
): Promise<Violation> {
  return assertOne(await runResourcePolicy(policy, resource, options), subject, fix, policy.description);
}

export async function expectNotApplicable(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  reason: RegExp,
  options?: RunOptions,
): Promise<void> {
  const o = await runResourcePolicy(policy, resource, options);
  assert.deepStrictEqual(o.violations, [], show(o));
  assert.match(o.notApplicable ?? "", reason);
}

/** The server's advisory "can't run during preview" outcome, and nothing that passes silently. */
export async function expectPreviewGap(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  path: RegExp,
  options?: RunOptions,
): Promise<Outcome> {
  const o = await runResourcePolicy(policy, resource, options);
  const gaps = previewGaps(o);
  assert.strictEqual(gaps.length, 1, `expected one preview gap, got:\n${show(o)}`);
  assert.strictEqual(gaps[0].enforcementLevel, "advisory");
  assert.match(gaps[0].detail, path);
  return o;
}

export async function expectStackPass(
  policy: StackValidationPolicy,
  resources: ResourceUnderTest[],
  options?: RunOptions,
): Promise<void> {
  assertClean(await runStackPolicy(policy, resources, options));
}

export async function expectStackViolation(
  policy: StackValidationPolicy,
  resources: ResourceUnderTest[],
  subject: string,
  fix: RegExp,
  options?: RunOptions,
): Promise<Violation> {
  const v = assertOne(await runStackPolicy(policy, resources, options), subject, fix, policy.description);
  assert.ok(v.urn, "stack violations must name the offending resource's URN");
  return v;
}

export async function expectStackPreviewGap(
  policy: StackValidationPolicy,
  resources: ResourceUnderTest[],
  path: RegExp,
  options?: RunOptions,
): Promise<Outcome> {
  const o = await runStackPolicy(policy, resources, options);
  const gaps = previewGaps(o);
  assert.strictEqual(gaps.length, 1, `expected one preview gap, got:\n${show(o)}`);
  assert.match(gaps[0].detail, path);
  return o;
}

export { show };
