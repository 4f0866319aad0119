// Advisory by default: the runtime's default seccomp profile blocks syscalls used in container escapes,
// but an unset profile on EKS means Unconfined. The remediation (off unless the level is set to
// remediate) adds seccompProfile RuntimeDefault at pod level where no container sets a profile of its
// own; it changes no data and no explicitly chosen profile.
import { updateIn } from "../../lib/copy";
import { Props } from "../../lib/policy";
import { PreviewGaps } from "../../lib/unknowns";
import { eachContainer, podSpecOf, validatePodSpec, WORKLOAD_TYPES } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

const CONFINING = ["RuntimeDefault", "Localhost"];

function podSpecPath(type: string): string[] {
  const kind = type.slice(type.lastIndexOf(":") + 1);
  if (kind === "Pod") return ["spec"];
  if (kind === "CronJob") return ["spec", "jobTemplate", "spec", "template", "spec"];
  return ["spec", "template", "spec"];
}

export const missingSeccompProfile = definePolicy(
  {
    responsibilities: ["node-user-accounts"],
    severity: "medium",
    forbids: "Containers without a RuntimeDefault/Localhost seccomp profile",
    references: {
      kyverno: ["restrict-seccomp-strict"],
      checkov: ["CKV_K8S_31"],
      other: ["kube-score container-seccomp-profile"],
    },
  },
  {
    name: "missing-seccomp-profile",
    description:
      "Every container must run under a RuntimeDefault or Localhost seccomp profile (set on the pod or the container).",
    enforcementLevel: "advisory",
    remediationSteps:
      "Set securityContext.seccompProfile: {type: RuntimeDefault} on the pod spec. At the remediate level the pack " +
      "adds it when no container sets a profile.",
    validateResource: validatePodSpec(({ spec, subject, gaps, report, patch }) => {
      const podProfile = spec.securityContext?.seccompProfile?.type;
      eachContainer(spec, gaps, ({ container, label }) => {
        const type = container.securityContext?.seccompProfile?.type ?? podProfile;
        if (type === undefined && patch) return;
        if (CONFINING.includes(type)) return;
        report(
          `${subject} ${label}: runs ` +
            `${type === undefined ? "without a seccomp profile (Unconfined)" : `with seccomp profile ${type}`}; set ` +
            `securityContext.seccompProfile.type: RuntimeDefault.`,
        );
      });
    }),
    remediateResource: (args) => {
      if (!WORKLOAD_TYPES.includes(args.type) || args.type.endsWith("Patch"))
        args.notApplicable("Policy only remediates complete workload resources");
      const spec = podSpecOf(args.type, args.props);
      if (!spec || spec.securityContext?.seccompProfile) return undefined;
      let containerSetsProfile = false;
      const gaps = new PreviewGaps();
      eachContainer(
        spec,
        gaps,
        ({ container }) => (containerSetsProfile ||= container.securityContext?.seccompProfile !== undefined),
      );
      gaps.settle();
      if (containerSetsProfile) return undefined;
      return updateIn(args.props, [...podSpecPath(args.type), "securityContext"], (sc: Props) => ({
        ...sc,
        seccompProfile: { type: "RuntimeDefault" },
      }));
    },
  },
);
