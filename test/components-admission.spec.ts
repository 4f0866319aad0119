// The admission policies' builder: what each ValidatingAdmissionPolicy matches and what its binding selects.
import * as assert from "assert";
import { admissionPolicies, AdmissionRules } from "../components/admission";

const RULES: AdmissionRules = {
  approvedRegistries: ["registry.example.com/coder/"],
  allowedCapabilities: [],
  allowedSecrets: [],
  maxVolumeSize: "50Gi",
  actions: ["Deny"],
};

describe("components/admission: admissionPolicies", () => {
  const byName = Object.fromEntries(admissionPolicies(RULES, ["coder-ws"]).map((p) => [p.name, p]));

  it("matches each policy to the kinds it judges, written and updated", () => {
    assert.deepStrictEqual(byName["coder-workspace-volume-size"].policy.matchConstraints, {
      resourceRules: [
        {
          apiGroups: [""],
          apiVersions: ["v1"],
          operations: ["CREATE", "UPDATE"],
          resources: ["persistentvolumeclaims"],
        },
      ],
    });
    assert.deepStrictEqual(byName["coder-workspace-ephemeral-storage"].policy.matchConstraints, {
      resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
    });
    const podRules = (byName["coder-workspace-pods"].policy.matchConstraints as any).resourceRules as any[];
    const pods = podRules.find((r) => r.resources.includes("pods"));
    assert.ok(pods, "the pods policy matches no pods");
    assert.deepStrictEqual([...pods.operations].sort(), ["CREATE", "UPDATE"]);
    assert.ok(
      podRules.some((r) => r.apiGroups.includes("apps") && r.resources.includes("deployments")),
      "the pods policy misses Deployments' pod templates",
    );
  });

  it("fails closed and binds every policy to the workspace namespaces only, with the configured actions", () => {
    assert.deepStrictEqual(Object.keys(byName).sort(), [
      "coder-workspace-ephemeral-storage",
      "coder-workspace-pods",
      "coder-workspace-volume-size",
    ]);
    for (const [name, { policy, binding }] of Object.entries(byName)) {
      assert.strictEqual(policy.failurePolicy, "Fail");
      assert.deepStrictEqual(binding, {
        policyName: name,
        validationActions: ["Deny"],
        matchResources: {
          namespaceSelector: {
            matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["coder-ws"] }],
          },
        },
      });
    }
  });
});
