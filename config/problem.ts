// One shape for every configuration problem: the setting it is about and what to do. Keys are written
// without the project prefix (`network.podCidrs[0]`); `configKey` adds it, so messages that name another
// setting spell it exactly as the operator types it.
export const CONFIG_NAMESPACE = "coder-blueprint";

export interface Problem {
  /** The setting, e.g. `tls.provided` or `gitProviders[1].regex`. */
  readonly key: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export type Rule<C> = (cfg: C) => Problem[];

export function problem(key: string, message: string): Problem {
  return { key, message };
}

/** A setting as the operator types it after `pulumi config set --path`. */
export function configKey(key: string): string {
  return `${CONFIG_NAMESPACE}:${key}`;
}

/** A path (`["gitProviders", 0, "regex"]`) in dotted form (`gitProviders[0].regex`). */
export function dottedKey(path: ReadonlyArray<PropertyKey>): string {
  const [top, ...rest] = path.map(String);
  let key = top ?? "";
  for (const part of rest) key += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  return key;
}

export function formatProblem(p: Problem): string {
  return `${configKey(p.key)}: ${p.message}`;
}
