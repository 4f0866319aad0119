// How AWS load-balancer controllers are told to create an internal (VPC-only) load balancer.
const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";

export const INTERNAL_ANNOTATION_HINT = `${SCHEME}: internal (or ${INTERNAL}: "true")`;

/** Whether the annotations ask for an internal load balancer; both controllers default to internet-facing otherwise. */
export function isInternalLoadBalancer(annotations: Record<string, unknown>): boolean {
  const internal = annotations[INTERNAL];
  return annotations[SCHEME] === "internal" || internal === "true" || internal === true;
}
