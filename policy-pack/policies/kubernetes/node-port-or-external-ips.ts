// A NodePort opens a port on every node, and externalIPs make kube-proxy answer for addresses the Service
// claims (CVE-2020-8554): either exposes its pods beside every guard in front of coderd, in any namespace.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export const nodePortOrExternalIps = definePolicy(
  {
    responsibilities: ["external-interactions", "ip-depletion-services"],
    severity: "high",
    forbids: "NodePort Services and `externalIPs`, in any namespace",
    references: { kyverno: ["restrict-nodeport", "restrict-service-external-ips"], other: ["CVE-2020-8554"] },
  },
  {
    name: "node-port-or-external-ips",
    description: "No Service in any namespace may be of type NodePort or set externalIPs.",
    enforcementLevel: "mandatory",
    remediationSteps: "Use a ClusterIP Service behind the ingress, or an internal LoadBalancer Service.",
    validateResource: forTypes([K8S.service, K8S.servicePatch], (props, args, report) => {
      const spec = props.spec ?? {};
      if (spec.type === "NodePort")
        report(
          `${subjectOfArgs(args)}: is of type NodePort, opening a port on every node; use ClusterIP behind the ` +
            "ingress or an internal LoadBalancer.",
        );
      if (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
        report(
          `${subjectOfArgs(args)}: sets externalIPs ${spec.externalIPs.join(", ")}, which kube-proxy answers on ` +
            "every node; remove spec.externalIPs.",
        );
    }),
  },
);
