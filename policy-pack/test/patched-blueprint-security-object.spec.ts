import { patchedBlueprintSecurityObject } from "../policies/kubernetes/patched-blueprint-security-object";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantKubernetesStack, CONTROL_PLANE_NS, WORKSPACE_NS } from "./fixtures/kubernetes";
import { resource } from "./fixtures/resources";

const patch = (type: string, metadata: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  resource(type, `patch-${String(metadata.name)}`, { metadata, ...rest });
const withPatch = (p: ReturnType<typeof patch>) => [...compliantKubernetesStack(), p];

describe("patched-blueprint-security-object", () => {
  it("passes the compliant stack and patches of other objects: a StorageClass, an unmanaged namespace", async () => {
    await expectStackPass(patchedBlueprintSecurityObject, compliantKubernetesStack());
    await expectStackPass(patchedBlueprintSecurityObject, [
      ...compliantKubernetesStack(),
      patch(K8S.storageClassPatch, {
        name: "gp2",
        annotations: { "storageclass.kubernetes.io/is-default-class": "false" },
      }),
      patch(K8S.networkPolicyPatch, { name: "legacy", namespace: "monitoring" }, { spec: { ingress: [{}] } }),
      patch(K8S.namespacePatch, { name: "monitoring", labels: { team: "obs" } }),
      // Labels other than the role and Pod Security ones are the operator's.
      patch(K8S.namespacePatch, { name: WORKSPACE_NS, labels: { "cost-center": "42" } }),
    ]);
  });

  it("refuses patches of the admission policies and their bindings, whatever they change", async () => {
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(
          K8S.validatingAdmissionPolicyPatch,
          { name: "coder-workspace-pods" },
          { spec: { failurePolicy: "Fail" } },
        ),
      ),
      'ValidatingAdmissionPolicyPatch "coder-workspace-pods"',
      /patches a workspace admission policy, which no other policy then judges as a whole; change it through the blueprint's config/,
    );
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(
          K8S.validatingAdmissionPolicyBindingPatch,
          { name: "coder-workspace-volume-size" },
          {
            spec: { matchResources: { objectSelector: { matchLabels: { x: "y" } } } },
          },
        ),
      ),
      'ValidatingAdmissionPolicyBindingPatch "coder-workspace-volume-size"',
      /patches a workspace admission policy's binding/,
    );
  });

  it("refuses patches of NetworkPolicies, quotas and LimitRanges in managed namespaces, by name or by place", async () => {
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(patch(K8S.networkPolicyPatch, { name: "default-deny-all", namespace: CONTROL_PLANE_NS }, { spec: {} })),
      `NetworkPolicyPatch "${CONTROL_PLANE_NS}/default-deny-all"`,
      /patches the default-deny NetworkPolicy/,
    );
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(patch(K8S.networkPolicyPatch, { name: "workspace-egress", namespace: WORKSPACE_NS }, { spec: {} })),
      `NetworkPolicyPatch "${WORKSPACE_NS}/workspace-egress"`,
      /patches a NetworkPolicy in managed namespace "coder-workspaces" \(coder-blueprint\/role: workspaces\), part of its boundary/,
    );
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(
          K8S.resourceQuotaPatch,
          { name: "workspace-quota", namespace: WORKSPACE_NS },
          { spec: { hard: { pods: "1000" } } },
        ),
      ),
      `ResourceQuotaPatch "${WORKSPACE_NS}/workspace-quota"`,
      /patches the workspace quota/,
    );
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(K8S.limitRangePatch, { name: "other-limits", namespace: WORKSPACE_NS }, { spec: { limits: [] } }),
      ),
      `LimitRangePatch "${WORKSPACE_NS}/other-limits"`,
      /patches a LimitRange in managed namespace "coder-workspaces"/,
    );
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(K8S.limitRangePatch, { name: "workspace-limits", namespace: WORKSPACE_NS }, { spec: { limits: [] } }),
      ),
      `LimitRangePatch "${WORKSPACE_NS}/workspace-limits"`,
      /patches the workspace LimitRange, which no other policy then judges as a whole; change it through the blueprint's config/,
    );
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(
          K8S.resourceQuotaPatch,
          { name: "other-quota", namespace: WORKSPACE_NS },
          { spec: { hard: { pods: "1000" } } },
        ),
      ),
      `ResourceQuotaPatch "${WORKSPACE_NS}/other-quota"`,
      /patches a ResourceQuota in managed namespace "coder-workspaces" \(coder-blueprint\/role: workspaces\), part of its boundary/,
    );
  });

  it("refuses a NamespacePatch that changes a managed namespace's role or relaxes its Pod Security", async () => {
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(patch(K8S.namespacePatch, { name: WORKSPACE_NS, labels: { "coder-blueprint/role": "control-plane" } })),
      `NamespacePatch "${WORKSPACE_NS}"`,
      /patches managed namespace "coder-workspaces"'s coder-blueprint\/role \(workspaces -> control-plane\)/,
    );
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(K8S.namespacePatch, {
          name: CONTROL_PLANE_NS,
          labels: { "pod-security.kubernetes.io/enforce": "privileged" },
        }),
      ),
      `NamespacePatch "${CONTROL_PLANE_NS}"`,
      /pod-security\.kubernetes\.io\/enforce \(restricted -> privileged\)/,
    );
  });

  it("names every guard label a NamespacePatch changes, shows an unset one, and ignores one restated as it is", async () => {
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(K8S.namespacePatch, {
          name: WORKSPACE_NS,
          labels: {
            "coder-blueprint/role": "workspaces",
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/enforce-version": "v1.29",
          },
        }),
      ),
      `NamespacePatch "${WORKSPACE_NS}"`,
      new RegExp(
        String.raw`^NamespacePatch "coder-workspaces": patches managed namespace "coder-workspaces"'s ` +
          String.raw`pod-security\.kubernetes\.io/enforce, pod-security\.kubernetes\.io/enforce-version ` +
          String.raw`\(baseline -> privileged, unset -> v1\.29\), which decide which guards apply to it and what ` +
          String.raw`Pod Security admits; change it through the blueprint's config instead, or add a separate object\.$`,
      ),
    );
    await expectStackPass(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(K8S.namespacePatch, {
          name: WORKSPACE_NS,
          labels: { "coder-blueprint/role": "workspaces", "pod-security.kubernetes.io/enforce": "baseline" },
        }),
      ),
    );
  });

  it("shows a label value with quotes of its own as JSON writes it", async () => {
    await expectStackViolation(
      patchedBlueprintSecurityObject,
      withPatch(patch(K8S.namespacePatch, { name: WORKSPACE_NS, labels: { "coder-blueprint/role": '"workspaces"' } })),
      `NamespacePatch "${WORKSPACE_NS}"`,
      /coder-blueprint\/role \(workspaces -> \\"workspaces\\"\)/,
    );
  });

  it("judges only NamespacePatches by their labels, not other objects named like a managed namespace", async () => {
    await expectStackPass(
      patchedBlueprintSecurityObject,
      withPatch(
        resource(K8S.configMap, "ws-settings", {
          metadata: { name: WORKSPACE_NS, namespace: CONTROL_PLANE_NS, labels: { "coder-blueprint/role": "other" } },
          data: {},
        }),
      ),
    );
  });

  it("reports a patch whose target name is unknown during preview as a gap, not a pass", async () => {
    await expectStackPreviewGap(
      patchedBlueprintSecurityObject,
      withPatch(
        resource(K8S.namespacePatch, `patch-${WORKSPACE_NS}`, {
          metadata: { name: unknown.string, labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
        }),
      ),
      /metadata\.name can't be known during preview/,
    );
    await expectStackPreviewGap(
      patchedBlueprintSecurityObject,
      withPatch(
        resource(K8S.validatingAdmissionPolicyPatch, "patch-admission", {
          metadata: { name: unknown.string },
          spec: { failurePolicy: "Ignore" },
        }),
      ),
      /metadata\.name can't be known during preview/,
    );
  });

  it("reports a guard label whose new value is unknown during preview as a gap", async () => {
    await expectStackPreviewGap(
      patchedBlueprintSecurityObject,
      withPatch(
        patch(K8S.namespacePatch, {
          name: WORKSPACE_NS,
          labels: { "pod-security.kubernetes.io/enforce": unknown.string },
        }),
      ),
      /labels\.pod-security\.kubernetes\.io\/enforce can't be known during preview/,
    );
  });
});
