// Address-space sizing shared by the AWS network layer and the policy pack: how many addresses a range
// holds, how to carve equal subnets out of a VPC range, and which prefix length is the smallest block that
// holds a given number of addresses. ip-num does the range arithmetic, so no prefix maths is hand-written.
import * as ipaddr from "ipaddr.js";
import { IPv4CidrRange, IPv4Prefix, IPv6CidrRange, IPv6Prefix } from "ip-num";
import { parseCidr } from "./cidr";

function cidrRange(cidr: string): IPv4CidrRange | IPv6CidrRange {
  const [addr, bits] = parseCidr(cidr);
  // ip-num keeps host bits in the range's first address; ipaddr.js clears them.
  const network =
    addr.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${bits}`);
  const text = `${network.toNormalizedString()}/${bits}`;
  return addr.kind() === "ipv4" ? IPv4CidrRange.fromCidr(text) : IPv6CidrRange.fromCidr(text);
}

/** How many addresses a block of the given prefix length holds (24 -> 256n for IPv4). */
export function prefixSize(bits: number, family: "ipv4" | "ipv6" = "ipv4"): bigint {
  return family === "ipv4"
    ? IPv4Prefix.fromNumber(BigInt(bits)).toRangeSize()
    : IPv6Prefix.fromNumber(BigInt(bits)).toRangeSize();
}

/** How many addresses the range holds ("10.0.0.0/24" -> 256n). Throws on text that is not a CIDR. */
export function cidrSize(cidr: string): bigint {
  return cidrRange(cidr).getSize();
}

/** The CIDR with its host bits cleared, in normal form ("10.0.0.7/24" -> "10.0.0.0/24"). */
export function networkOf(cidr: string): string {
  return cidrRange(cidr).toCidrString();
}

/**
 * The first `count` consecutive `/newPrefix` subnets of `parent`, skipping the first `skip` of them (so two
 * callers can take disjoint slices of one range). Throws when the parent is too small to hold them or when
 * `newPrefix` is shorter than the parent's prefix.
 */
export function subnetCidrs(parent: string, newPrefix: number, count: number, skip = 0): string[] {
  const outer = cidrRange(parent);
  const parentBits = Number(outer.getPrefix().getValue());
  const maxBits = outer instanceof IPv4CidrRange ? 32 : 128;
  if (!Number.isInteger(newPrefix) || newPrefix < parentBits || newPrefix > maxBits) {
    throw new Error(`cannot split ${parent} into /${newPrefix} subnets (prefix must be ${parentBits}..${maxBits})`);
  }
  const available = outer.getSize() / prefixSize(newPrefix, maxBits === 32 ? "ipv4" : "ipv6");
  if (BigInt(skip + count) > available) {
    throw new Error(
      `${parent} holds ${available} /${newPrefix} subnets; ${skip + count} are needed ` +
        `(${skip} skipped, ${count} taken)`,
    );
  }
  const first = `${outer.getFirst().toString()}/${newPrefix}`;
  let current: IPv4CidrRange | IPv6CidrRange | undefined =
    outer instanceof IPv4CidrRange ? IPv4CidrRange.fromCidr(first) : IPv6CidrRange.fromCidr(first);
  const result: string[] = [];
  for (let i = 0; i < skip + count && current; i++) {
    if (i >= skip) result.push(current.toCidrString());
    current = current.nextRange();
  }
  return result;
}

/**
 * The longest prefix length (the smallest block) whose range holds `addresses` usable addresses after
 * `reserved` of each block are set aside (AWS keeps 5 per subnet); undefined when even a /0 cannot.
 */
export function smallestPrefixHolding(addresses: number, reserved = 0, family: "ipv4" | "ipv6" = "ipv4") {
  const maxBits = family === "ipv4" ? 32 : 128;
  for (let bits = maxBits; bits >= 0; bits--) {
    const size = prefixSize(bits, family);
    if (size - BigInt(reserved) >= BigInt(Math.max(addresses, 0))) return bits;
  }
  return undefined;
}
