// Loads the shipped stack files the way the Pulumi CLI hands them to the program: top-level keys under
// the project namespace, structured values as-is. The stack files carry no secrets, so the harness fills
// each secret field with a stand-in (./secrets) and marks its key secret, as the engine would.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { BlueprintConfig, CONFIG_NAMESPACE, parseConfig } from "../../config";
import { withTestSecrets } from "./secrets";

export { TEST_SECRET_PREFIX, withTestSecrets } from "./secrets";

export const SHIPPED_STACKS = ["local", "dev", "prod"] as const;

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

function stackDocument(stack: string): { config?: Record<string, unknown> } {
  return parse(fs.readFileSync(path.join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8"));
}

export function rawStackConfig(stack: string): Record<string, any> {
  const doc = stackDocument(stack);
  const raw: Record<string, any> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (key.startsWith(`${CONFIG_NAMESPACE}:`)) raw[key.slice(CONFIG_NAMESPACE.length + 1)] = value;
  }
  return raw;
}

export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): BlueprintConfig {
  const { raw, secretKeys } = withTestSecrets({ ...rawStackConfig(stack), ...overrides });
  // The shipped file is checked as the program checks it: no credential may sit in it in plain text.
  return parseConfig(raw, stack, secretKeys, { name: `stacks/Pulumi.${stack}.yaml`, document: stackDocument(stack) });
}

/** An explicit test cluster, for stacks whose own cluster comes from the AWS layer. */
export const TEST_CLUSTER = { target: "existing", kubeconfig: "/dev/null", context: "test" } as const;
