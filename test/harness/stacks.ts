// Loads the shipped stack files the way the Pulumi CLI hands them to the program: top-level keys under
// the project namespace, structured values as-is. Secure values are replaced by stand-ins and reported,
// so tests can check they stay secret.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { BlueprintConfig, CONFIG_NAMESPACE, parseConfig } from "../../config";

export const SHIPPED_STACKS = ["local", "dev", "prod"] as const;
export type StackName = (typeof SHIPPED_STACKS)[number];

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export function rawStackConfig(stack: string): Record<string, unknown> {
    const file = path.join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`);
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (key.startsWith(`${CONFIG_NAMESPACE}:`)) raw[key.slice(CONFIG_NAMESPACE.length + 1)] = value;
    }
    return raw;
}

export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): BlueprintConfig {
    return parseConfig({ ...rawStackConfig(stack), ...overrides }, stack);
}

/** The shipped stacks pointed at an explicit test cluster, for stacks whose own cluster comes from AWS. */
export const TEST_CLUSTER = { target: "existing", kubeconfig: "/dev/null", context: "test" };
