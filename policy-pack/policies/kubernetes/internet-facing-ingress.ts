// An Ingress reconciled by the AWS Load Balancer Controller (or EKS Auto Mode) becomes an ALB; the ALB is
// internal unless the Ingress's scheme annotation, or the IngressClassParams its class points to, says
// internet-facing. Either puts what the Ingress routes to on the internet.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { definePolicy } from "../../lib/metadata";

const SCHEME = "alb.ingress.kubernetes.io/scheme";
const INGRESS_TYPES = ["networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"].flatMap((gv) => [
  `kubernetes:${gv}:Ingress`,
  `kubernetes:${gv}:IngressPatch`,
]);
const PARAMS_TYPES = [
  "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
  "kubernetes:eks.amazonaws.com/v1:IngressClassParams",
];

export const internetFacingIngress = definePolicy(
  {
    responsibilities: ["external-interactions"],
    severity: "high",
    forbids: "Ingresses and IngressClassParams with the `internet-facing` ALB scheme",
    references: {
      other: ["AWS Load Balancer Controller ingress annotations: scheme", "IngressClassParams spec.scheme"],
    },
  },
  {
    name: "internet-facing-ingress",
    description:
      `Ingresses must not set ${SCHEME}: internet-facing, and IngressClassParams must not set scheme: ` +
      "internet-facing (ALBs are internal otherwise).",
    enforcementLevel: "mandatory",
    remediationSteps:
      `Drop the scheme (the controller defaults to internal) or set ${SCHEME}: internal. If a stack must serve the ` +
      "internet, set this policy to advisory for that stack and put a WAF in front.",
    validateResource: forTypes([...INGRESS_TYPES, ...PARAMS_TYPES], (props, args, report) => {
      const scheme = PARAMS_TYPES.includes(args.type) ? props.spec?.scheme : props.metadata?.annotations?.[SCHEME];
      if (scheme !== "internet-facing") return;
      report(
        `${subjectOfArgs(args)}: asks for an internet-facing ALB, putting what it routes to on the internet; ` +
          `set the scheme to internal.`,
      );
    }),
  },
);
