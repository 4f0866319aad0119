// CIDR math is delegated to ipaddr.js (small, dependency-free, CommonJS): hand-rolled bit arithmetic for
// IPv4 and IPv6 prefix containment is exactly the kind of code that hides off-by-one bugs.
import * as ipaddr from "ipaddr.js";

export type ParsedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function parseCidr(text: string): ParsedCidr {
  if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(text)) {
    throw new Error(`"${text}" is not a CIDR (expected address/prefix, e.g. 10.0.0.0/16)`);
  }
  try {
    return ipaddr.parseCIDR(text);
  } catch {
    throw new Error(`"${text}" is not a CIDR (expected address/prefix, e.g. 10.0.0.0/16)`);
  }
}

export function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

/** True when every address of `inner` lies inside `outer` (same family). */
export function cidrContains(outer: string, inner: string): boolean {
  const [outerAddr, outerBits] = parseCidr(outer);
  const [innerAddr, innerBits] = parseCidr(inner);
  if (outerAddr.kind() !== innerAddr.kind() || innerBits < outerBits) return false;
  return innerAddr.match(outerAddr, outerBits);
}

export function cidrsOverlap(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function cidrFamily(text: string): "ipv4" | "ipv6" {
  return parseCidr(text)[0].kind();
}

/** The well-known instance metadata endpoint that every cloud serves to pods unless a policy stops them. */
export const CLOUD_METADATA_CIDR = "169.254.169.254/32";
export const CLOUD_METADATA_CIDR_V6 = "fd00:ec2::254/128";
