// Kubernetes version arithmetic (components/aws/cluster/channels.ts) on the strings EKS and users write,
// including majors of more than one digit, and the errors that name the text they refuse. Reading a version
// is the contract's (test/contract-versions.spec.ts).
import * as assert from "assert";
import { minorOf, minorsBetween, nextMinor } from "../components/aws/cluster/channels";

describe("aws cluster: Kubernetes version arithmetic", () => {
  it("works on majors and minors of any width, with or without a v, a patch or a build suffix", () => {
    assert.strictEqual(minorOf("v1.35.2-eks-1234"), "1.35");
    assert.strictEqual(minorOf("10.2.3"), "10.2");
    assert.strictEqual(nextMinor("10.9"), "10.10");
    assert.strictEqual(minorsBetween("10.1", "10.4"), 3);
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
