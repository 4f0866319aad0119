import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { MAX_PORT } from "../../contract";
import { deniedDirections, policyTypesOf, ruleIntervals, selectsEverything } from "../../lib/network-policies";

const policy = (spec: Record<string, unknown>) => ({ props: { spec } }) as unknown as PolicyResource;

describe("lib/network-policies", () => {
  describe("selectsEverything", () => {
    it("is true for an empty selector and one whose requirements only exclude", () => {
      assert.ok(selectsEverything({}));
      assert.ok(selectsEverything({ matchLabels: {}, matchExpressions: [] }));
      assert.ok(selectsEverything({ matchExpressions: [{ key: "team", operator: "DoesNotExist" }] }));
      assert.ok(selectsEverything({ matchExpressions: [{ key: "team", operator: "NotIn", values: ["a"] }] }));
    });

    it("is false without a selector, or with a label or a requirement that includes", () => {
      assert.ok(!selectsEverything(undefined));
      assert.ok(!selectsEverything({ matchLabels: { team: "a" } }));
      assert.ok(!selectsEverything({ matchExpressions: [{ key: "team", operator: "Exists" }] }));
      assert.ok(
        !selectsEverything({
          matchExpressions: [
            { key: "team", operator: "DoesNotExist" },
            { key: "env", operator: "In", values: ["prod"] },
          ],
        }),
      );
    });
  });

  describe("policyTypesOf", () => {
    it("keeps the listed directions, ignoring anything else listed", () => {
      assert.deepStrictEqual(policyTypesOf({ policyTypes: ["Egress"], egress: [] }), ["Egress"]);
      assert.deepStrictEqual(policyTypesOf({ policyTypes: ["Ingress", "Sideways"] }), ["Ingress"]);
    });

    it("defaults as the API server does: Ingress, plus Egress when there is an egress rule", () => {
      assert.deepStrictEqual(policyTypesOf({}), ["Ingress"]);
      assert.deepStrictEqual(policyTypesOf({ egress: [] }), ["Ingress"]);
      assert.deepStrictEqual(policyTypesOf({ egress: [{}] }), ["Ingress", "Egress"]);
      assert.deepStrictEqual(policyTypesOf({ policyTypes: [], egress: [{}] }), ["Ingress", "Egress"]);
    });
  });

  describe("deniedDirections", () => {
    it("denies the listed directions without rules for every pod", () => {
      assert.deepStrictEqual(deniedDirections(policy({ podSelector: {}, policyTypes: ["Ingress", "Egress"] })), [
        "Ingress",
        "Egress",
      ]);
    });

    it("denies nothing namespace-wide when the pod selector has a label or an expression", () => {
      const types = { policyTypes: ["Ingress"] };
      assert.deepStrictEqual(deniedDirections(policy({ ...types, podSelector: { matchLabels: { app: "x" } } })), []);
      const expression = { matchExpressions: [{ key: "app", operator: "Exists" }] };
      assert.deepStrictEqual(deniedDirections(policy({ ...types, podSelector: expression })), []);
    });
  });

  describe("ruleIntervals", () => {
    const all = (protocol: string) => ({ protocol, low: 1, high: MAX_PORT });

    it("opens every port of the entry's protocol when the entry has no port", () => {
      assert.deepStrictEqual(ruleIntervals({ ports: [{ protocol: "UDP" }] }), [all("UDP")]);
      assert.deepStrictEqual(ruleIntervals({ ports: [{ port: null }] }), [all("TCP")]);
    });

    it("reads numeric ports given as numbers or digit strings, with an end port above the port", () => {
      assert.deepStrictEqual(ruleIntervals({ ports: [{ port: 443 }, { protocol: "UDP", port: "5353" }] }), [
        { protocol: "TCP", low: 443, high: 443 },
        { protocol: "UDP", low: 5353, high: 5353 },
      ]);
      assert.deepStrictEqual(ruleIntervals({ ports: [{ port: 8000, endPort: 8080 }] }), [
        { protocol: "TCP", low: 8000, high: 8080 },
      ]);
    });

    it("ignores an end port that is not a number or not above the port", () => {
      for (const endPort of [80, "9000"]) {
        assert.deepStrictEqual(ruleIntervals({ ports: [{ port: 8080, endPort }] }), [
          { protocol: "TCP", low: 8080, high: 8080 },
        ]);
      }
    });

    it("leaves out named ports, which open nothing toward an address range", () => {
      for (const port of ["https", "web8080", "80http"]) {
        assert.deepStrictEqual(ruleIntervals({ ports: [{ port }] }), [], port);
      }
    });
  });
});
