// Container writable layers, logs and emptyDir volumes all share the node's disk. Without a limit a
// single container can fill it, and the kubelet then evicts every pod on the node — other tenants'
// workspaces included.
import { eachContainer, validatePodSpec } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

export const missingEphemeralStorageLimit = definePolicy(
  {
    responsibilities: ["storage-depletion-ephemeral"],
    severity: "medium",
    forbids: "Containers without `limits.ephemeral-storage`",
    references: {
      kyverno: ["require-emptydir-requests-limits (related)"],
      other: ["kube-score container-ephemeral-storage-request-and-limit"],
    },
  },
  {
    name: "missing-ephemeral-storage-limit",
    description: "Every container and init container must set resources.limits.ephemeral-storage.",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set resources.limits["ephemeral-storage"] (e.g. "5Gi") on every container and init container.',
    validateResource: validatePodSpec(({ spec, subject, gaps, report, patch }) => {
      if (patch) return;
      eachContainer(
        spec,
        gaps,
        ({ container, label }) => {
          if ("ephemeral-storage" in (container.resources?.limits ?? {})) return;
          report(
            `${subject} ${label}: has no ephemeral-storage limit, so it can fill the node's disk and get every pod ` +
              `on the node evicted; set resources.limits["ephemeral-storage"].`,
          );
        },
        ["containers", "initContainers"],
      );
    }),
  },
);
