// UID 0 in a container is UID 0 on the node's filesystem and kernel: one runtime or kernel bug away from
// the node. runAsNonRoot makes the kubelet refuse to start a container that would run as root, whatever
// the image says, so it must hold for every container (set on the pod or on each container).
import { eachContainer, validatePodSpec } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

export const rootContainers = definePolicy(
  {
    responsibilities: ["node-user-accounts"],
    severity: "high",
    forbids: "Containers without `runAsNonRoot: true`, or with `runAsUser: 0`",
    references: {
      kyverno: ["require-run-as-nonroot"],
      checkov: ["CKV_K8S_23", "CKV_K8S_40"],
      other: ["Polaris runAsRootAllowed", "coder/coder#16512"],
    },
  },
  {
    name: "root-containers",
    description:
      "Every container must run with runAsNonRoot: true (pod or container level) and never with runAsUser: 0.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set securityContext.runAsNonRoot: true and a non-zero runAsUser (e.g. 1000) on the pod spec, and remove any " +
      "runAsUser: 0.",
    validateResource: validatePodSpec(({ spec, subject, gaps, report, patch }) => {
      const pod = spec.securityContext ?? {};
      gaps.judge(() => {
        if (pod.runAsUser === 0)
          report(`${subject}: pod securityContext.runAsUser is 0 (root); set a non-zero UID such as 1000.`);
      });
      eachContainer(spec, gaps, ({ container, label }) => {
        const own = container.securityContext ?? {};
        if (own.runAsUser === 0) {
          report(`${subject} ${label}: securityContext.runAsUser is 0 (root); set a non-zero UID such as 1000.`);
          return;
        }
        const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
        // A patch changes only what it names; absence there says nothing about the live object.
        if (nonRoot === false || (!patch && nonRoot !== true)) {
          report(
            `${subject} ${label}: may run as root (runAsNonRoot is ${nonRoot === false ? "false" : "not set"}); ` +
              "set securityContext.runAsNonRoot: true on the pod or the container.",
          );
        }
      });
    }),
  },
);
