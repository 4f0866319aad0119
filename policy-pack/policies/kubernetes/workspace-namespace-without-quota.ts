// Workspace users choose their own disk sizes and run arbitrary processes, so without hard caps one
// namespace can exhaust EBS capacity, node disks, pod IPs or service IPs for every other tenant. The
// LimitRange matters as much as the quota: a quota on limits.ephemeral-storage rejects pods that set no
// limit unless a LimitRange supplies a default. Presence is not enough: the figures are compared with the
// stack's own (the pack settings, kept equal to the stack config by test/policies/shipped-stacks.spec.ts).
// The API server enforces every quota and every LimitRange of a namespace, so the tightest figure counts,
// and patches are applied to the objects they patch first.
import { PolicyResource } from "@pulumi/policy";
import { isQuantity, parseQuantity, ROLE_LABEL, ROLE_WORKSPACES } from "../../contract";
import { byNamespace, managedNamespaces } from "../../lib/kubernetes";
import { effectiveObjects } from "../../lib/patches";
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

export interface WorkspaceQuotaConfig {
  /** The most each unscoped quota key may allow: the stack's ResourceQuota `hard` figures. */
  hard: Record<string, string>;
  /** The most a LimitRange may let one container use, per resource. */
  containerMax: Record<string, string>;
  /** The largest volume claim a LimitRange may allow. */
  volumeMax?: string;
}

/** The tightest of the given figures (every quota or LimitRange applies), or undefined when none sets one. */
function tightest(values: unknown[]): { text: string; value: number } | { invalid: string } | undefined {
  let best: { text: string; value: number } | undefined;
  for (const v of values) {
    if (v === undefined || v === null) continue;
    // JSON writes a number as String does; anything else that is not text is shown as written.
    const text = typeof v === "string" ? v : JSON.stringify(v);
    if (!isQuantity(text)) return { invalid: text };
    const value = parseQuantity(text);
    if (!best || value < best.value) best = { text, value };
  }
  return best;
}

/** Why a figure is not capped at the stack's, or undefined when it is. */
function figureFailure(what: string, values: unknown[], limit: string): string | undefined {
  const found = tightest(values);
  if (found === undefined) return `no ${what} (the stack's figure is ${limit})`;
  if ("invalid" in found) return `${what} "${found.invalid}", which is not a quantity`;
  return found.value > parseQuantity(limit) ? `${what} ${found.text}, above the stack's ${limit}` : undefined;
}

/** Quota keys the API server treats alike: "pods" and "count/pods", "cpu" and "requests.cpu". */
const QUOTA_ALIASES: Record<string, string[]> = {
  pods: ["count/pods"],
  services: ["count/services"],
  persistentvolumeclaims: ["count/persistentvolumeclaims"],
  "requests.cpu": ["cpu"],
  "requests.memory": ["memory"],
  "requests.ephemeral-storage": ["ephemeral-storage"],
};
const spellings = (key: string): string[] => [
  key,
  ...(QUOTA_ALIASES[key] ?? []),
  ...Object.keys(QUOTA_ALIASES).filter((k) => QUOTA_ALIASES[k].includes(key)),
];

/** Hard limits that apply to every object in the namespace; scoped quotas cover only part of it. */
function unscopedHard(quota: PolicyResource): Props {
  const spec: Props = quota.props.spec ?? {};
  if ((spec.scopes ?? []).length > 0 || spec.scopeSelector) return {};
  return spec.hard ?? {};
}

const unscopedHardKeys = (quota: PolicyResource): string[] => Object.keys(unscopedHard(quota));

/** The figures a LimitRange sets for a type ("Container", "PersistentVolumeClaim") under a field ("max"). */
function limitItems(limitRange: PolicyResource, type: string): Props[] {
  const items: Props[] = limitRange.props.spec?.limits ?? [];
  return items.filter((item) => item?.type === type);
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
      "LimitRange; quota and LimitRange figures above the stack's (from the pack settings), patches included",
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
      "defaults and a PVC size cap, with figures no higher than the stack config's (the blueprint's " +
      "WorkspaceQuotas component creates exactly these); the pack settings carry the same figures.",
    configSchema: {
      properties: {
        hard: {
          type: "object",
          default: {},
          description:
            "The stack's ResourceQuota figures (components/quotas quotaFor): every key must be capped, at most here.",
        },
        containerMax: {
          type: "object",
          default: {},
          description: "The stack's per-container LimitRange max figures (cpu, memory, ephemeral-storage).",
        },
        volumeMax: {
          type: "string",
          default: "",
          description:
            "The stack's largest workspace volume (the LimitRange's PersistentVolumeClaim max storage); empty, " +
            "not compared.",
        },
      },
    },
    validateStack: (args, report) => {
      const settings = args.getConfig<WorkspaceQuotaConfig>();
      const gaps = new PreviewGaps();
      const namespaces = managedNamespaces(args.resources, gaps);
      const quotas = byNamespace(
        effectiveObjects(args.resources, [K8S.resourceQuota], gaps),
        [K8S.resourceQuota],
        gaps,
      );
      const limitRanges = byNamespace(effectiveObjects(args.resources, [K8S.limitRange], gaps), [K8S.limitRange], gaps);
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
        gaps.judge(() => {
          const hards = (quotas.get(ns.name) ?? []).map(unscopedHard);
          const failures = Object.entries(settings.hard ?? {}).flatMap(([key, limit]) => {
            const failure = figureFailure(
              `quota on ${key}`,
              hards.flatMap((h) => spellings(key).map((k) => h[k])),
              limit,
            );
            return failure ? [failure] : [];
          });
          if (failures.length === 0) return;
          report(
            `${who}: its ResourceQuotas allow more than the stack's configuration: ${failures.join("; ")}; ` +
              "set the unscoped quota's spec.hard to the stack's figures (coder-blueprint:workspaces) and keep " +
              "this policy's settings equal to them.",
            ns.resource.urn,
          );
        });
        gaps.judge(() => {
          const ranges = limitRanges.get(ns.name);
          if (!ranges) return;
          const containers = ranges.flatMap((r) => limitItems(r, "Container"));
          const failures: string[] = [];
          for (const [key, limit] of Object.entries(settings.containerMax ?? {})) {
            const failure = figureFailure(
              `Container max ${key}`,
              containers.map((c) => c.max?.[key]),
              limit,
            );
            if (failure) failures.push(failure);
          }
          if (!containers.some((c) => c.default?.["ephemeral-storage"] !== undefined))
            failures.push("no Container default ephemeral-storage, so pods without a limit are unbounded");
          if (settings.volumeMax) {
            const failure = figureFailure(
              "PersistentVolumeClaim max storage",
              ranges.flatMap((r) => limitItems(r, "PersistentVolumeClaim")).map((c) => c.max?.storage),
              settings.volumeMax,
            );
            if (failure) failures.push(failure);
          }
          if (failures.length === 0) return;
          report(
            `${who}: its LimitRanges do not cap what one workspace may use: ${failures.join("; ")}; ` +
              "set the LimitRange's Container default and max and its PersistentVolumeClaim max to the stack's " +
              "workspace size (coder-blueprint:workspaces.size).",
            ns.resource.urn,
          );
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
