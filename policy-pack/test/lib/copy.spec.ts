import * as assert from "assert";
import { updateIn } from "../../lib/copy";

describe("lib/copy updateIn", () => {
  it("copies the objects along the path and shares the rest", () => {
    const shared = { keep: true };
    const root = { spec: { template: { a: 1 }, other: shared } };
    const out = updateIn(root, ["spec", "template"], (t) => ({ ...t, b: 2 }));
    assert.deepStrictEqual(out, { spec: { template: { a: 1, b: 2 }, other: { keep: true } } });
    assert.strictEqual(out.spec.other, shared);
    assert.deepStrictEqual(root.spec.template, { a: 1 });
  });

  it("starts from an empty object where the path holds something that is not an object", () => {
    for (const value of ["text", 7, true, undefined]) {
      assert.deepStrictEqual(
        updateIn({ spec: value }, ["spec"], (t) => ({ ...t, set: 1 })),
        { spec: { set: 1 } },
      );
    }
  });
});
