// Address-range containment for NetworkPolicy ipBlocks. ipaddr.js does the IPv4/IPv6 parsing, because
// hand-written prefix arithmetic is where off-by-one bugs hide.
import * as ipaddr from "ipaddr.js";

/** The instance metadata service on EC2 (and most clouds), and its IPv6 address on Nitro instances. */
export const METADATA_ADDRESSES = ["169.254.169.254", "fd00:ec2::254"] as const;

function parse(cidr: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    return ipaddr.parseCIDR(cidr);
  } catch {
    return undefined;
  }
}

/** Whether `cidr` covers `address`. A CIDR that does not parse covers nothing: the API server rejects it. */
export function cidrCovers(cidr: string, address: string): boolean {
  const range = parse(cidr);
  if (!range) return false;
  const addr = ipaddr.parse(address);
  if (addr.kind() !== range[0].kind()) return false;
  return addr.match(range);
}

/** The prefix length of a CIDR ("0.0.0.0/0" -> 0), or undefined when it does not parse. */
export function prefixLength(cidr: string): number | undefined {
  return parse(cidr)?.[1];
}
