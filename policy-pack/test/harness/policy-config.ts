// The policy-pack config the engine hands the analyzer, reconciled the way the Pulumi CLI does it
// (pkg/resource/analyzer ReconcilePolicyPackConfig): every policy starts from its own enforcement
// level plus its configSchema defaults, then `all` and per-policy entries from the
// --policy-pack-config file are applied on top, key by key, and the result is validated against each
// policy's schema. An invalid config stops the CLI before anything runs; here it throws.
import type { EnforcementLevel, Policies, PolicyConfigSchema } from "@pulumi/policy";

/** The JSON file passed with --policy-pack-config. */
export type PackConfigFile = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

export interface ReconciledPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function split(
  entry: PackConfigFile[string],
  key: string,
): { level?: EnforcementLevel; properties: Record<string, unknown> } {
  if (typeof entry === "string") {
    if (!LEVELS.includes(entry))
      throw new Error(`parsing enforcement level for "${key}": "${entry}" is not a valid enforcement level`);
    return { level: entry, properties: {} };
  }
  const { enforcementLevel, ...properties } = entry;
  if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel)) {
    throw new Error(`parsing enforcement level for "${key}": "${enforcementLevel}" is not a valid enforcement level`);
  }
  return { level: enforcementLevel, properties };
}

export function reconcileConfig(
  policies: Policies,
  packLevel: EnforcementLevel,
  file: PackConfigFile = {},
): Map<string, ReconciledPolicyConfig> {
  const result = new Map<string, ReconciledPolicyConfig>();
  for (const p of policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
      if (typeof schema === "object" && schema.default !== undefined) properties[k] = structuredClone(schema.default);
    }
    // The analyzer reports each policy's level as `policy.enforcementLevel || pack level`.
    result.set(p.name, { enforcementLevel: p.enforcementLevel ?? packLevel, properties });
  }
  if (file.all !== undefined) {
    const all = split(file.all, "all");
    if (all.level) for (const c of result.values()) c.enforcementLevel = all.level;
  }
  for (const [key, entry] of Object.entries(file)) {
    if (key === "all") continue;
    const given = split(entry, key);
    const current = result.get(key) ?? { enforcementLevel: packLevel, properties: {} };
    result.set(key, {
      enforcementLevel: given.level ?? current.enforcementLevel,
      properties: { ...current.properties, ...given.properties },
    });
  }
  const problems = policies.flatMap((p) =>
    p.configSchema ? validateConfig(p.configSchema, result.get(p.name)!.properties).map((e) => `${p.name}: ${e}`) : [],
  );
  if (problems.length > 0) throw new Error(`policy pack configuration is invalid:\n${problems.join("\n")}`);
  return result;
}

/** The settings the engine hands a policy when the --policy-pack-config file names it nowhere. */
export function defaultSettings(policy: Policies[number]): Record<string, unknown> {
  return reconcileConfig([policy], "mandatory").get(policy.name)!.properties;
}

type Schema = Record<string, any>;

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

/** The JSON-schema keywords this pack's schemas use; an unsupported keyword is a harness error. */
function validateValue(schema: Schema, value: unknown, path: string): string[] {
  const supported = new Set(["type", "items", "default", "description", "minLength", "minItems", "pattern", "enum"]);
  const unsupported = Object.keys(schema).filter((k) => !supported.has(k));
  if (unsupported.length > 0)
    throw new Error(
      `harness: schema keyword(s) ${unsupported.join(", ")} at ${path} are not modelled; extend validateValue`,
    );
  const types: string[] = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((t) => typeOk(t, value)))
    return [
      `${path}: Invalid type. Expected: ${types.join(" or ")}, given: ${Array.isArray(value) ? "array" : typeof value}`,
    ];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value)))
    problems.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${path}: String length must be greater than or equal to ${schema.minLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
      problems.push(`${path}: Does not match pattern '${schema.pattern}'`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push(`${path}: Array must have at least ${schema.minItems} items`);
    if (schema.items) value.forEach((item, i) => problems.push(...validateValue(schema.items, item, `${path}.${i}`)));
  }
  return problems;
}

export function validateConfig(schema: PolicyConfigSchema, properties: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const required of schema.required ?? []) if (!(required in properties)) problems.push(`${required} is required`);
  for (const [key, value] of Object.entries(properties)) {
    const propSchema = schema.properties[key];
    if (propSchema === undefined || typeof propSchema === "boolean") continue;
    problems.push(...validateValue(propSchema, value, key));
  }
  return problems;
}
