// The one table of settings that hold credentials. It drives the missing-secret message, the check that
// each holder's key is encrypted, the scan of the stack file for plain-text leaves, and the tests'
// stand-in values, so a new credential is declared here once.
import { ParsedBlueprintConfig } from "./schema";
import { configKey, dottedKey, Problem, problem } from "./problem";

interface SecretField {
  /** Dotted path from the top-level key; `[]` stands for every element of a list. */
  readonly path: string;
  /** When the object holding the field carries it at all (for variants); by default whenever it exists. */
  readonly when?: (holder: Record<string, unknown>) => boolean;
  /** Why the field may be absent, for the README: the condition under which it must be set. */
  readonly needed: string;
}

export const SECRET_FIELDS = [
  { path: "database.connectionUrl", needed: "while Coder is enabled on an existing cluster" },
  { path: "oidc.clientSecret", needed: "when oidc is configured" },
  { path: "gitProviders[].clientSecret", needed: "one per Git provider" },
  { path: "externalTokenEncryption.keys", needed: "when externalTokenEncryption is configured" },
  {
    path: "registry.pull.dockerConfigJson",
    when: (pull: Record<string, unknown>) => pull.mode === "docker-config",
    needed: "pull mode docker-config",
  },
  { path: "tls.provided.privateKey", needed: "tls mode provided" },
  { path: "tls.ca.privateKey", needed: "private-ca with your own CA" },
] as const satisfies ReadonlyArray<SecretField>;

export type SecretPath = (typeof SECRET_FIELDS)[number]["path"];

/** A path's parts; a list contributes its name and then `[]`. */
function segments(path: string): string[] {
  return path.split(".").flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), "[]"] : [part]));
}

/** Whether a concrete path (`["gitProviders", 2, "clientSecret"]`) is one of the secret fields. */
export function isSecretPath(path: ReadonlyArray<PropertyKey>): boolean {
  return SECRET_FIELDS.some(({ path: field }) => {
    const parts = segments(field);
    return (
      parts.length === path.length &&
      parts.every((part, i) => (part === "[]" ? typeof path[i] === "number" : part === String(path[i])))
    );
  });
}

export interface SecretSlot {
  readonly field: SecretField;
  /** The concrete path, list indexes filled in. */
  readonly path: Array<string | number>;
  /** The object that holds the field; writing `holder[name]` sets it. */
  readonly holder: Record<string, unknown>;
  readonly name: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Every place in a config (raw or parsed) where a secret field belongs: its holder exists and carries
 * the field, whether or not the value is set yet.
 */
export function secretSlots(config: Record<string, unknown>): SecretSlot[] {
  const slots: SecretSlot[] = [];
  for (const field of SECRET_FIELDS as ReadonlyArray<SecretField>) {
    const parts = segments(field.path);
    const name = parts[parts.length - 1];
    let holders: Array<{ node: unknown; path: Array<string | number> }> = [{ node: config, path: [] }];
    for (const part of parts.slice(0, -1)) {
      holders = holders.flatMap(({ node, path }) => {
        if (part === "[]")
          return Array.isArray(node) ? node.map((item, i) => ({ node: item as unknown, path: [...path, i] })) : [];
        // An absent holder goes no further: the next step finds no object or list in it.
        return isObject(node) ? [{ node: node[part], path: [...path, part] }] : [];
      });
    }
    for (const { node, path } of holders) {
      if (isObject(node) && (field.when?.(node) ?? true))
        slots.push({ field, path: [...path, name], holder: node, name });
    }
  }
  return slots;
}

/**
 * Each credential's top-level key must be marked secret by the engine; one problem per table entry, so a
 * list of Git providers in plain text is reported once.
 */
export function unencryptedSecretKeys(cfg: ParsedBlueprintConfig, secretKeys: ReadonlySet<string>): Problem[] {
  const reported = new Set<string>();
  const problems: Problem[] = [];
  for (const { field, path } of secretSlots(cfg)) {
    if (secretKeys.has(configKey(String(path[0]))) || reported.has(field.path)) continue;
    reported.add(field.path);
    problems.push(
      problem(
        field.path.replace("[]", "[n]"),
        "stored in plain text in the stack file; encrypt it with: pulumi config set --secret --path " +
          `'${configKey(field.path.replace("[]", "[0]"))}' <value>`,
      ),
    );
  }
  return problems;
}

/**
 * Pulumi marks a whole top-level key secret when any value inside it is, so one encrypted client secret
 * would hide a second one committed in plain text. The stack file itself says which leaves are encrypted
 * (`{secure: ...}`); every credential present in config must be one of them.
 */
export function plaintextSecretsInStackFile(
  cfg: ParsedBlueprintConfig,
  stackFile: { name: string; document: unknown },
): Problem[] {
  const config = (stackFile.document as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  const leaf = ([top, ...path]: Array<string | number>): unknown =>
    path.reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined),
      config[configKey(String(top))],
    );
  return secretSlots(cfg)
    .filter(({ path }) => typeof leaf(path) === "string")
    .map(({ path }) => {
      const key = dottedKey(path);
      return problem(
        key,
        `stored in plain text in ${stackFile.name}; encrypt it with: pulumi config set --secret --path ` +
          `'${configKey(key)}' <value>`,
      );
    });
}
