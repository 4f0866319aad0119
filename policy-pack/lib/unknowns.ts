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

/** Reads a value as it is (null included), or `whenUnknown` while it is unknown during preview. */
export function readKnown<T, F>(read: () => T, whenUnknown: F): T | F {
  try {
    return read();
  } catch (e) {
    if (isUnknownValueError(e)) return whenUnknown;
    throw e;
  }
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

/** A check's finding: a reason it fails, or undefined when it holds; throws when a value is unknown. */
export type Check = () => string | undefined;

/**
 * All checks must hold. A known failure wins over an unknown value (the outcome is then known); otherwise
 * the first unknown is rethrown, so the caller can record the gap.
 */
export function firstFailure(checks: readonly Check[]): string | undefined {
  let pending: Error | undefined = undefined;
  for (const check of checks) {
    try {
      const reason = check();
      if (reason !== undefined) return reason;
    } catch (e) {
      if (!isUnknownValueError(e)) throw e;
      if (pending === undefined) pending = e;
    }
  }
  if (pending !== undefined) throw pending;
  return undefined;
}

/** A check run once: later calls return its reason, or rethrow its unknown value, without reading props again. */
export function once(check: Check): Check {
  let ran = false;
  let reason: string | undefined;
  let pending: Error | undefined = undefined;
  return () => {
    if (!ran) {
      ran = true;
      try {
        reason = check();
      } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        pending = e;
      }
    }
    if (pending !== undefined) throw pending;
    return reason;
  };
}

/**
 * Builds a function from values read once; when a read is unknown, the function throws that unknown on
 * every call instead, so each caller records the gap rather than the build aborting them all.
 */
export function compiled<A extends unknown[], R>(read: () => (...args: A) => R): (...args: A) => R {
  try {
    return read();
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
    return () => {
      throw e;
    };
  }
}

/** A (possibly proxied) list's known elements, and the first element unknown during preview. */
export interface ValueSet {
  known: Set<unknown>;
  pending: Error | undefined;
}

export function valueSet(list: unknown): ValueSet {
  const set: ValueSet = { known: new Set(), pending: undefined };
  if (!Array.isArray(list)) return set;
  for (let i = 0; i < list.length; i++) {
    try {
      set.known.add(list[i]);
    } catch (e) {
      if (!isUnknownValueError(e)) throw e;
      if (set.pending === undefined) set.pending = e;
    }
  }
  return set;
}

/** Membership: a known match wins; otherwise an unknown element makes the answer unknown (throws). */
export function member(set: ValueSet, value: string): boolean {
  if (set.known.has(value)) return true;
  if (set.pending !== undefined) throw set.pending;
  return false;
}

/** A list for messages; elements unknown during preview show as "(unknown)". */
export function listText(list: unknown): string {
  if (!Array.isArray(list)) return "[]";
  const shown: unknown[] = [];
  for (let i = 0; i < list.length; i++) shown.push(readOr<unknown>(() => list[i], "(unknown)"));
  return `[${shown.join(", ")}]`;
}
