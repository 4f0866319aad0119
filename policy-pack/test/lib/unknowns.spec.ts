import * as assert from "assert";
import { compiled, firstFailure, listText, member, once, readKnown, readOr, valueSet } from "../../lib/unknowns";
import { unknownAt, withUnknown } from "./preview";

const is = (expected: unknown) => (e: unknown) => e === expected;
/** ["a", <unknown>, "b", <unknown>], the unknowns being `first` and `second`. */
const listWithUnknowns = (first: Error, second: Error) =>
  withUnknown(withUnknown(["a", 0, "b", 0], 1, first), 3, second);

describe("lib/unknowns", () => {
  it("readOr: falls back on an unknown value, and lets any other error through", () => {
    assert.strictEqual(
      readOr(() => {
        throw unknownAt("metadata.name");
      }, "fallback"),
      "fallback",
    );
    const bug = new TypeError("bug");
    assert.throws(
      () =>
        readOr(() => {
          throw bug;
        }, "fallback"),
      is(bug),
    );
  });

  it("readKnown: keeps null and undefined as read, falls back only on an unknown value, lets any other error through", () => {
    assert.strictEqual(
      readKnown(() => null, "fallback"),
      null,
    );
    assert.strictEqual(
      readKnown(() => undefined, "fallback"),
      undefined,
    );
    assert.strictEqual(
      readKnown(() => {
        throw unknownAt("kubeconfig");
      }, "fallback"),
      "fallback",
    );
    const bug = new TypeError("bug");
    assert.throws(
      () =>
        readKnown(() => {
          throw bug;
        }, "fallback"),
      is(bug),
    );
  });

  it("firstFailure: with no known failure, rethrows the first unknown", () => {
    const first = unknownAt("a");
    const second = unknownAt("b");
    const unknownCheck = (e: Error) => () => {
      throw e;
    };
    assert.throws(() => firstFailure([unknownCheck(first), unknownCheck(second)]), is(first));
    assert.strictEqual(firstFailure([unknownCheck(first), () => "known failure"]), "known failure");
  });

  it("once: runs the check once, and repeats its unknown on every call", () => {
    let runs = 0;
    const counted = once(() => {
      runs++;
      return "reason";
    });
    assert.deepStrictEqual([counted(), counted()], ["reason", "reason"]);
    assert.strictEqual(runs, 1);
    const gap = unknownAt("spec");
    let unknownRuns = 0;
    const unknown = once(() => {
      unknownRuns++;
      throw gap;
    });
    assert.throws(unknown, is(gap));
    assert.throws(unknown, is(gap));
    assert.strictEqual(unknownRuns, 1);
  });

  it("compiled: an unknown read defers to every call; any other error is thrown at once", () => {
    const gap = unknownAt("spec");
    const deferred = compiled((): (() => string) => {
      throw gap;
    });
    assert.throws(deferred, is(gap));
    assert.throws(deferred, is(gap));
    const bug = new TypeError("bug");
    assert.throws(
      () =>
        compiled((): (() => string) => {
          throw bug;
        }),
      is(bug),
    );
  });

  it("valueSet and member: known elements match; otherwise the first unknown element makes the answer unknown", () => {
    assert.deepStrictEqual(valueSet(["a", "b"]), { known: new Set(["a", "b"]), pending: undefined });
    const first = unknownAt("values.1");
    const set = valueSet(listWithUnknowns(first, unknownAt("values.3")));
    assert.deepStrictEqual(set.known, new Set(["a", "b"]));
    assert.ok(member(set, "b"));
    assert.throws(() => member(set, "c"), is(first));
    const bug = new TypeError("bug");
    assert.throws(() => valueSet(withUnknown(["a", 0], 1, bug)), is(bug));
  });

  it("listText: shows unknown elements as (unknown), and a non-list as []", () => {
    assert.strictEqual(listText(listWithUnknowns(unknownAt("a"), unknownAt("b"))), "[a, (unknown), b, (unknown)]");
    assert.strictEqual(listText(undefined), "[]");
  });
});
