// Seed bullet: Kubernetes and networking › Node security › "Access to node user accounts".
// Reference IDs: CIS EKS 1.8.0 4.2.1 (minimize the admission of privileged containers); Kyverno
// pod-security/baseline disallow-privileged-containers; Checkov CKV_K8S_16; Polaris runAsPrivileged.
//
// A privileged container has every capability and all host devices: it is root on the node, with the
// node's kubelet credentials and IAM role. Coder documents envbox as the only template that needs it;
// that belongs in a separately governed stack, not in this one.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { eachContainer, validatePodSpec } from "../../lib/workloads";

export const privilegedContainers: ResourceValidationPolicy = {
  name: "privileged-containers",
  description: "Pods and pod templates must not run privileged containers (securityContext.privileged: true).",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Remove securityContext.privileged; grant the single capability the workload needs instead (see added-capabilities).",
  validateResource: validatePodSpec(({ spec, subject, gaps, report }) => {
    eachContainer(spec, gaps, ({ container, label }) => {
      if (container.securityContext?.privileged === true) {
        report(
          `${subject} ${label}: runs privileged, which is root on the node with all devices and the node's credentials; remove securityContext.privileged.`,
        );
      }
    });
  }),
};
