import * as assert from "assert";
import { isPatch, K8S } from "../../lib/types";

describe("lib/types isPatch", () => {
  it("is true only for a Kubernetes patch type", () => {
    assert.strictEqual(isPatch(K8S.namespacePatch), true);
    assert.strictEqual(isPatch(K8S.namespace), false);
    assert.strictEqual(isPatch("example:index:ConfigPatch"), false);
  });
});
