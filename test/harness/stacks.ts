// Loads the shipped stack files the way the Pulumi CLI hands them to the program: top-level keys under
// the project namespace, structured values as-is. The stack files carry no secrets, so the harness fills
// each secret field with a stand-in (./secrets) and marks its key secret, as the engine would.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import * as assert from "assert";
import { BlueprintConfig, CONFIG_NAMESPACE, ConfigError, parseConfig } from "../../config";
import { withTestSecrets } from "./secrets";

export { TEST_SECRET_PREFIX, withTestSecrets } from "./secrets";

export const SHIPPED_STACKS = ["local", "dev", "prod"] as const;

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The shipped stack file of `stack`. */
export const stackFile = (stack: string) => path.join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`);

function stackDocument(stack: string, file = stackFile(stack)): { config?: Record<string, unknown> } {
  return parse(fs.readFileSync(file, "utf8"));
}

export function rawStackConfig(stack: string, file = stackFile(stack)): Record<string, any> {
  const doc = stackDocument(stack, file);
  const raw: Record<string, any> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (key.startsWith(`${CONFIG_NAMESPACE}:`)) raw[key.slice(CONFIG_NAMESPACE.length + 1)] = value;
  }
  return raw;
}

/** The problems parseConfig reports for a shipped stack after `mutate` changes its raw config (fails on none). */
export function stackProblems(stack: string, mutate: (raw: any) => void): string[] {
  const { raw, secretKeys } = withTestSecrets(structuredClone(rawStackConfig(stack)));
  mutate(raw);
  try {
    parseConfig(raw, stack, secretKeys);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail("configuration was accepted");
}

/** The one problem reported for `key` after `mutate` changes a shipped stack, checked against `fix`. */
export function assertRefused(stack: string, mutate: (raw: any) => void, key: string, fix: RegExp): void {
  const problems = stackProblems(stack, mutate);
  const match = problems.find((p) => p.startsWith(`${CONFIG_NAMESPACE}:${key}:`));
  assert.ok(match, `no problem reported for ${key}; got:\n${problems.join("\n")}`);
  assert.match(match, fix);
}

/**
 * A shipped stack's config after `mutate`, its secrets then set as the operator would for the changed config
 * (a database URL with the stack's sslmode, a client secret per Git provider); throws when refused.
 */
export function accepted(stack: string, mutate: (raw: any) => void): BlueprintConfig {
  const changed = structuredClone(rawStackConfig(stack));
  mutate(changed);
  const { raw, secretKeys } = withTestSecrets(changed);
  return parseConfig(raw, stack, secretKeys);
}

export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): BlueprintConfig {
  return stackConfigFromFile(stackFile(stack), stack, overrides);
}

/** A stack's config from any stack file (a fixture, a user's own), checked as the shipped ones are. */
export function stackConfigFromFile(
  file: string,
  stack: string,
  overrides: Record<string, unknown> = {},
): BlueprintConfig {
  const { raw, secretKeys } = withTestSecrets({ ...rawStackConfig(stack, file), ...overrides });
  // The file is checked as the program checks it: no credential may sit in it in plain text.
  const name = path.relative(PROJECT_ROOT, file);
  return parseConfig(raw, stack, secretKeys, { name, document: stackDocument(stack, file) });
}

/** An explicit test cluster, for stacks whose own cluster comes from the AWS layer. */
export const TEST_CLUSTER = { target: "existing", kubeconfig: "/dev/null", context: "test" } as const;
