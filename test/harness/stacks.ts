// Loads the shipped stack files the way the Pulumi CLI hands them to the program: top-level keys under
// the project namespace, structured values as-is. The stack files carry no secrets (operators set them
// with `pulumi config set --secret`), so the harness fills each secret field with a recognisable stand-in
// and marks its key secret, exactly as the engine would after `config set --secret`.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { BlueprintConfig, CONFIG_NAMESPACE, parseConfig } from "../../config";

export const SHIPPED_STACKS = ["local", "dev", "prod"] as const;

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** Secret stand-ins; tests grep rendered state and outputs for these to prove they never leak. */
export const TEST_SECRET_PREFIX = "s3cr3t-test-value";

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

/** Sets every secret field the operator would set, and returns the config keys that are now secret. */
export function withTestSecrets(raw: Record<string, any>): { raw: Record<string, any>; secretKeys: Set<string> } {
  const out = structuredClone(raw);
  const secretKeys = new Set<string>();
  const mark = (key: string) => secretKeys.add(`${CONFIG_NAMESPACE}:${key}`);
  if (out.oidc) {
    out.oidc.clientSecret ??= `${TEST_SECRET_PREFIX}-oidc`;
    mark("oidc");
  }
  if (Array.isArray(out.gitProviders) && out.gitProviders.length > 0) {
    out.gitProviders.forEach((p: any) => (p.clientSecret ??= `${TEST_SECRET_PREFIX}-git-${p.id}`));
    mark("gitProviders");
  }
  if (out.database) {
    const sslMode = out.database.sslMode ?? "verify-full";
    out.database.connectionUrl ??= `postgres://coder:${TEST_SECRET_PREFIX}-pg@db.internal:5432/coder?sslmode=${sslMode}`;
    mark("database");
  }
  if (out.registry?.pull?.mode === "docker-config") {
    out.registry.pull.dockerConfigJson ??= JSON.stringify({
      auths: { "registry.example.com": { auth: `${TEST_SECRET_PREFIX}-registry` } },
    });
    mark("registry");
  }
  if (out.tls?.provided || out.tls?.ca) mark("tls");
  return { raw: out, secretKeys };
}

export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): BlueprintConfig {
  const { raw, secretKeys } = withTestSecrets({ ...rawStackConfig(stack), ...overrides });
  // The shipped file is checked as the program checks it: no credential may sit in it in plain text.
  return parseConfig(raw, stack, secretKeys, { name: `stacks/Pulumi.${stack}.yaml`, document: stackDocument(stack) });
}

/** An explicit test cluster, for stacks whose own cluster comes from the AWS layer. */
export const TEST_CLUSTER = { target: "existing", kubeconfig: "/dev/null", context: "test" } as const;
