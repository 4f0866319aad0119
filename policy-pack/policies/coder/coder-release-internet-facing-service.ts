// The chart's Service is rendered inside the Helm release, where no Service policy sees it. Left at the
// chart defaults it becomes an internet-facing AWS load balancer in front of coderd.
import { validateCoderChart } from "../../lib/coder";
import { INTERNAL_HINT, internetFacingReason } from "../../lib/exposure";
import { definePolicy } from "../../lib/metadata";

export const coderReleaseInternetFacingService = definePolicy(
  {
    responsibilities: ["external-interactions"],
    severity: "high",
    forbids: "The chart's LoadBalancer Service that its controller (in-tree or AWS LBC) makes internet-facing",
    references: {
      kyverno: ["no-loadbalancer-service"],
      other: ["Coder chart coder.service.type (default LoadBalancer)"],
    },
  },
  {
    name: "coder-release-internet-facing-service",
    description:
      `The Coder release's Service, if of type LoadBalancer (the chart default), must carry the internal ` +
      `annotation the controller that reconciles it reads, in coder.service.annotations.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Set values.coder.service.annotations to ${INTERNAL_HINT}, or ` +
      `values.coder.service.type to ClusterIP behind an internal ingress. If Coder must be public, set this policy ` +
      `to advisory for that stack.`,
    validateResource: validateCoderChart(({ coder, subject, report }) => {
      const service = coder.service ?? {};
      if (service.enable === false) return;
      const type = service.type ?? "LoadBalancer";
      if (type !== "LoadBalancer") return;
      const reason = internetFacingReason(service.annotations ?? {}, service.loadBalancerClass);
      if (reason === undefined) return;
      report(
        `${subject}: coder.service.type is ` +
          `${service.type === undefined ? "unset (the chart defaults to LoadBalancer)" : "LoadBalancer"} and ` +
          `${reason}, so AWS puts coderd on the internet; ` +
          `set values.coder.service.annotations to ${INTERNAL_HINT} or use type ClusterIP behind an ` +
          `internal ingress.`,
      );
    }),
  },
);
