// Container writable layers, logs and emptyDir volumes all share the node's disk. Without a limit a
// single container can fill it, and the kubelet then evicts every pod on the node — other tenants'
// workspaces included. A LimitRange in the namespace that gives containers a default ephemeral-storage
// limit sets it at admission, so containers there need not repeat it.
import { PolicyResource } from "@pulumi/policy";
import { namespaceOf } from "../../lib/kubernetes";
import { Props, subjectOfResource } from "../../lib/policy";
import { effectiveObjects } from "../../lib/patches";
import { K8S } from "../../lib/types";
import { eachOf, PreviewGaps } from "../../lib/unknowns";
import { eachContainer, podSpecsOf } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

/** Namespaces whose LimitRange, with the stack's patches applied, gives every container a default limit. */
function defaultedNamespaces(resources: PolicyResource[], gaps: PreviewGaps): Set<string> {
  const names = new Set<string>();
  for (const r of effectiveObjects(resources, [K8S.limitRange], gaps)) {
    gaps.judge(() =>
      eachOf(
        r.props.spec?.limits as Props[] | undefined,
        (limit) => {
          if (limit.type === "Container" && limit.default?.["ephemeral-storage"] !== undefined)
            names.add(namespaceOf(r));
        },
        gaps,
      ),
    );
  }
  return names;
}

export const missingEphemeralStorageLimit = definePolicy(
  {
    responsibilities: ["storage-depletion-ephemeral"],
    severity: "medium",
    forbids: "Containers without `limits.ephemeral-storage` (own or from their namespace's LimitRange default)",
    references: {
      kyverno: ["require-emptydir-requests-limits (related)"],
      other: ["kube-score container-ephemeral-storage-request-and-limit"],
    },
  },
  {
    name: "missing-ephemeral-storage-limit",
    description:
      "Every container and init container must set resources.limits.ephemeral-storage, unless a LimitRange in " +
      "its namespace gives containers a default one.",
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set resources.limits["ephemeral-storage"] (e.g. "5Gi") on every container and init container, or add a ' +
      "LimitRange with a Container default for ephemeral-storage to the namespace.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const defaulted = defaultedNamespaces(args.resources, gaps);
      for (const r of args.resources) {
        if (r.type.endsWith("Patch")) continue;
        gaps.judge(() => {
          const specs = podSpecsOf(r.type, r.props);
          if (specs.length === 0 || defaulted.has(namespaceOf(r))) return;
          for (const spec of specs)
            eachContainer(
              spec,
              gaps,
              ({ container, label }) => {
                if ("ephemeral-storage" in (container.resources?.limits ?? {})) return;
                report(
                  `${subjectOfResource(r)} ${label}: has no ephemeral-storage limit, so it can fill the node's disk ` +
                    `and get every pod on the node evicted; set resources.limits["ephemeral-storage"].`,
                  r.urn,
                );
              },
              ["containers", "initContainers"],
            );
        });
      }
      gaps.settle();
    },
  },
);
