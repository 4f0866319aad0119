import * as assert from "assert";
import { ResourceValidationArgs } from "@pulumi/policy";
import { asList, forTypes, subject } from "../../lib/policy";
import { K8S } from "../../lib/types";

describe("lib/policy", () => {
  it("asList: one value or a list as a list; absent or null is empty", () => {
    assert.deepStrictEqual(asList("a"), ["a"]);
    assert.deepStrictEqual(asList(["a", "b"]), ["a", "b"]);
    assert.deepStrictEqual(asList(undefined), []);
    assert.deepStrictEqual(asList(null), []);
  });

  it("forTypes: names every accepted type when it turns a resource away", () => {
    const validation = forTypes([K8S.configMap, K8S.networkPolicy], () => assert.fail("checked a ConfigMapPatch"));
    const args = {
      type: K8S.configMapPatch,
      props: {},
      notApplicable: (reason: string) => {
        throw new Error(reason);
      },
    } as unknown as ResourceValidationArgs;
    assert.throws(
      () => validation(args, () => undefined),
      new Error(`Policy only applies to resources of type ${K8S.configMap}, ${K8S.networkPolicy}`),
    );
  });

  it("forTypes: lets the analyzer skip other types up front only when there is one type to keep", () => {
    // The SDK's analyzer server reads __pulumiType and hands the validation only resources of that type.
    const marker = (types: string[]) => (forTypes(types, () => undefined) as { __pulumiType?: string }).__pulumiType;
    assert.strictEqual(marker([K8S.configMap]), K8S.configMap);
    assert.strictEqual(marker([K8S.configMap, K8S.networkPolicy]), undefined);
  });

  it("subject: a Kubernetes object's namespace shows only when it is a non-empty string", () => {
    const named = (namespace: unknown) => subject(K8S.configMap, { metadata: { name: "settings", namespace } }, "x");
    assert.strictEqual(named("coder"), 'ConfigMap "coder/settings"');
    for (const namespace of ["", undefined, 7]) {
      assert.strictEqual(named(namespace), 'ConfigMap "settings"', String(namespace));
    }
  });
});
