// Workspace users choose their own disk sizes and run arbitrary processes, so without hard caps one
// namespace can exhaust EBS capacity, node disks, pod IPs or service IPs for every other tenant. The
// LimitRange matters as much as the quota: a quota on limits.ephemeral-storage rejects pods that set no
// limit unless a LimitRange supplies a default.
import { PolicyResource } from "@pulumi/policy";
import { ROLE_LABEL, ROLE_WORKSPACES } from "../../contract";
import { byNamespace, managedNamespaces } from "../../lib/kubernetes";
import { Props, subjectOfResource } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

/** Each concern is covered by any one of its quota keys. */
export const REQUIRED_QUOTAS: ReadonlyArray<{ concern: string; keys: string[] }> = [
  { concern: "PVC storage", keys: ["requests.storage"] },
  { concern: "PVC count", keys: ["persistentvolumeclaims", "count/persistentvolumeclaims"] },
  {
    concern: "ephemeral storage",
    keys: ["requests.ephemeral-storage", "limits.ephemeral-storage", "ephemeral-storage"],
  },
  { concern: "pod count (pod IPs)", keys: ["pods", "count/pods"] },
  { concern: "service count (service IPs)", keys: ["services", "count/services"] },
];

/** Hard limits that apply to every object in the namespace; scoped quotas cover only part of it. */
function unscopedHardKeys(quota: PolicyResource): string[] {
  const spec: Props = quota.props.spec ?? {};
  if ((spec.scopes ?? []).length > 0 || spec.scopeSelector) return [];
  return Object.keys(spec.hard ?? {});
}

export const workspaceNamespaceWithoutQuota = definePolicy(
  {
    responsibilities: [
      "storage-quotas",
      "storage-depletion-pvc",
      "storage-depletion-ephemeral",
      "ip-depletion-pods",
      "ip-depletion-services",
    ],
    severity: "high",
    forbids:
      "Workspace namespaces without a quota on storage, PVCs, ephemeral storage, pods, services, or without a " +
      "LimitRange",
    references: { kyverno: ["add-ns-quota"], other: ["kube-score container-ephemeral-storage-request-and-limit"] },
  },
  {
    name: "workspace-namespace-without-quota",
    description:
      `Every workspace namespace (${ROLE_LABEL}: ${ROLE_WORKSPACES}) needs a ResourceQuota capping ` +
      `requests.storage, persistentvolumeclaims, ` +
      "ephemeral storage, pods and services, and a LimitRange.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Create an unscoped ResourceQuota in the namespace whose spec.hard sets requests.storage, " +
      "persistentvolumeclaims, requests.ephemeral-storage " +
      "(or limits.ephemeral-storage), pods and services, and a LimitRange with per-container ephemeral-storage " +
      "defaults and a PVC size cap.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const namespaces = managedNamespaces(args.resources, gaps);
      const quotas = byNamespace(args.resources, [K8S.resourceQuota], gaps);
      const limitRanges = byNamespace(args.resources, [K8S.limitRange], gaps);
      for (const ns of namespaces.values()) {
        if (ns.role !== ROLE_WORKSPACES) continue;
        const who = subjectOfResource(ns.resource);
        gaps.judge(() => {
          const covered = new Set((quotas.get(ns.name) ?? []).flatMap(unscopedHardKeys));
          const missing = REQUIRED_QUOTAS.filter((q) => !q.keys.some((k) => covered.has(k)));
          if (missing.length > 0) {
            report(
              `${who}: workspace namespace has no ResourceQuota limiting ` +
                `${missing.map((m) => m.concern).join(", ")}, so one tenant can exhaust them for all; ` +
                `add an unscoped ResourceQuota with spec.hard ${missing.map((m) => m.keys[0]).join(", ")}.`,
              ns.resource.urn,
            );
          }
        });
        if (!limitRanges.has(ns.name)) {
          report(
            `${who}: workspace namespace has no LimitRange, so pods without limits are either rejected by the ` +
              `quota or unbounded; ` +
              "add a LimitRange with Container defaults and max for ephemeral-storage and a PersistentVolumeClaim " +
              "max storage.",
            ns.resource.urn,
          );
        }
      }
      gaps.settle();
    },
  },
);
