import * as assert from "assert";
import { approvedImagePattern, ROLE_LABEL, ROLE_WORKSPACES, workspaceAdmissionRules } from "../contract";
import { K8S } from "../lib/types";
import { missingWorkspaceAdmission } from "../policies/kubernetes/missing-workspace-admission";
import { mandatory, ResourceUnderTest, runStackPolicy, unknown } from "./harness/analyzer";
import { defaultSettings } from "./harness/policy-config";
import { expectSettingsRefused, expectStackPass, expectStackPreviewGap, expectStackViolation, show } from "./expect";
import {
  ADMISSION_SETTINGS,
  admissionBinding,
  compliantKubernetesStack,
  compliantNamespace,
  CONTROL_PLANE_NS,
  WORKSPACE_NS,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Namespace "coder-workspaces"';
const PODS = "coder-workspace-pods";
const STORAGE = "coder-workspace-ephemeral-storage";
const VOLUMES = "coder-workspace-volume-size";
const NAME_LABEL = "kubernetes.io/metadata.name";

const isPolicy = (name: string) => (r: ResourceUnderTest) =>
  r.type === K8S.validatingAdmissionPolicy && r.props.metadata.name === name;
const isBinding = (name: string) => (r: ResourceUnderTest) =>
  r.type === K8S.validatingAdmissionPolicyBinding && r.props.metadata.name === name;

/** The compliant stack with one object changed. */
function withStack(which: (r: ResourceUnderTest) => boolean, change: (props: any) => void): ResourceUnderTest[] {
  return compliantKubernetesStack().map((r) => (which(r) ? mutate(r, change) : r));
}
const withBinding = (name: string, change: (props: any) => void) => withStack(isBinding(name), change);
const withSelector = (name: string, namespaceSelector: unknown) =>
  withBinding(name, (p) => (p.spec.matchResources.namespaceSelector = namespaceSelector));
const ALLOW_NON_BLOCKING = { config: { "missing-workspace-admission": { allowNonBlockingActions: true } } };

describe("missing-workspace-admission", () => {
  it("passes a workspace namespace covered by all three policies, failing closed and bound with Deny by name", async () => {
    await expectStackPass(missingWorkspaceAdmission, compliantKubernetesStack());
  });

  it("accepts an unset failurePolicy (the API default is Fail) and Deny alongside Audit", async () => {
    await expectStackPass(
      missingWorkspaceAdmission,
      withStack(isPolicy(PODS), (p) => delete p.spec.failurePolicy),
    );
    await expectStackPass(
      missingWorkspaceAdmission,
      withBinding(PODS, (p) => (p.spec.validationActions = ["Deny", "Audit"])),
    );
  });

  it("accepts a binding that selects by the role label, or every namespace", async () => {
    await expectStackPass(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchLabels: { [ROLE_LABEL]: ROLE_WORKSPACES } }),
    );
    await expectStackPass(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchExpressions: [{ key: ROLE_LABEL, operator: "In", values: [ROLE_WORKSPACES] }] }),
    );
    await expectStackPass(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchLabels: { [NAME_LABEL]: WORKSPACE_NS, [ROLE_LABEL]: ROLE_WORKSPACES } }),
    );
    await expectStackPass(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchExpressions: [{ key: NAME_LABEL, operator: "NotIn", values: ["kube-system"] }] }),
    );
    await expectStackPass(missingWorkspaceAdmission, withSelector(PODS, {}));
    await expectStackPass(
      missingWorkspaceAdmission,
      withBinding(PODS, (p) => delete p.spec.matchResources),
    );
  });

  it("ignores a stack without workspace namespaces", async () => {
    const stack = compliantKubernetesStack().filter(
      (r) => !(r.type === K8S.validatingAdmissionPolicy || r.type === K8S.validatingAdmissionPolicyBinding),
    );
    await expectStackPass(
      missingWorkspaceAdmission,
      stack.filter((r) => r.type !== K8S.namespace || r.props.metadata.name === CONTROL_PLANE_NS),
    );
  });

  for (const name of [PODS, STORAGE, VOLUMES]) {
    it(`fails a workspace namespace without the ${name} policy`, async () => {
      const stack = compliantKubernetesStack().filter((r) => !isPolicy(name)(r));
      await expectStackViolation(
        missingWorkspaceAdmission,
        stack,
        WHO,
        new RegExp(
          `workspace namespace is not guarded by ValidatingAdmissionPolicy "${name}" \\(.+\\), so what coderd creates there at run time is admitted unchecked: ` +
            `there is no ValidatingAdmissionPolicy "${name}" in the stack; create the policy with failurePolicy Fail and bind it with a ValidatingAdmissionPolicyBinding \\{policyName: "${name}", validationActions: \\[Deny\\]`,
        ),
      );
    });
  }

  it("fails a policy without a binding, naming the binding to add", async () => {
    const stack = compliantKubernetesStack().filter((r) => !isBinding(STORAGE)(r));
    const v = await expectStackViolation(
      missingWorkspaceAdmission,
      stack,
      WHO,
      /not guarded by ValidatingAdmissionPolicy "coder-workspace-ephemeral-storage" \(an ephemeral-storage limit on every container\).*: no ValidatingAdmissionPolicyBinding has spec\.policyName "coder-workspace-ephemeral-storage"; bind it with .*values: \["coder-workspaces"\]\}\]\}\}\}/,
    );
    assert.ok(v.urn?.endsWith("::ns-coder-workspaces"), v.urn);
  });

  it("fails a binding whose policyName names another policy, whatever it is called", async () => {
    await expectStackViolation(
      missingWorkspaceAdmission,
      withBinding(PODS, (p) => (p.spec.policyName = "something-else")),
      WHO,
      /no ValidatingAdmissionPolicyBinding has spec\.policyName "coder-workspace-pods"/,
    );
  });

  it("fails a policy that fails open, once, on the policy", async () => {
    const o = await runStackPolicy(
      missingWorkspaceAdmission,
      withStack(isPolicy(VOLUMES), (p) => (p.spec.failurePolicy = "Ignore")),
    );
    assert.strictEqual(o.violations.length, 1, show(o));
    await expectStackViolation(
      missingWorkspaceAdmission,
      withStack(isPolicy(VOLUMES), (p) => (p.spec.failurePolicy = "Ignore")),
      'ValidatingAdmissionPolicy "coder-workspace-volume-size"',
      /failurePolicy is Ignore, so when its rules cannot be evaluated workspace objects are admitted unchecked; set spec\.failurePolicy to Fail \(or leave it unset, which defaults to Fail\)/,
    );
  });

  it("fails a binding that only warns or audits, unless allowNonBlockingActions is set", async () => {
    const stack = withBinding(PODS, (p) => (p.spec.validationActions = ["Warn", "Audit"]));
    await expectStackViolation(
      missingWorkspaceAdmission,
      stack,
      WHO,
      /binding "coder-workspace-pods": its validationActions \[Warn, Audit\] do not include Deny, so violations are only warned about or audited/,
    );
    await expectStackPass(missingWorkspaceAdmission, stack, ALLOW_NON_BLOCKING);
  });

  it("fails a binding whose namespace list leaves the namespace out", async () => {
    await expectStackViolation(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchExpressions: [{ key: NAME_LABEL, operator: "In", values: ["coder-other"] }] }),
      WHO,
      /binding "coder-workspace-pods": its namespaceSelector requires kubernetes\.io\/metadata\.name In \[coder-other\], which "coder-workspaces" does not meet/,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchExpressions: [{ key: NAME_LABEL, operator: "NotIn", values: [WORKSPACE_NS] }] }),
      WHO,
      /NotIn \[coder-workspaces\], which "coder-workspaces" does not meet/,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchLabels: { [ROLE_LABEL]: "control-plane" } }),
      WHO,
      /requires coder-blueprint\/role=control-plane, and the namespace's is workspaces/,
    );
  });

  it("fails a second workspace namespace the bindings do not list", async () => {
    const second = compliantNamespace("coder-ws-data");
    await expectStackViolation(
      missingWorkspaceAdmission,
      [...compliantKubernetesStack(), second],
      'Namespace "coder-ws-data"',
      /not guarded by ValidatingAdmissionPolicy "coder-workspace-pods".*does not meet/,
    );
  });

  it("does not take a selector on other labels, an objectSelector or exclusions as proof", async () => {
    await expectStackViolation(
      missingWorkspaceAdmission,
      withSelector(PODS, { matchLabels: { team: "platform" } }),
      WHO,
      /requires label team=platform, which the pack cannot prove the namespace carries/,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withSelector(PODS, {
        matchExpressions: [
          { key: NAME_LABEL, operator: "In", values: [WORKSPACE_NS] },
          { key: "env", operator: "Exists" },
        ],
      }),
      WHO,
      /requires env Exists, which the pack cannot prove of the namespace \(only kubernetes\.io\/metadata\.name and coder-blueprint\/role are known\)/,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withBinding(PODS, (p) => (p.spec.matchResources.objectSelector = { matchLabels: { checked: "yes" } })),
      WHO,
      /its matchResources\.objectSelector checks only objects carrying its labels/,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withBinding(
        PODS,
        (p) =>
          (p.spec.matchResources.excludeResourceRules = [
            { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] },
          ]),
      ),
      WHO,
      /its matchResources\.excludeResourceRules exempt objects from the policy/,
    );
  });

  it("fails patches that make a policy fail open or a binding stop denying", async () => {
    const policyPatch = resource(K8S.validatingAdmissionPolicyPatch, "pods-patch", {
      metadata: { name: PODS },
      spec: { failurePolicy: "Ignore" },
    });
    await expectStackViolation(
      missingWorkspaceAdmission,
      [...compliantKubernetesStack(), policyPatch],
      `ValidatingAdmissionPolicyPatch "${PODS}"`,
      /patches failurePolicy to Ignore.*remove the patch or set Fail/,
    );
    const bindingPatch = resource(K8S.validatingAdmissionPolicyBindingPatch, "pods-binding-patch", {
      metadata: { name: PODS },
      spec: { validationActions: ["Audit"] },
    });
    await expectStackViolation(
      missingWorkspaceAdmission,
      [...compliantKubernetesStack(), bindingPatch],
      `ValidatingAdmissionPolicyBindingPatch "${PODS}"`,
      /patches validationActions to \[Audit\], without Deny/,
    );
    await expectStackPass(missingWorkspaceAdmission, [
      ...compliantKubernetesStack(),
      mutate(bindingPatch, (p) => (p.spec.validationActions = ["Deny"])),
    ]);
  });

  it("judges failurePolicy with the stack's patches applied, on whichever resource set it", async () => {
    const failOpen = (name: string, failurePolicy: unknown) =>
      resource(K8S.validatingAdmissionPolicyPatch, `${name}-fp`, { metadata: { name }, spec: { failurePolicy } });
    // A patch of a policy the stack does not create is judged as that policy, and named.
    const withoutPods = compliantKubernetesStack().filter((r) => !isPolicy(PODS)(r));
    await expectStackViolation(
      missingWorkspaceAdmission,
      [...withoutPods, failOpen(PODS, "Ignore")],
      `ValidatingAdmissionPolicyPatch "${PODS}"`,
      /patches failurePolicy to Ignore.*remove the patch or set Fail/,
    );
    // The last patch that sets it decides, and is the one reported.
    const o = await runStackPolicy(missingWorkspaceAdmission, [
      ...compliantKubernetesStack(),
      failOpen(PODS, "Fail"),
      resource(K8S.validatingAdmissionPolicyPatch, "pods-later", {
        metadata: { name: PODS },
        spec: { failurePolicy: "Ignore" },
      }),
    ]);
    assert.deepStrictEqual(
      o.violations.map((v) => v.detail.split(":")[0]),
      [`ValidatingAdmissionPolicyPatch "${PODS}"`],
      show(o),
    );
    assert.match(o.violations[0].urn ?? "", /::pods-later$/);
    // A patch that leaves failurePolicy alone does not take the blame for the policy's own.
    const own = await runStackPolicy(missingWorkspaceAdmission, [
      ...withStack(isPolicy(VOLUMES), (p) => (p.spec.failurePolicy = "Ignore")),
      resource(K8S.validatingAdmissionPolicyPatch, "volumes-label", {
        metadata: { name: VOLUMES, labels: { team: "platform" } },
      }),
    ]);
    assert.deepStrictEqual(
      own.violations.map((v) => v.detail.split(":")[0]),
      [`ValidatingAdmissionPolicy "${VOLUMES}"`],
      show(own),
    );
    // A patch that sets Fail over a policy that fails open leaves the cluster failing closed.
    await expectStackPass(missingWorkspaceAdmission, [
      ...withStack(isPolicy(VOLUMES), (p) => (p.spec.failurePolicy = "Ignore")),
      failOpen(VOLUMES, "Fail"),
    ]);
  });

  describe("during preview", () => {
    it("matches a binding whose policyName is still unknown by its name, as the blueprint names them", async () => {
      const stack = compliantKubernetesStack().map((r) =>
        r.type === K8S.validatingAdmissionPolicyBinding ? mutate(r, (p) => (p.spec.policyName = unknown.string)) : r,
      );
      await expectStackPass(missingWorkspaceAdmission, stack);
    });

    it("passes when a known element of a partly unknown namespace list names the namespace", async () => {
      await expectStackPass(
        missingWorkspaceAdmission,
        withSelector(PODS, {
          matchExpressions: [{ key: NAME_LABEL, operator: "In", values: [unknown.string, WORKSPACE_NS] }],
        }),
      );
    });

    it("reports an unknown namespace list as a preview gap, not a pass or a mandatory violation", async () => {
      const stack = compliantKubernetesStack().map((r) =>
        r.type === K8S.validatingAdmissionPolicyBinding
          ? mutate(r, (p) => {
              p.spec.policyName = unknown.string;
              p.spec.matchResources.namespaceSelector.matchExpressions[0].values = unknown.array;
            })
          : r,
      );
      const o = await expectStackPreviewGap(
        missingWorkspaceAdmission,
        stack,
        /namespaceSelector\.matchExpressions\.0\.values can't be known during preview/,
      );
      assert.deepStrictEqual(mandatory(o), [], show(o));
    });

    it("reports a binding with neither its policyName nor its name known as a gap when no other binding covers the namespace", async () => {
      const stack = withBinding(PODS, (p) => {
        p.spec.policyName = unknown.string;
        p.metadata.name = unknown.string;
      });
      const o = await expectStackPreviewGap(
        missingWorkspaceAdmission,
        stack,
        /\.metadata\.name can't be known during preview/,
      );
      assert.deepStrictEqual(mandatory(o), [], show(o));
    });

    it("still reports a known violation next to the gap", async () => {
      const stack = withSelector(PODS, {
        matchExpressions: [{ key: NAME_LABEL, operator: "In", values: unknown.array }],
      }).filter((r) => !isPolicy(VOLUMES)(r));
      const o = await expectStackPreviewGap(missingWorkspaceAdmission, stack, /values can't be known during preview/);
      assert.strictEqual(mandatory(o).length, 1, show(o));
      assert.match(
        mandatory(o)[0].detail,
        /^Namespace "coder-workspaces": workspace namespace is not guarded by ValidatingAdmissionPolicy "coder-workspace-volume-size".*there is no ValidatingAdmissionPolicy/,
      );
    });

    it("lets a known failure of a binding win over its unknown parts", async () => {
      const stack = withBinding(PODS, (p) => {
        p.spec.validationActions = ["Audit"];
        p.spec.matchResources.namespaceSelector.matchExpressions[0].values = unknown.array;
      });
      await expectStackViolation(
        missingWorkspaceAdmission,
        stack,
        WHO,
        /its validationActions \[Audit\] do not include Deny/,
      );
    });

    it("covers an admission rule added for another namespace with its own binding", async () => {
      const extra = mutate(admissionBinding(PODS, ["coder-ws-data"]), (p, r) => {
        r.name = "pods-data";
        p.metadata.name = "coder-workspace-pods-data";
      });
      const stack = [...compliantKubernetesStack(), compliantNamespace("coder-ws-data"), extra];
      const o = await runStackPolicy(missingWorkspaceAdmission, stack);
      // The extra binding covers coder-ws-data for pods only; the other two policies are still missing there.
      assert.deepStrictEqual(
        o.violations.map((v) =>
          v.detail
            .match(/^Namespace "([^"]+)".*"(coder-workspace-[a-z-]+)"/)!
            .slice(1, 3)
            .join(" "),
        ),
        ["coder-ws-data coder-workspace-ephemeral-storage", "coder-ws-data coder-workspace-volume-size"],
        show(o),
      );
    });
  });
});

