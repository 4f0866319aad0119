// Seed bullet: Kubernetes and networking › Networking › "External interactions (ingress and egress)".
// Reference IDs: Kyverno no-loadbalancer-service (restrict-loadbalancer). Coder chart: coder.service.type
// defaults to LoadBalancer and coder.service.enable to true.
//
// The chart's Service is rendered inside the Helm release, where no Service policy sees it. Left at the
// chart defaults it becomes an internet-facing AWS load balancer in front of coderd.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateCoderChart } from "../../lib/coder";
import { INTERNAL_ANNOTATION_HINT, isInternalLoadBalancer } from "../../lib/load-balancers";

export const coderReleaseInternetFacingService: ResourceValidationPolicy = {
  name: "coder-release-internet-facing-service",
  description: `The Coder release's Service, if of type LoadBalancer (the chart default), must carry an internal-scheme annotation in coder.service.annotations.`,
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: `Set values.coder.service.annotations to ${INTERNAL_ANNOTATION_HINT}, or values.coder.service.type to ClusterIP behind an internal ingress. If Coder must be public, set this policy to advisory for that stack.`,
  validateResource: validateCoderChart(({ coder, subject, report }) => {
    const service = coder.service ?? {};
    if (service.enable === false) return;
    const type = service.type ?? "LoadBalancer";
    if (type !== "LoadBalancer") return;
    if (isInternalLoadBalancer(service.annotations ?? {})) return;
    report(
      `${subject}: coder.service.type is ${service.type === undefined ? "unset (the chart defaults to LoadBalancer)" : "LoadBalancer"} without an internal-scheme annotation, so AWS puts coderd on the internet; ` +
        `set values.coder.service.annotations to ${INTERNAL_ANNOTATION_HINT} or use type ClusterIP behind an internal ingress.`,
    );
  }),
};
