// Address ranges as the program writes them into NetworkPolicy ipBlocks and the policy pack judges them.
// ipaddr.js parses addresses; ip-num does the range and set arithmetic (containment, overlap, whether
// several ranges together cover another), because hand-written prefix arithmetic is where off-by-one
// bugs hide.
import * as ipaddr from "ipaddr.js";
import { AbstractIPNum, IPv4CidrRange, IPv6CidrRange, Pool, RangedSet } from "ip-num";

export type IpFamily = "ipv4" | "ipv6";
export type ParsedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** The instance metadata service on EC2 (and most clouds), and its IPv6 address on Nitro instances. */
export const METADATA_ADDRESSES = ["169.254.169.254", "fd00:ec2::254"] as const;
export const CLOUD_METADATA_CIDR = `${METADATA_ADDRESSES[0]}/32`;
export const CLOUD_METADATA_CIDR_V6 = `${METADATA_ADDRESSES[1]}/128`;

/** Every address of each family. */
export const EVERYWHERE = ["0.0.0.0/0", "::/0"] as const;

const IPV4 = /^\d+(\.\d+){3}$/;
// Hex groups with an optional dotted IPv4 tail; no zone index ("%eth0"), which no ipBlock accepts.
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/;

/**
 * Only the spellings the Kubernetes API server accepts: four dotted decimal octets or IPv6 text. ipaddr.js
 * alone would also take "10" or "0xa.0.0.0" and read "010" as octal; the API server rejects the first two
 * and reads leading zeros as decimal, so this does too.
 */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    if (IPV4.test(text)) return ipaddr.IPv4.parse(text.replace(/\b0+(?=\d)/g, ""));
    if (IPV6.test(text)) return ipaddr.IPv6.parse(text);
  } catch {
    // Falls through: not an address.
  }
  return undefined;
}

function tryParseCidr(text: string): ParsedCidr | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const addr = parseAddress(match[1]);
  const bits = Number(match[2]);
  if (!addr || bits > (addr.kind() === "ipv4" ? 32 : 128)) return undefined;
  return [addr, bits];
}

export function parseCidr(text: string): ParsedCidr {
  const parsed = tryParseCidr(text);
  if (!parsed) throw new Error(`"${text}" is not a CIDR (expected address/prefix, e.g. 10.0.0.0/16)`);
  return parsed;
}

export function isCidr(text: string): boolean {
  return tryParseCidr(text) !== undefined;
}

export function cidrFamily(text: string): IpFamily {
  return parseCidr(text)[0].kind();
}

/** The prefix length of a CIDR ("0.0.0.0/0" -> 0), or undefined when it does not parse. */
export function prefixLength(cidr: string): number | undefined {
  return tryParseCidr(cidr)?.[1];
}

interface Range {
  family: IpFamily;
  set: RangedSet<AbstractIPNum>;
}

/** The range of a CIDR (or, when allowed, of a bare address), or undefined when the text is not one. */
function rangeOf(text: string, allowAddress = false): Range | undefined {
  const parsed = allowAddress && !text.includes("/") ? wholeAddress(text) : tryParseCidr(text);
  if (!parsed) return undefined;
  const [addr, bits] = parsed;
  const cidr = `${addr.toNormalizedString()}/${bits}`;
  const range = addr.kind() === "ipv4" ? IPv4CidrRange.fromCidr(cidr) : IPv6CidrRange.fromCidr(cidr);
  return { family: addr.kind(), set: RangedSet.fromCidrRange<IPv4CidrRange | IPv6CidrRange>(range) };
}

function wholeAddress(text: string): ParsedCidr | undefined {
  const addr = parseAddress(text);
  return addr && [addr, addr.kind() === "ipv4" ? 32 : 128];
}

function rangeOrThrow(text: string, allowAddress = false) {
  const range = rangeOf(text, allowAddress);
  if (!range) throw new Error(`"${text}" is not a CIDR (expected address/prefix, e.g. 10.0.0.0/16)`);
  return range;
}

