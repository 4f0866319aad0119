import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { applyPatch, effectiveObjects, patchedObjects } from "../../lib/patches";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { unknownAt, withUnknown } from "./preview";

const resource = (type: string, urn: string, props: Record<string, unknown>) =>
  ({ type, urn, name: urn, props }) as unknown as PolicyResource;
const configMap = (urn: string, metadata: unknown, data: Record<string, string> = {}) =>
  resource(K8S.configMap, urn, metadata === undefined ? { data } : { metadata, data });

describe("lib/patches", () => {
  describe("applyPatch", () => {
    it("merges maps key by key; a patch's other values replace what was there", () => {
      assert.deepStrictEqual(applyPatch({ a: { x: 1, y: 2 }, b: [1] }, { a: { y: 3 }, b: [2] }), {
        a: { x: 1, y: 3 },
        b: [2],
      });
    });

    it("keeps what the patch leaves undefined, and takes the patch where either side is null", () => {
      assert.deepStrictEqual(applyPatch({ a: 1, b: 2 }, { a: undefined }), { a: 1, b: 2 });
      assert.deepStrictEqual(applyPatch({ a: 1 }, undefined), { a: 1 });
      assert.deepStrictEqual(applyPatch(null, { a: 1 }), { a: 1 });
      assert.strictEqual(applyPatch({ a: 1 }, null), null);
    });

    it("leaves out the SDK's __defaults bookkeeping", () => {
      assert.deepStrictEqual(applyPatch({ a: 1 }, { __defaults: ["a"], b: 2 }), { a: 1, b: 2 });
    });
  });

  describe("effectiveObjects", () => {
    it("keeps objects without a name apart, by their urn", () => {
      const gaps = new PreviewGaps();
      const objects = effectiveObjects(
        [configMap("u1", undefined), configMap("u2", {}), configMap("u3", { name: 7 })],
        [K8S.configMap],
        gaps,
      );
      assert.deepStrictEqual(
        objects.map((o) => o.urn),
        ["u1", "u2", "u3"],
      );
      gaps.settle();
    });

    it("keeps same-named objects of different namespaces apart unless told the type is cluster-wide", () => {
      const gaps = new PreviewGaps();
      const both = [configMap("u1", { name: "c", namespace: "a" }), configMap("u2", { name: "c", namespace: "b" })];
      assert.deepStrictEqual(
        patchedObjects(both, [K8S.configMap], gaps).map((o) => o.object.urn),
        ["u1", "u2"],
      );
      assert.deepStrictEqual(
        patchedObjects(both, [K8S.configMap], gaps, false).map((o) => o.object.urn),
        ["u2"],
      );
      gaps.settle();
    });

    it("applies a patch to the object of the same name, in the same namespace only", () => {
      const gaps = new PreviewGaps();
      const patch = resource(K8S.configMapPatch, "p1", {
        metadata: { name: "c", namespace: "coder" },
        data: { k: "2" },
      });
      const objects = effectiveObjects(
        [configMap("u1", { name: "c", namespace: "coder" }, { k: "1" }), configMap("u2", { name: "c" }), patch],
        [K8S.configMap],
        gaps,
      );
      assert.deepStrictEqual(
        objects.map((o) => [o.urn, o.props.data.k]),
        [
          ["u1", "2"],
          ["u2", undefined],
        ],
      );
    });

    it("drops an object whose patch is unknown during preview, and records the gap", () => {
      const gaps = new PreviewGaps();
      const unknown = unknownAt("data");
      const patch = resource(
        K8S.configMapPatch,
        "p1",
        withUnknown({ metadata: { name: "c", namespace: "coder" } }, "data", unknown),
      );
      const found = patchedObjects([configMap("u1", { name: "c", namespace: "coder" }), patch], [K8S.configMap], gaps);
      assert.deepStrictEqual(found, []);
      assert.throws(
        () => gaps.settle(),
        (e) => e === unknown,
      );
    });
  });
});
