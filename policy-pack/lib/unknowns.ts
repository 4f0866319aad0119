// Values the engine cannot know during preview (an ARN, an output-derived name) reach a policy as
// sentinels inside a proxy that throws UnknownValueError when read. The server turns that throw into an
// advisory "can't run policy during preview" message, even for a mandatory policy. These helpers keep
// one unknown value from hiding known violations elsewhere in the same resource or stack.
import * as policyRuntime from "@pulumi/policy";

// 1.21 re-exports the class, but its declaration file omits the type (the class is @internal upstream).
export const UnknownValueError = (policyRuntime as unknown as { UnknownValueError: new (message: string) => Error })
  .UnknownValueError;

export function isUnknownValueError(e: unknown): e is Error {
  return e instanceof UnknownValueError;
}

/**
 * Judges items independently. Known violations are reported as they are found; the first unknown value
 * is rethrown once every item has been judged, so the server still says the policy could not finish.
 */
export class PreviewGaps {
  private pending: Error | undefined = undefined;

  judge(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!isUnknownValueError(e)) throw e;
      if (this.pending === undefined) this.pending = e;
    }
  }

  settle(): void {
    if (this.pending !== undefined) throw this.pending;
  }
}

/** Judges each element of a (possibly proxied) list by index, so one unknown element spares the rest. */
export function eachOf<T>(
  list: readonly T[] | undefined,
  fn: (item: T, index: number) => void,
  gaps: PreviewGaps,
): void {
  if (!list) return;
  const length = list.length;
  for (let i = 0; i < length; i++) gaps.judge(() => fn(list[i], i));
}

/** Reads a value only for display; an unknown value falls back rather than aborting the policy. */
export function readOr<T>(read: () => T | undefined, fallback: T): T {
  try {
    return read() ?? fallback;
  } catch (e) {
    if (isUnknownValueError(e)) return fallback;
    throw e;
  }
}
