import * as assert from "assert";
import { AWS, isPatch, K8S, kindOf } from "../../lib/types";

describe("lib/types isPatch", () => {
  it("is true only for a Kubernetes patch type", () => {
    assert.strictEqual(isPatch(K8S.namespacePatch), true);
    assert.strictEqual(isPatch(K8S.namespace), false);
    assert.strictEqual(isPatch("example:index:ConfigPatch"), false);
  });
});

describe("lib/types kindOf", () => {
  // The IAM types differ by a word, and a message must say which of them grants what.
  const iam: [string, string][] = [
    [AWS.iamRole, "IAM role"],
    [AWS.iamRolePolicy, "IAM role policy"],
    [AWS.iamPolicy, "IAM policy"],
    [AWS.iamRolePolicyAttachment, "IAM role policy attachment"],
    [AWS.iamPolicyAttachment, "IAM policy attachment"],
  ];
  for (const [type, name] of iam) {
    it(`names ${type} "${name}"`, () => {
      assert.strictEqual(kindOf(type), name);
    });
  }

  it("names a Kubernetes type by its kind", () => {
    assert.strictEqual(kindOf(K8S.namespacePatch), "NamespacePatch");
  });
});
