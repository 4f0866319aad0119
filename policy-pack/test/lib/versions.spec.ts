import * as assert from "assert";
import { formatMinor, parseMinor } from "../../lib/versions";

describe("lib/versions", () => {
  it("parseMinor: reads the minor of the forms EKS and Kubernetes write", () => {
    for (const [text, minor] of [
      ["1.33", "1.33"],
      [" v1.33 ", "1.33"],
      ["1.33.10", "1.33"],
      ["10.2", "10.2"],
      ["1.33.5-eks-abc123", "1.33"],
      ["1.33+build", "1.33"],
    ]) {
      const parsed = parseMinor(text);
      assert.strictEqual(parsed && formatMinor(parsed), minor, text);
    }
  });

  it("parseMinor: rejects text that is not a whole version", () => {
    for (const text of ["1", "latest", "x1.33", "1.33x", "1.33.x", "1.33.5x"]) {
      assert.strictEqual(parseMinor(text), undefined, text);
    }
  });
});
