import * as assert from "assert";
import { formatMinor, nodeSkewLimit, parseMinor } from "../policy-pack/contract";

describe("contract: Kubernetes versions", () => {
  it("parseMinor: reads majors and minors of any width, with or without a v, a patch or a build suffix", () => {
    for (const [text, major, minor] of [
      ["1.33", 1, 33],
      [" v1.33 ", 1, 33],
      [" 1.35\n", 1, 35],
      ["1.33.10", 1, 33],
      ["10.2", 10, 2],
      ["1.33.5-eks-abc123", 1, 33],
      ["1.33+build", 1, 33],
      ["v12.0.1+build", 12, 0],
    ] as const) {
      assert.deepStrictEqual(parseMinor(text), { major, minor }, JSON.stringify(text));
    }
  });

  it("parseMinor: reads nothing from text around a version, or short of one", () => {
    for (const text of ["1", "latest", "x1.33", "eks-1.35", "1.33x", "1.33.x", "1.33.5x", "v1.35 latest"]) {
      assert.strictEqual(parseMinor(text), undefined, text);
    }
  });

  it("formatMinor: writes a minor as EKS does", () => {
    assert.strictEqual(formatMinor({ major: 10, minor: 2 }), "10.2");
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