describe("missing-workspace-admission: edges", () => {
  const withoutWorkspaces = () =>
    compliantKubernetesStack().filter((r) => r.type !== K8S.namespace || r.props.metadata.name === CONTROL_PLANE_NS);
  const extraPolicy = (name: string, spec: Record<string, unknown>) =>
    resource(K8S.validatingAdmissionPolicy, `extra-${name}`, { metadata: { name }, spec });

  it("judges nothing, not even a failing-open policy, in a stack without workspace namespaces", async () => {
    await expectStackPass(missingWorkspaceAdmission, [
      ...withoutWorkspaces(),
      extraPolicy("coder-workspace-pods", { failurePolicy: "Ignore" }),
    ]);
  });

  it("reports a namespace whose role is unknown during preview as a gap when no other is a workspace namespace", async () => {
    const stack = withoutWorkspaces().map((r) =>
      r.type === K8S.namespace ? mutate(r, (p) => (p.metadata.labels[ROLE_LABEL] = unknown.string)) : r,
    );
    await expectStackPreviewGap(missingWorkspaceAdmission, stack, /labels\.coder-blueprint\/role can't be known/);
  });

  it("leaves alone admission policies and binding patches of its own that are not the workspace ones", async () => {
    await expectStackPass(missingWorkspaceAdmission, [
      ...compliantKubernetesStack(),
      extraPolicy("team-policy", { failurePolicy: "Ignore", validations: [{ expression: "true" }] }),
      // A name that is also a property of every JavaScript object is still just a name.
      extraPolicy("constructor", { validations: [{ expression: "true" }] }),
      resource(K8S.validatingAdmissionPolicy, "no-metadata", { spec: { failurePolicy: "Fail" } }),
      // Another policy's spec, unknown during preview, is not read at all: it is no gap in the verdict.
      resource(K8S.validatingAdmissionPolicy, "team-preview", {
        metadata: { name: "team-preview" },
        spec: unknown.object,
      }),
      resource(K8S.validatingAdmissionPolicyBindingPatch, "team-binding-patch", {
        metadata: { name: "team-policy" },
        spec: { validationActions: ["Audit"] },
      }),
    ]);
  });

  it("applies a policy patch made through a provider with a default namespace to the cluster-wide policy", async () => {
    await expectStackPass(missingWorkspaceAdmission, [
      ...withStack(isPolicy(VOLUMES), (p) => (p.spec.failurePolicy = "Ignore")),
      resource(
        K8S.validatingAdmissionPolicyPatch,
        "volumes-fail",
        { metadata: { name: VOLUMES }, spec: { failurePolicy: "Fail" } },
        { provider: { name: "team", props: { namespace: CONTROL_PLANE_NS } } },
      ),
    ]);
  });

  it("judges a policy without a spec as checking less than the blueprint's rule, naming every gap", async () => {
    await expectStackViolation(
      missingWorkspaceAdmission,
      withStack(isPolicy(VOLUMES), (p) => delete p.spec),
      `ValidatingAdmissionPolicy "${VOLUMES}"`,
      new RegExp(
        String.raw`: checks less than the blueprint's rule \(.*\): [^;]+; [^;]+.*; create it from the blueprint's ` +
          String.raw`rules \(components/admission, contract/admission-rules\.ts\) and keep this policy's settings ` +
          String.raw`equal to the stack config\.$`,
      ),
    );
  });

  it("turns a missing policy into a gap while another policy's name is unknown during preview", async () => {
    const stack = [
      ...compliantKubernetesStack().filter((r) => !isPolicy(PODS)(r)),
      resource(K8S.validatingAdmissionPolicy, "computed", { metadata: { name: unknown.string }, spec: {} }),
    ];
    const o = await expectStackPreviewGap(missingWorkspaceAdmission, stack, /metadata\.name can't be known/);
    assert.deepStrictEqual(mandatory(o), [], show(o));
  });

  it("says no binding names the policy when only other kinds carry its name, with the binding to add", async () => {
    const stack = [
      ...compliantKubernetesStack().filter((r) => !isBinding(PODS)(r)),
      resource(K8S.configMap, "pods-notes", { metadata: { name: PODS, namespace: CONTROL_PLANE_NS }, data: {} }),
    ];
    await expectStackViolation(
      missingWorkspaceAdmission,
      stack,
      WHO,
      new RegExp(
        String.raw`admitted unchecked: no ValidatingAdmissionPolicyBinding has spec\.policyName "${PODS}"; bind it ` +
          String.raw`with a ValidatingAdmissionPolicyBinding \{policyName: "${PODS}", validationActions: \[Deny\], ` +
          String.raw`matchResources: \{namespaceSelector: \{matchExpressions: \[\{key: kubernetes\.io/metadata\.name, ` +
          String.raw`operator: In, values: \["coder-workspaces"\]\}\]\}\}\} \(the blueprint's WorkspaceAdmission ` +
          String.raw`component creates these\)\.$`,
      ),
    );
  });

  it("gives the reason of every binding of the policy that fails to cover the namespace", async () => {
    const second = mutate(admissionBinding(PODS), (p, r) => {
      r.name = "pods-second";
      p.metadata.name = "coder-workspace-pods-second";
      p.spec.matchResources.objectSelector = { matchLabels: { checked: "yes" } };
    });
    await expectStackViolation(
      missingWorkspaceAdmission,
      [...withBinding(PODS, (p) => (p.spec.validationActions = ["Audit"])), second],
      WHO,
      // The reasons follow the "admitted unchecked: " lead-in directly, one per binding.
      new RegExp(
        String.raw`admitted unchecked: binding "${PODS}": its validationActions \[Audit\] do not include Deny, so ` +
          String.raw`violations are only warned about or audited; binding "${PODS}-second": its ` +
          String.raw`matchResources\.objectSelector`,
      ),
    );
  });
});

describe("missing-workspace-admission: what the policies check", () => {
  const SETTINGS = { config: { "missing-workspace-admission": ADMISSION_SETTINGS } };
  const withPolicy = (name: string, change: (props: any) => void) => withStack(isPolicy(name), change);
  const subject = (name: string) => `ValidatingAdmissionPolicy "${name}"`;

  it("passes the blueprint's own rules, with the settings and without them, and an extra validation", async () => {
    await expectStackPass(missingWorkspaceAdmission, compliantKubernetesStack(), SETTINGS);
    await expectStackPass(missingWorkspaceAdmission, compliantKubernetesStack());
    await expectStackPass(
      missingWorkspaceAdmission,
      withPolicy(PODS, (p) => p.spec.validations.push({ expression: "!has(object.spec.hostUsers)", message: "x" })),
      SETTINGS,
    );
  });

  // A stack approves capabilities and Secrets one by one: unless its settings list some, the engine hands
  // the policy empty lists, and the pods rule may allow none.
  it("allows the pods rule no capability and no Secret unless the settings list them", async () => {
    assert.deepStrictEqual(defaultSettings(missingWorkspaceAdmission), {
      allowNonBlockingActions: false,
      approvedRegistries: [],
      allowedCapabilities: [],
      allowedSecrets: [],
      maxVolumeSize: "",
    });
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(PODS, (p) => {
        const variable = (name: string) => p.spec.variables.find((v: any) => v.name === name);
        variable("allowedCapabilities").expression = JSON.stringify(["NET_BIND_SERVICE"]);
        variable("allowedSecrets").expression = JSON.stringify(["git-ssh"]);
      }),
      subject(PODS),
      /variable allowedCapabilities: capability "NET_BIND_SERVICE" is not allowed; variable allowedSecrets: Secret "git-ssh" is not allowed;/,
    );
  });

  // A number in a list would otherwise reach the rule comparison, which reads every entry as text.
  it("refuses registry, capability and Secret lists holding anything but strings before judging anything", () => {
    for (const [key, entry] of [
      ["approvedRegistries", "ghcr.io/coder/"],
      ["allowedCapabilities", "NET_BIND_SERVICE"],
      ["allowedSecrets", "git-ssh"],
    ]) {
      expectSettingsRefused(
        missingWorkspaceAdmission,
        { [key]: [entry, 7] },
        new RegExp(`${key}\\.1: Invalid type\\. Expected: string`),
        key,
      );
    }
  });

  it("fails gutted validations: emptied, always true, or one rule dropped", async () => {
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(PODS, (p) => (p.spec.validations = [])),
      subject(PODS),
      /checks less than the blueprint's rule .*: the validation "every container image must come from an approved registry/,
      SETTINGS,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(
        STORAGE,
        (p) => (p.spec.validations = [{ expression: "true || object.spec.containers.all(c, true)" }]),
      ),
      subject(STORAGE),
      /the validation "every container needs an ephemeral-storage limit.*" is missing or changed/,
      SETTINGS,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(PODS, (p) => p.spec.validations.splice(1, 1)),
      subject(PODS),
      /the validation "privileged containers are not allowed in workspace namespaces" is missing or changed/,
      SETTINGS,
    );
  });

  it("fails an image pattern list that admits everything or another registry, and a raised volume cap", async () => {
    const patterns = (list: string[]) =>
      withPolicy(PODS, (p) => {
        p.spec.variables.find((v: any) => v.name === "imagePatterns").expression = JSON.stringify(list);
      });
    await expectStackViolation(
      missingWorkspaceAdmission,
      patterns([""]),
      subject(PODS),
      /variable imagePatterns: image pattern "" is not anchored/,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      patterns(["^.*"]),
      subject(PODS),
      /variable imagePatterns: image pattern "\^\.\*" admits images from any registry/,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      patterns(["^ghcr\\.io/coder"]),
      subject(PODS),
      /image pattern "\^ghcr\\\.io\/coder" is not an approved registry's/,
      SETTINGS,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      patterns([approvedImagePattern("docker.io/")]),
      subject(PODS),
      /is not an approved registry's/,
      SETTINGS,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(
        VOLUMES,
        (p) => (p.spec.validations[0].expression = p.spec.validations[0].expression.replace("20Gi", "20Ti")),
      ),
      subject(VOLUMES),
      /the validation "workspace volumes may request at most 20Gi" is missing or changed/,
      SETTINGS,
    );
  });

  it("fails a policy narrowed by matchConditions, a selector, or fewer operations", async () => {
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(PODS, (p) => (p.spec.matchConditions = [{ name: "skip", expression: "false" }])),
      subject(PODS),
      /matchConditions skip its validations for some objects/,
      SETTINGS,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(PODS, (p) => (p.spec.matchConstraints.objectSelector = { matchLabels: { checked: "yes" } })),
      subject(PODS),
      /matchConstraints narrow it with a namespace or object selector/,
      SETTINGS,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      withPolicy(VOLUMES, (p) => (p.spec.matchConstraints.resourceRules[0].operations = ["CREATE"])),
      subject(VOLUMES),
      /matchConstraints\.resourceRules do not cover CREATE\/UPDATE of persistentvolumeclaims/,
      SETTINGS,
    );
  });

  it("applies a patch to the policy it patches: validations replaced, capabilities widened", async () => {
    await expectStackViolation(
      missingWorkspaceAdmission,
      [
        ...compliantKubernetesStack(),
        resource(K8S.validatingAdmissionPolicyPatch, "gut", {
          metadata: { name: PODS },
          spec: { validations: [{ expression: "true", message: "ok" }] },
        }),
      ],
      subject(PODS),
      /the validation "every container image must come from an approved registry/,
      SETTINGS,
    );
    await expectStackViolation(
      missingWorkspaceAdmission,
      [
        ...compliantKubernetesStack(),
        resource(K8S.validatingAdmissionPolicyPatch, "caps", {
          metadata: { name: PODS },
          spec: {
            variables: workspaceAdmissionRules({ ...ADMISSION_SETTINGS, allowedCapabilities: ["SYS_ADMIN"] })[PODS]
              .variables,
          },
        }),
      ],
      subject(PODS),
      /variable allowedCapabilities: capability "SYS_ADMIN" is not allowed/,
      SETTINGS,
    );
  });
});
