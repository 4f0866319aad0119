import * as assert from "assert";
import { formatMinor, nodeSkewLimit, parseMinor } from "../policy-pack/contract";

describe("contract: Kubernetes versions", () => {
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

  it("nodeSkewLimit: two minors before 1.28, three from 1.28 on and on any later major", () => {
    for (const [major, minor, limit] of [
      [1, 25, 2],
      [1, 27, 2],
      [1, 28, 3],
      [1, 36, 3],
      [2, 0, 3],
      [2, 27, 3],
    ]) {
      assert.strictEqual(nodeSkewLimit({ major, minor }), limit, `${major}.${minor}`);
    }
  });
});
