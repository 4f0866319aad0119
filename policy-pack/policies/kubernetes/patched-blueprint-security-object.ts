// The blueprint's security objects are whole only as the blueprint writes them: a server-side-apply patch
// from another program (or another field manager) can rewrite any field of them, and the policies that
// judge the objects see the patch only as a separate resource. Such patches are refused outright rather
// than judged field by field: the workspace admission policies and their bindings, the default-deny
// NetworkPolicy, the workspace quota and LimitRange (by their names in contract/names.ts), any NetworkPolicy,
// ResourceQuota or LimitRange in a managed namespace, and a NamespacePatch that changes a managed
// namespace's role or Pod Security labels. Patches the blueprint itself needs (demoting a StorageClass from
// default) are of other kinds, and the policies of those kinds judge what the patch sets.
import { PolicyResource } from "@pulumi/policy";
import {
  DEFAULT_DENY_POLICY,
  PSA_PREFIX,
  ROLE_LABEL,
  WORKSPACE_ADMISSION_POLICIES,
  WORKSPACE_LIMITS,
  WORKSPACE_QUOTA,
} from "../../contract";
import { judgedNameOf } from "../../lib/admission";
import { labelsOf, managedNamespaces, namespaceOf } from "../../lib/kubernetes";
import { definePolicy } from "../../lib/metadata";
import { subjectOfResource } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";

/** Patch type -> the names of the blueprint's objects of that kind (any namespace), for the message. */
const GUARDED_NAMES: Record<string, { names: readonly string[]; what: string }> = {
  [K8S.validatingAdmissionPolicyPatch]: {
    names: Object.keys(WORKSPACE_ADMISSION_POLICIES),
    what: "a workspace admission policy",
  },
  [K8S.validatingAdmissionPolicyBindingPatch]: {
    names: Object.keys(WORKSPACE_ADMISSION_POLICIES),
    what: "a workspace admission policy's binding",
  },
  [K8S.networkPolicyPatch]: { names: [DEFAULT_DENY_POLICY], what: "the default-deny NetworkPolicy" },
  [K8S.resourceQuotaPatch]: { names: [WORKSPACE_QUOTA], what: "the workspace quota" },
  [K8S.limitRangePatch]: { names: [WORKSPACE_LIMITS], what: "the workspace LimitRange" },
};

/** Kinds whose every object in a managed namespace is part of its boundary. */
const NAMESPACED_GUARDS: Record<string, string> = {
  [K8S.networkPolicyPatch]: "a NetworkPolicy",
  [K8S.resourceQuotaPatch]: "a ResourceQuota",
  [K8S.limitRangePatch]: "a LimitRange",
};

const shown = (value: unknown): string => (value === undefined ? "unset" : JSON.stringify(value).replace(/^"|"$/g, ""));

const isGuardLabel = (key: string) => key === ROLE_LABEL || key.startsWith(`${PSA_PREFIX}/`);

export const patchedBlueprintSecurityObject = definePolicy(
  {
    responsibilities: ["network-boundaries", "storage-quotas", "registry-any-image", "node-user-accounts"],
    severity: "critical",
    forbids:
      "`*Patch` resources of the blueprint's security objects: workspace admission policies and bindings, " +
      "NetworkPolicies, ResourceQuotas and LimitRanges in managed namespaces, and a managed namespace's role " +
      "or Pod Security labels",
    references: { other: ["Kubernetes server-side apply (field managers)"] },
  },
  {
    name: "patched-blueprint-security-object",
    description:
      "The blueprint's security objects (workspace admission policies and bindings; NetworkPolicies, quotas and " +
      "LimitRanges in managed namespaces; a managed namespace's role and Pod Security labels) must not be " +
      "changed through Patch resources.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Change the object through the blueprint's config (coder-blueprint:network, workspaces, admission) so the " +
      "policies judge the result, or add a separate object (an allow NetworkPolicy, a tighter quota) instead of " +
      "patching the blueprint's.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const managed = managedNamespaces(
        args.resources.filter((r) => r.type === K8S.namespace),
        gaps,
      );
      const refuse = (patch: PolicyResource, what: string, why: string) =>
        report(
          `${subjectOfResource(patch)}: patches ${what}, ${why}; change it through the blueprint's config ` +
            "instead, or add a separate object.",
          patch.urn,
        );
      for (const r of args.resources) {
        const byName = GUARDED_NAMES[r.type];
        const inNamespace = NAMESPACED_GUARDS[r.type];
        if (byName || inNamespace) {
          gaps.judge(() => {
            if (byName && byName.names.includes(judgedNameOf(r))) {
              refuse(r, byName.what, "which no other policy then judges as a whole");
              return;
            }
            const ns = inNamespace ? managed.get(namespaceOf(r)) : undefined;
            if (ns)
              refuse(
                r,
                `${inNamespace} in managed namespace "${ns.name}" (${ROLE_LABEL}: ${ns.role})`,
                "part of its boundary",
              );
          });
        } else if (r.type === K8S.namespacePatch) {
          gaps.judge(() => {
            const ns = managed.get(judgedNameOf(r));
            if (!ns) return;
            const before = labelsOf(ns.resource.props);
            const after = labelsOf(r.props);
            const changed = Object.keys(after).filter((k) => isGuardLabel(k) && after[k] !== before[k]);
            if (changed.length === 0) return;
            refuse(
              r,
              `managed namespace "${ns.name}"'s ${changed.join(", ")} (${changed
                .map((k) => `${shown(before[k])} -> ${shown(after[k])}`)
                .join(", ")})`,
              "which decide which guards apply to it and what Pod Security admits",
            );
          });
        }
      }
      gaps.settle();
    },
  },
);