/** True when every address of `inner` lies inside `outer` (same family). Throws on text that is not a CIDR. */
export function cidrContains(outer: string, inner: string): boolean {
  const [o, i] = [rangeOrThrow(outer), rangeOrThrow(inner)];
  return o.family === i.family && o.set.contains(i.set);
}

/** True when the two ranges share at least one address. Throws on text that is not a CIDR. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [x, y] = [rangeOrThrow(a), rangeOrThrow(b)];
  return x.family === y.family && x.set.isOverlapping(y.set);
}

/**
 * True when the ranges together hold every address of `target` (a CIDR or a single address), however they
 * are split: "0.0.0.0/1" and "128.0.0.0/1" cover "0.0.0.0/0". Entries that are not CIDRs (a bare address
 * included) cover nothing, as the API server rejects them; a `target` that is neither is an error.
 */
export function rangesCover(ranges: readonly unknown[], target: string): boolean {
  const wanted = rangeOrThrow(target, true);
  const sets = ranges
    .map((r) => (typeof r === "string" ? rangeOf(r) : undefined))
    .filter((r): r is Range => r !== undefined && r.family === wanted.family)
    .map((r) => r.set);
  // With no usable entry the pool is empty, aggregates to no ranges, and covers nothing.
  return Pool.fromRangeSet(sets)
    .aggregate()
    .getRanges()
    .some((merged) => merged.contains(wanted.set));
}

/** Whether `cidr` covers `address`. A CIDR that does not parse covers nothing: the API server rejects it. */
export function cidrCovers(cidr: string, address: string): boolean {
  return rangesCover([cidr], address);
}

/** Which of the "everywhere" ranges the given ranges cover together (however they are split). */
export function everywhereCovered(ranges: readonly unknown[]): Array<(typeof EVERYWHERE)[number]> {
  return EVERYWHERE.filter((all) => rangesCover(ranges, all));
}

/** An ipBlock as NetworkPolicies write it: a range and the ranges carved out of it. */
export interface Block {
  readonly cidr?: unknown;
  readonly except?: readonly unknown[];
}

/** A range as its first and last address, as numbers. */
type Interval = readonly [bigint, bigint];

/** The interval of a CIDR of `family`, or undefined when the entry is not one. */
function intervalOf(text: unknown, family: IpFamily): Interval | undefined {
  const range = typeof text === "string" ? rangeOf(text) : undefined;
  if (!range || range.family !== family) return undefined;
  return [range.set.getFirst().getValue(), range.set.getLast().getValue()];
}

/**
 * What is left of `part` once `cut` is taken out: all of it, nothing, or the pieces on either side. `cut` may
 * overlap only one end of `part` (a later except can contain an earlier one), which ip-num's difference
 * refuses, hence plain interval arithmetic here.
 */
function carve([first, last]: Interval, [from, to]: Interval): Interval[] {
  const before: Interval[] = first < from ? [[first, last < from ? last : from - 1n]] : [];
  const after: Interval[] = last > to ? [[first > to ? first : to + 1n, last]] : [];
  return [...before, ...after];
}

/**
 * How many addresses of a family the blocks admit together: each block's range less its own `except`
 * entries, overlaps counted once. Entries that are not CIDRs admit (and carve out) nothing, as the API
 * server rejects them.
 */
export function addressCount(blocks: readonly Block[], family: IpFamily): bigint {
  const remaining: Interval[] = [];
  for (const block of blocks) {
    const range = intervalOf(block.cidr, family);
    if (!range) continue;
    let parts = [range];
    for (const e of block.except ?? []) {
      const cut = intervalOf(e, family);
      if (cut) parts = parts.flatMap((p) => carve(p, cut));
    }
    remaining.push(...parts);
  }
  // Overlaps are counted once by merging the intervals in address order. Intervals that start together are
  // merged alike in either order; the comparator's sign is all sort reads, which Number keeps for any bigint.
  const intervals = remaining.sort((a, b) => Number(a[0] - b[0]));
  let count = 0n;
  let end = -1n;
  for (const [first, last] of intervals) {
    if (last <= end) continue;
    count += last - (first > end ? first : end + 1n) + 1n;
    end = last;
  }
  return count;
}
