// The one place stack configuration is read. Everything downstream receives a typed, validated object;
// nothing else calls `new pulumi.Config()`. Validation runs to completion and reports every problem at
// once, before the program registers a single resource: the schema (./schema), then the rules that span
// several settings (./rules), then the checks that credentials are encrypted (./secrets).
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CONFIG_NAMESPACE, configKey, dottedKey, formatProblem, Problem, problem } from "./problem";
import { withAwsDerivedSettings } from "./aws";
import { crossFieldProblems } from "./rules";
import { awsDerivedSettingProblems } from "./rules/aws";
import { blueprintSchema, ParsedBlueprintConfig } from "./schema";
import { isSecretPath, plaintextSecretsInStackFile, unencryptedSecretKeys } from "./secrets";

export { CONFIG_NAMESPACE } from "./problem";
export type { Problem } from "./problem";

/**
 * The validated configuration the program reads: as written, with the settings an `eks` stack derives from
 * its AWS settings filled in (config/aws.ts), so pod ranges and approved registries are always present.
 */
export type BlueprintConfig = ParsedBlueprintConfig & {
  /** The Pulumi stack name, so components can tell local from shared environments. */
  readonly stack: string;
  network: ParsedBlueprintConfig["network"] & { podCidrs: string[] };
  registry: ParsedBlueprintConfig["registry"] & { approved: string[] };
};

export class ConfigError extends Error {
  /** One line per problem: the setting, then what to do. */
  readonly problems: string[];

  constructor(problems: ReadonlyArray<Problem>) {
    const lines = problems.map(formatProblem);
    super(
      `Invalid stack configuration (${lines.length} problem${lines.length === 1 ? "" : "s"}):\n` +
        lines.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
    this.problems = lines;
  }
}

/**
 * Messages for issues the schema gives no message of its own. Schema-level messages win over these, so
 * a field that explains why it is required (tls.provided) keeps its explanation.
 */
const defaultMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== "invalid_type" || issue.input !== undefined) return undefined;
  const path = issue.path ?? [];
  if (isSecretPath(path)) {
    return `required secret, not set; run: pulumi config set --secret --path '${configKey(dottedKey(path))}' <value>`;
  }
  return `required, but not set (expected ${issue.expected})`;
};

function issueProblems(issue: z.core.$ZodIssue): Problem[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) =>
      problem(
        dottedKey([...issue.path, k]),
        "unknown setting; remove it or check its spelling against the config reference in README.md",
      ),
    );
  }
  return [problem(dottedKey(issue.path), issue.message)];
}

/**
 * Validates raw stack configuration (top-level keys without the project prefix, values already decoded
 * from JSON) and returns the typed config, or throws a ConfigError listing every problem.
 */
export function parseConfig(
  raw: Record<string, unknown>,
  stack: string,
  secretKeys: ReadonlySet<string>,
  stackFile?: { name: string; document: unknown },
): BlueprintConfig {
  const result = blueprintSchema.safeParse(raw, { error: defaultMessages });
  if (!result.success) throw new ConfigError(result.error.issues.flatMap(issueProblems));
  // Settings derived on eks are refused as written before they are derived, then every rule judges the
  // configuration the program will read, derived ranges included.
  const written = awsDerivedSettingProblems(result.data);
  const cfg = withAwsDerivedSettings(result.data);
  const problems = [
    ...written,
    ...crossFieldProblems(cfg),
    ...unencryptedSecretKeys(result.data, secretKeys),
    ...(stackFile ? plaintextSecretsInStackFile(result.data, stackFile) : []),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  // Both are present now: required on existing clusters (awsDerivedSettingProblems), derived on eks.
  return { ...cfg, stack } as BlueprintConfig;
}

/** Decodes Pulumi's flat `project:key -> string` map into structured values. */
export function decodePulumiConfig(flat: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const [fullKey, text] of Object.entries(flat)) {
    const separator = fullKey.indexOf(":");
    const namespace = fullKey.slice(0, separator);
    const key = fullKey.slice(separator + 1);
    if (namespace !== CONFIG_NAMESPACE) continue;
    try {
      raw[key] = JSON.parse(text);
    } catch {
      // The value itself is never echoed: it may be a secret set with `config set --secret`.
      problems.push(problem(key, "must be a YAML map or list (see README.md), got a plain value"));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return raw;
}

/** Reads and validates the current stack's configuration from the Pulumi runtime. */
export function loadConfig(): BlueprintConfig {
  const flat = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(flat).filter((key) => runtimeIsConfigSecret(key)));
  return parseConfig(decodePulumiConfig(flat), pulumi.getStack(), secretKeys, readStackFile(pulumi.getStack()));
}

/** The stack's settings file (Pulumi.yaml sets stackConfigDir: stacks), when config comes from one. */
function readStackFile(stack: string): { name: string; document: unknown } | undefined {
  const name = path.join("stacks", `Pulumi.${stack.split("/").pop()}.yaml`);
  if (!fs.existsSync(name)) return undefined;
  return { name, document: parseYaml(fs.readFileSync(name, "utf8")) };
}

/**
 * The SDK knows which keys the stack file encrypts but exports that only as an internal helper; this is
 * the one place that reaches for it, and it fails loudly if a future SDK drops it.
 */
function runtimeIsConfigSecret(key: string): boolean {
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (typeof isConfigSecret !== "function") {
    throw new Error(
      "@pulumi/pulumi no longer exposes runtime.isConfigSecret; update config/index.ts to read secret keys another way",
    );
  }
  return isConfigSecret(key);
}
