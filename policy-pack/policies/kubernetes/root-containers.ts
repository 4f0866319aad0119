// Seed bullet: Kubernetes and networking › Node security › "Access to node user accounts".
// Reference IDs: Kyverno pod-security/restricted require-run-as-nonroot; Checkov CKV_K8S_23 (root
// containers) and CKV_K8S_40; Polaris runAsRootAllowed; coder/coder#16512 (run_as_non_root in the
// Kubernetes template).
//
// UID 0 in a container is UID 0 on the node's filesystem and kernel: one runtime or kernel bug away from
// the node. runAsNonRoot makes the kubelet refuse to start a container that would run as root, whatever
// the image says, so it must hold for every container (set on the pod or on each container).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { eachContainer, validatePodSpec } from "../../lib/workloads";

export const rootContainers: ResourceValidationPolicy = {
  name: "root-containers",
  description: "Every container must run with runAsNonRoot: true (pod or container level) and never with runAsUser: 0.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Set securityContext.runAsNonRoot: true and a non-zero runAsUser (e.g. 1000) on the pod spec, and remove any runAsUser: 0.",
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
};
