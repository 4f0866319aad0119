// The admission policies' builder: what each ValidatingAdmissionPolicy matches and what its binding selects;
// and the component that registers each policy with its binding once the namespaces exist.
import "./harness/mocks";
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AdmissionPolicy, admissionPolicies, AdmissionRules, WorkspaceAdmission } from "../components/admission";
import { publishedBy } from "./harness/component-outputs";
import { capture, optionsRecorder } from "./harness/mocks";

const RULES: AdmissionRules = {
  approvedRegistries: ["registry.example.com/coder/"],
  allowedCapabilities: [],
  allowedSecrets: [],
  maxVolumeSize: "50Gi",
  actions: ["Deny"],
};

describe("components/admission: admissionPolicies", () => {
  // Built in a hook rather than while the file loads, so mutation runs credit it to these tests.
  let byName: Record<string, AdmissionPolicy>;
  before(() => {
    byName = Object.fromEntries(admissionPolicies(RULES, ["coder-ws"]).map((p) => [p.name, p]));
  });

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

describe("components/admission: WorkspaceAdmission", () => {
  it("registers each policy and its binding as built, the binding after the policy and the namespaces", async () => {
    const options = optionsRecorder();
    const names: string[][] = [];
    let namespace: k8s.core.v1.Namespace | undefined;
    const resources = await capture(() => {
      namespace = new k8s.core.v1.Namespace("ws", { metadata: { name: "coder-ws" } });
      const admission = new WorkspaceAdmission(
        "admission",
        { ...RULES, workspaces: [{ name: "coder-ws", ref: "coder-ws" }], namespaceResources: [namespace] },
        { transformations: options.transformations },
      );
      return pulumi.all(admission.policyNames).apply((n) => names.push(n));
    });
    const built = admissionPolicies(RULES, ["coder-ws"]);
    assert.deepStrictEqual(names, [built.map((p) => p.name)]);
    assert.deepStrictEqual(await publishedBy("coder-blueprint:admission:WorkspaceAdmission"), ["policyNames"]);
    const byName = new Map(resources.map((r) => [r.name, r]));
    for (const { name, policy, binding } of built) {
      const part = name.slice("coder-workspace-".length);
      assert.deepStrictEqual(byName.get(`admission-${part}`)?.inputs.metadata, { name });
      assert.deepStrictEqual(byName.get(`admission-${part}`)?.inputs.spec, policy);
      assert.deepStrictEqual(byName.get(`admission-${part}-binding`)?.inputs.metadata, { name });
      assert.deepStrictEqual(byName.get(`admission-${part}-binding`)?.inputs.spec, binding);
      const dependsOn = [
        options.of(
          "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
          `admission-${part}-binding`,
        )?.dependsOn,
      ].flat();
      assert.strictEqual(dependsOn.length, 2, name);
      assert.ok(dependsOn.includes(namespace), `${name}: the binding does not wait for the namespace`);
    }
  });
});
