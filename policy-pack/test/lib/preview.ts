// Values unknown during preview, as the SDK's proxy reports them when a policy reads one.
import { unknown } from "../harness/analyzer";
import { UnknownValueError } from "../../lib/unknowns";

/** The error the SDK throws when a policy reads an unknown value at `path`. */
export function unknownAt(path: string): Error {
  const Unknown = UnknownValueError as unknown as new (sentinel: string, props: string[]) => Error;
  return new Unknown(unknown.string, path.split("."));
}

/** `target` with `key` unknown: reading it throws as the SDK's proxy does. */
export function withUnknown<T extends object>(target: T, key: PropertyKey, error = unknownAt(String(key))): T {
  return Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      throw error;
    },
  });
}
