// Pod Security Admission guards what coderd creates at run time; what the stack itself deploys must meet
// the same bar before it reaches the cluster, in every namespace: baseline everywhere, restricted where the
// namespace enforces restricted. An explicit opt-out (Unconfined seccomp or AppArmor, allowPrivilegeEscalation
// true) is a decision to weaken the pod, so it is blocked, not advised. Custom resources with a pod
// template are judged like workloads.
import { PolicyResource } from "@pulumi/policy";
import { PSA_PREFIX } from "../../contract";
import { labelsOf, namespaceOf } from "../../lib/kubernetes";
import { subjectOfResource } from "../../lib/policy";
import { baselineFindings, podAnnotationsOf, restrictedFindings } from "../../lib/pod-security";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { podSpecsOf } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

const ENFORCE = `${PSA_PREFIX}/enforce`;

function restrictedNamespaces(resources: PolicyResource[], gaps: PreviewGaps): Set<string> {
  const names = new Set<string>();
  for (const r of resources) {
    if (r.type !== K8S.namespace && r.type !== K8S.namespacePatch) continue;
    gaps.judge(() => {
      if (labelsOf(r.props)[ENFORCE] === "restricted") names.add(String(r.props.metadata.name));
    });
  }
  return names;
}

export const podSecurityStandards = definePolicy(
  {
    responsibilities: ["node-user-accounts"],
    severity: "high",
    forbids:
      "Pods breaking PSS baseline (host ports, procMount, SELinux spc_t, Unconfined seccomp/AppArmor, unsafe " +
      "sysctls, allowPrivilegeEscalation true, inline cloud volumes) or restricted where enforced",
    references: {
      cisEks: ["4.2.5", "4.2.6 (context)"],
      kyverno: ["disallow-host-ports", "disallow-proc-mount", "disallow-selinux", "restrict-apparmor-profiles"],
      other: ["Kubernetes Pod Security Standards v1.33"],
    },
  },
  {
    name: "pod-security-standards",
    description:
      "Every pod the stack defines (workloads and custom resources with a pod template) must meet the Pod " +
      "Security Standards baseline, and restricted in namespaces that enforce restricted; explicit Unconfined " +
      "profiles, allowPrivilegeEscalation: true and inline cloud or network volumes are forbidden everywhere.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove host ports, procMount, SELinux type overrides, Unconfined profiles and unsafe sysctls; set " +
      "allowPrivilegeEscalation: false; mount storage through PersistentVolumeClaims. In restricted namespaces " +
      "also set runAsNonRoot, a RuntimeDefault seccomp profile and drop ALL capabilities.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const restricted = restrictedNamespaces(args.resources, gaps);
      for (const r of args.resources) {
        gaps.judge(() => {
          const specs = podSpecsOf(r.type, r.props);
          if (specs.length === 0) return;
          const ns = namespaceOf(r);
          for (const spec of specs) {
            const base = baselineFindings(spec, podAnnotationsOf(r.type, r.props), gaps);
            if (base.length > 0)
              report(
                `${subjectOfResource(r)}: breaks Pod Security baseline: ${base.join("; ")}; remove these settings.`,
                r.urn,
              );
            if (!restricted.has(ns) || r.type.endsWith("Patch")) continue;
            const strict = restrictedFindings(spec, gaps);
            if (strict.length > 0)
              report(
                `${subjectOfResource(r)}: namespace "${ns}" enforces restricted, but ${strict.join("; ")}; ` +
                  "meet the restricted profile.",
                r.urn,
              );
          }
        });
      }
      gaps.settle();
    },
  },
);
