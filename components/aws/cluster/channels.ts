// Upgrade channels: which Kubernetes minor an EKS cluster runs and which EKS support policy it is on
// (Coder's shared-responsibility model, docs/responsibility.md row `node-upgrades`: "Upgrades to keep up
// with Kubernetes"). A stack names a channel and moves with it when this table is reviewed, or pins a
// version; either way the upgrade planner (upgrades.ts) decides whether one `up` may get there.
import { formatMinor, parseMinor } from "../../../policy-pack/contract";

/** The release channels a stack may follow, newest first. */
export const CHANNELS = ["rapid", "regular", "stable", "extended"] as const;
export type Channel = (typeof CHANNELS)[number];

export type SupportType = "STANDARD" | "EXTENDED";

/**
 * The one table mapping channels to Kubernetes minors. Reviewed against the EKS release calendar on
 * 2026-12-01, assuming 1.36 is the newest EKS minor then (the kube-apiserver the project's e2e suite runs,
 * scripts/e2e-tools.sh). rapid is the newest minor, regular one behind it, stable two behind; extended is
 * 1.33, past its 14 months of standard support (released May 2025) and inside the 12 months of extended
 * support. Review it whenever EKS releases or retires a minor: a stack on a channel then moves one minor
 * per `up`, as the planner allows.
 */
export const CHANNEL_TABLE: { readonly reviewed: string; readonly minors: Readonly<Record<Channel, string>> } = {
  reviewed: "2026-12-01",
  minors: { rapid: "1.36", regular: "1.35", stable: "1.34", extended: "1.33" },
};

/** The minor of a version, as "1.35". Throws on text that is not a Kubernetes version. */
export function minorOf(version: string): string {
  const parsed = parseMinor(version);
  if (!parsed) throw new Error(`"${version}" is not a Kubernetes version (expected e.g. "1.35")`);
  return formatMinor(parsed);
}

/** How many minors `to` is ahead of `from` (negative when behind). Both must share the major version. */
export function minorsBetween(from: string, to: string): number {
  const [a, b] = [parseMinor(from), parseMinor(to)];
  if (!a || !b) throw new Error(`cannot compare Kubernetes versions "${from}" and "${to}"`);
  if (a.major !== b.major) throw new Error(`cannot compare Kubernetes versions across majors: ${from}, ${to}`);
  return b.minor - a.minor;
}

/** The minor `steps` after `version` ("1.34", 1 -> "1.35"). */
export function nextMinor(version: string, steps = 1): string {
  const parsed = parseMinor(version);
  if (!parsed) throw new Error(`"${version}" is not a Kubernetes version (expected e.g. "1.35")`);
  return `${parsed.major}.${parsed.minor + steps}`;
}

export interface ChannelChoice {
  /** The release channel; its minor comes from CHANNEL_TABLE. */
  readonly channel: Channel;
  /** A Kubernetes minor ("1.35") that overrides the channel's. */
  readonly version?: string;
}

export interface ResolvedChannel {
  /** The Kubernetes minor the stack asks for. */
  readonly version: string;
  /** Where it came from: the channel's table entry or the pinned version. */
  readonly source: "channel" | "pinned";
  /** EKS support policy: EXTENDED only on the extended channel (it costs more and delays upgrades). */
  readonly supportType: SupportType;
}

export function resolveChannel(choice: ChannelChoice): ResolvedChannel {
  if (!CHANNELS.includes(choice.channel)) {
    throw new Error(`unknown upgrade channel "${String(choice.channel)}" (expected one of ${CHANNELS.join(", ")})`);
  }
  const supportType: SupportType = choice.channel === "extended" ? "EXTENDED" : "STANDARD";
  if (choice.version === undefined) {
    return { version: CHANNEL_TABLE.minors[choice.channel], source: "channel", supportType };
  }
  // EKS takes a minor only; a patch would look like a change on every preview.
  if (!/^1\.\d+$/.test(choice.version)) {
    throw new Error(`pinned version "${choice.version}" must be a Kubernetes minor such as "1.35"`);
  }
  return { version: choice.version, source: "pinned", supportType };
}
