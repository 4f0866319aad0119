// Kubernetes version arithmetic (components/aws/cluster/channels.ts) on the strings EKS and users write,
// including majors of more than one digit, and the errors that name the text they refuse.
import * as assert from "assert";
import { minorOf, minorsBetween, nextMinor } from "../components/aws/cluster/channels";
import { parseMinor } from "../policy-pack/contract";

describe("aws cluster: Kubernetes version arithmetic", () => {
  it("reads majors and minors of any width, with or without a v, a patch or a build suffix", () => {
    assert.deepStrictEqual(parseMinor("1.35"), { major: 1, minor: 35 });
    assert.deepStrictEqual(parseMinor("v1.35.2-eks-1234"), { major: 1, minor: 35 });
    assert.deepStrictEqual(parseMinor("10.2"), { major: 10, minor: 2 });
    assert.deepStrictEqual(parseMinor("v12.0.1+build"), { major: 12, minor: 0 });
    assert.deepStrictEqual(parseMinor("1.35.10"), { major: 1, minor: 35 });
    assert.deepStrictEqual(parseMinor(" 1.35\n"), { major: 1, minor: 35 });
    assert.strictEqual(minorOf("10.2.3"), "10.2");
    assert.strictEqual(nextMinor("10.9"), "10.10");
    assert.strictEqual(minorsBetween("10.1", "10.4"), 3);
  });

  it("reads nothing from text around a version", () => {
    for (const text of ["eks-1.35", "x1.35", "1.35x", "1.35.2x", "v1.35 latest"]) {
      assert.strictEqual(parseMinor(text), undefined, text);
    }
  });

  it("refuses text that is not a version, naming both sides of a comparison", () => {
    assert.throws(
      () => minorsBetween("1.35", "latest"),
      (e: Error) => e.message === 'cannot compare Kubernetes versions "1.35" and "latest"',
    );
    assert.throws(
      () => minorsBetween("one", "1.35"),
      (e: Error) => e.message === 'cannot compare Kubernetes versions "one" and "1.35"',
    );
    assert.throws(
      () => nextMinor("stable"),
      (e: Error) => e.message === '"stable" is not a Kubernetes version (expected e.g. "1.35")',
    );
  });

  it("refuses to count minors across majors, two-digit ones included", () => {
    assert.throws(
      () => minorsBetween("1.35", "2.0"),
      (e: Error) => e.message === "cannot compare Kubernetes versions across majors: 1.35, 2.0",
    );
    assert.throws(
      () => minorsBetween("1.35", "10.1"),
      (e: Error) => e.message === "cannot compare Kubernetes versions across majors: 1.35, 10.1",
    );
  });
});
