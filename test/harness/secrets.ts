// Under mocks the engine receives secret inputs wrapped in Pulumi's secret signature; these helpers let
// specs tell a secret from a plain value, as the engine and the state file do.
import * as rpc from "@pulumi/pulumi/runtime/rpc";

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
