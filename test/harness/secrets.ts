// Under mocks the engine receives secret inputs wrapped in Pulumi's secret signature; these helpers let
// specs tell a secret from a plain value, as the engine and the state file do. The stack files carry no
// secrets (operators set them with `pulumi config set --secret`), so specs fill them with stand-ins.
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { configKey } from "../../config/problem";
import { secretSlots, SecretPath } from "../../config/secrets";

export function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as any)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** The value inside a secret wrapper (or the value itself when it is plain). */
export function reveal<T = any>(value: unknown): T {
  return (isSecret(value) ? (value as any).value : value) as T;
}

/** Every plain (non-secret) string anywhere in a value, with its path. */
export function plainStrings(value: unknown, path = "$"): Array<{ path: string; text: string }> {
  if (isSecret(value)) return [];
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([k, v]) => plainStrings(v, `${path}.${k}`));
  return [];
}

/** Secret stand-ins; tests grep rendered state and outputs for these to prove they never leak. */
export const TEST_SECRET_PREFIX = "s3cr3t-test-value";

const pemKey = (label: string) =>
  `-----BEGIN PRIVATE KEY-----\n${TEST_SECRET_PREFIX}-${label}\n-----END PRIVATE KEY-----`;

/**
 * A recognisable value for every field of the secret table (config/secrets.ts), given the object that
 * holds it. Keyed by the table's paths, so a new secret field does not compile until it has a stand-in.
 */
export const SECRET_STAND_INS: Record<SecretPath, (holder: Record<string, any>) => string> = {
  "database.connectionUrl": (db) =>
    `postgres://coder:${TEST_SECRET_PREFIX}-pg@db.internal:5432/coder?sslmode=${db.sslMode ?? "verify-full"}`,
  "oidc.clientSecret": () => `${TEST_SECRET_PREFIX}-oidc`,
  "gitProviders[].clientSecret": (provider) => `${TEST_SECRET_PREFIX}-git-${provider.id}`,
  // Coder's format: 32 bytes in base64, so the marker is inside the encoding.
  "externalTokenEncryption.keys": () =>
    Buffer.from(`${TEST_SECRET_PREFIX}-token-key`.padEnd(32, "0")).toString("base64"),
  "registry.pull.dockerConfigJson": () =>
    JSON.stringify({ auths: { "registry.example.com": { auth: `${TEST_SECRET_PREFIX}-registry` } } }),
  "tls.provided.privateKey": () => pemKey("tls-key"),
  "tls.ca.privateKey": () => pemKey("ca-key"),
};

/**
 * Sets every secret field the operator would set (leaving values a spec supplied), and returns the
 * config keys that are now secret, as the engine marks them after `config set --secret`.
 */
export function withTestSecrets(raw: Record<string, any>): { raw: Record<string, any>; secretKeys: Set<string> } {
  const out = structuredClone(raw);
  const secretKeys = new Set<string>();
  for (const { field, path, holder, name } of secretSlots(out)) {
    holder[name] ??= SECRET_STAND_INS[field.path as SecretPath](holder);
    secretKeys.add(configKey(String(path[0])));
  }
  return { raw: out, secretKeys };
}
