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
