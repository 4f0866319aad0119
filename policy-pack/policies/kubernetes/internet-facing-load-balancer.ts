// A Service of type LoadBalancer on AWS gets an internet-facing load balancer unless it says otherwise,
// putting whatever it fronts on the internet with one line of YAML. Exposure must be a deliberate choice:
// an internal load balancer by default, and this policy set to advisory for a stack that truly serves
// the internet.
import { annotationsOf } from "../../lib/kubernetes";
import { INTERNAL_ANNOTATION_HINT, isInternalLoadBalancer } from "../../lib/load-balancers";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

const SCHEME_ANNOTATIONS = [
  "service.beta.kubernetes.io/aws-load-balancer-scheme",
  "service.beta.kubernetes.io/aws-load-balancer-internal",
];

export const internetFacingLoadBalancer = definePolicy(
  {
    responsibilities: ["external-interactions"],
    severity: "high",
    forbids: "LoadBalancer Services without an internal-scheme annotation",
    references: { cisEks: ["5.4.3 (context)", "5.4.5 (context)"], kyverno: ["no-loadbalancer-service"] },
  },
  {
    name: "internet-facing-load-balancer",
    description: `Services of type LoadBalancer must request an internal load balancer (${INTERNAL_ANNOTATION_HINT}).`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Annotate the Service ${INTERNAL_ANNOTATION_HINT}, or expose it through an internal ingress. ` +
      `If a stack must serve the internet, set this policy to advisory for that stack and put a WAF in front.`,
    validateResource: forTypes([K8S.service, K8S.servicePatch], (props, args, report) => {
      // A patch that sets the scheme annotations turns an existing load balancer internet-facing whatever
      // type it names (the Service it patches may already be a LoadBalancer).
      if (args.type === K8S.servicePatch && props.spec?.type === undefined) {
        const annotations = annotationsOf(props);
        if (!SCHEME_ANNOTATIONS.some((key) => key in annotations) || isInternalLoadBalancer(annotations)) return;
        report(
          `${subjectOfArgs(args)}: patches the load-balancer scheme annotations to an internet-facing value, so ` +
            `the Service it patches gets an internet-facing load balancer; annotate it ${INTERNAL_ANNOTATION_HINT}.`,
        );
        return;
      }
      if (props.spec?.type !== "LoadBalancer") return;
      if (isInternalLoadBalancer(annotationsOf(props))) return;
      report(
        `${subjectOfArgs(args)}: is a LoadBalancer Service without an internal-scheme annotation, so AWS creates ` +
          `an internet-facing load balancer; annotate it ${INTERNAL_ANNOTATION_HINT}.`,
      );
    }),
  },
);
