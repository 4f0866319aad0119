// A privileged container has every capability and all host devices: it is root on the node, with the
// node's kubelet credentials and IAM role. Coder documents envbox as the only template that needs it;
// that belongs in a separately governed stack, not in this one.
import { eachContainer, validatePodSpec } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

export const privilegedContainers = definePolicy(
  {
    responsibilities: ["node-user-accounts"],
    severity: "critical",
    forbids: "`securityContext.privileged: true`",
    references: {
      cisEks: ["4.2.1"],
      kyverno: ["disallow-privileged-containers"],
      checkov: ["CKV_K8S_16"],
      other: ["Polaris runAsPrivileged"],
    },
  },
  {
    name: "privileged-containers",
    description: "Pods and pod templates must not run privileged containers (securityContext.privileged: true).",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove securityContext.privileged; grant the single capability the workload needs instead (see " +
      "added-capabilities).",
    validateResource: validatePodSpec(({ spec, subject, gaps, report }) => {
      eachContainer(spec, gaps, ({ container, label }) => {
        if (container.securityContext?.privileged === true) {
          report(
            `${subject} ${label}: runs privileged, which is root on the node with all devices and the node's ` +
              `credentials; remove securityContext.privileged.`,
          );
        }
      });
    }),
  },
);
