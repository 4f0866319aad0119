// Whether a LoadBalancer Service ends up internet-facing, judged by the controller that will reconcile it.
// The AWS Load Balancer Controller (and EKS Auto Mode) take Services with their loadBalancerClass or
// aws-load-balancer-type external/nlb-ip and read aws-load-balancer-scheme; every other Service goes to the
// in-tree controller, which ignores the scheme annotation and makes an internal load balancer only when
// aws-load-balancer-internal is set to anything but "false" (kubernetes/website#15771, cloud-provider-aws).
const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";
const TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";
const CONTROLLER_CLASSES = ["service.k8s.aws/nlb", "eks.amazonaws.com/nlb"];
const CONTROLLER_TYPES = ["external", "nlb-ip"];

export const INTERNAL_HINT =
  `${TYPE}: external with ${SCHEME}: internal (AWS Load Balancer Controller), ` + `or ${INTERNAL}: "true" (in-tree)`;

/**
 * Why a patch's load-balancer annotations make the Service it patches internet-facing, or undefined when it
 * sets none or asks for internal. The patched Service's controller is not in the patch, so any scheme
 * annotation must say internal in a form one of the controllers reads.
 */
export function patchedSchemeReason(annotations: Record<string, unknown>): string | undefined {
  if (!(SCHEME in annotations) && !(INTERNAL in annotations)) return undefined;
  const internal = annotations[INTERNAL];
  if (annotations[SCHEME] === "internal") return undefined;
  if (internal !== undefined && internal !== "" && internal !== "false" && internal !== false) return undefined;
  return `its ${SCHEME in annotations ? SCHEME : INTERNAL} is ${JSON.stringify(annotations[SCHEME] ?? internal)}`;
}

/** Why a LoadBalancer Service is internet-facing, or undefined when it is internal. */
export function internetFacingReason(
  annotations: Record<string, unknown>,
  loadBalancerClass: unknown,
): string | undefined {
  const scheme = annotations[SCHEME];
  const internal = annotations[INTERNAL];
  const controller =
    (typeof loadBalancerClass === "string" && CONTROLLER_CLASSES.includes(loadBalancerClass)) ||
    (loadBalancerClass === undefined && CONTROLLER_TYPES.includes(String(annotations[TYPE])));
  if (controller) {
    if (scheme === "internal") return undefined;
    if (scheme === undefined && (internal === "true" || internal === true)) return undefined;
    return scheme === undefined
      ? "the AWS Load Balancer Controller gets no internal-scheme annotation"
      : `its scheme is ${JSON.stringify(scheme)}`;
  }
  if (typeof loadBalancerClass === "string")
    return `its loadBalancerClass ${JSON.stringify(loadBalancerClass)} is a controller the pack cannot read`;
  if (internal !== undefined && internal !== "" && internal !== "false" && internal !== false) return undefined;
  return scheme === "internal"
    ? `the in-tree controller reconciles it and ignores ${SCHEME}`
    : "the in-tree controller creates an internet-facing load balancer by default";
}
