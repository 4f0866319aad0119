// Who reaches the EKS API endpoint (docs/responsibility.md row `control-plane-access`): the private
// endpoint always, the public one only when the stack lists CIDRs (CIS EKS 5.4.1/5.4.2), and never from a
// list that together spans every address — "0.0.0.0/1" plus "128.0.0.0/1" is as open as "0.0.0.0/0".
import { cidrFamily, everywhereCovered, isCidr } from "../../../policy-pack/contract";

/** CloudWatch Logs' accepted retention periods, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Refuses malformed CIDRs and a list that together covers the whole IPv4 or IPv6 space. */
export function checkApiCidrs(what: string, cidrs: readonly string[]): void {
  const bad = cidrs.filter((c) => !isCidr(c));
  if (bad.length > 0)
    throw new Error(`${what}: ${bad.join(", ")} ${bad.length > 1 ? "are not CIDRs" : "is not a CIDR"}`);
  const [everything] = everywhereCovered(cidrs);
  if (everything !== undefined) {
    throw new Error(
      `${what} together cover ${everything}, which opens the Kubernetes API to the internet; ` +
        "list only your administrators' networks",
    );
  }
}

export interface EndpointAccess {
  readonly endpointPrivateAccess: true;
  readonly endpointPublicAccess: boolean;
  readonly publicAccessCidrs?: string[];
}

/** The cluster's vpcConfig endpoint settings: public access only with an explicit, bounded list. */
export function endpointAccess(publicAccessCidrs: readonly string[] = []): EndpointAccess {
  if (publicAccessCidrs.length === 0) return { endpointPrivateAccess: true, endpointPublicAccess: false };
  checkApiCidrs("publicAccessCidrs", publicAccessCidrs);
  return { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...publicAccessCidrs] };
}

export interface ApiIngress {
  readonly description: string;
  readonly protocol: "tcp";
  readonly fromPort: 443;
  readonly toPort: 443;
  readonly cidrBlocks: string[];
  readonly ipv6CidrBlocks: string[];
}

/** The single 443 rule for networks that reach the private endpoint from outside the cluster's VPC. */
export function apiIngress(cidrs: readonly string[]): ApiIngress {
  checkApiCidrs("privateApiCidrs", cidrs);
  return {
    description: "Kubernetes API from the listed administrator networks",
    protocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrBlocks: cidrs.filter((c) => cidrFamily(c) === "ipv4"),
    ipv6CidrBlocks: cidrs.filter((c) => cidrFamily(c) === "ipv6"),
  };
}
