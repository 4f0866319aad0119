// Coder's boolean options, read the way coderd reads them: serpent's Bool is Go's strconv.ParseBool, which
// takes 1, t, T, TRUE, true, True and 0, f, F, FALSE, false, False, and fails start-up on anything else.
// So "TRUE" and "1" turn a switch on exactly as "true" does, and a policy must read them alike.

const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** true or false as coderd reads the value; undefined for anything coderd would refuse (or a non-string). */
export function parseCoderBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return undefined;
}

/** A boolean Coder option as a release sets it. */
export type SwitchState =
  | { kind: "unset" }
  | { kind: "set"; on: boolean; shown: string }
  /** Present, but not a value coderd would start with. */
  | { kind: "invalid"; shown: string }
  /** Read from a Secret, ConfigMap or pod field: what coderd gets cannot be seen at preview. */
  | { kind: "unverifiable" };

/**
 * The state of one boolean variable in coderd's environment (from lib/coder envOf). Reading the literal
 * throws the engine's error when it is unknown during preview, so callers judge it inside gaps.judge.
 */
export function switchState(
  env: ReadonlyMap<string, { hasValue: boolean; entry: { value?: unknown } }>,
  name: string,
): SwitchState {
  const entry = env.get(name);
  if (!entry) return { kind: "unset" };
  if (!entry.hasValue) return { kind: "unverifiable" };
  const value = entry.entry.value;
  const on = parseCoderBool(value);
  return on === undefined
    ? { kind: "invalid", shown: JSON.stringify(value) }
    : { kind: "set", on, shown: JSON.stringify(value) };
}
