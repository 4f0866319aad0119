// The upgrade planner (docs/responsibility.md row `node-upgrades`): from the versions running now and the
// version the stack asks for, decides what one `up` may change, or refuses with the sequence of `up`s that
// gets there. EKS upgrades the control plane one minor at a time, and only while every managed node group
// runs the control plane's minor (UpdateClusterVersion); node groups may never run ahead of the control
// plane, nor lag it by more than three minors from 1.28 (two before) — the rule the policy pack's
// `node-version-skew` judges on the declared resources. Pure: the live versions come from current.ts.
import { nodeSkewLimit, parseMinor } from "../../../policy-pack/contract";
import { minorOf, minorsBetween, nextMinor } from "./channels";

/** The version a cluster, node group or add-on runs now, or the literal "absent" when it does not exist yet. */
export type Live = string;

export interface LiveVersions {
  /** The control plane's Kubernetes version. */
  readonly controlPlane: string;
  /** Each managed node group the stack declares, by EKS node group name. */
  readonly nodeGroups: Readonly<Record<string, Live>>;
  /** Each managed add-on's version, by add-on name. */
  readonly addons: Readonly<Record<string, Live>>;
}

/** The live versions, or "absent" on the first deploy. */
export type CurrentVersions = LiveVersions | "absent";

export interface UpgradeTarget {
  /** The control plane minor the stack asks for (from the channel or a pin). */
  readonly version: string;
  /** The node groups the stack declares, by EKS node group name. */
  readonly nodeGroups: readonly string[];
  /** Node groups held at an older minor; the rest follow the control plane. */
  readonly nodeGroupPins?: Readonly<Record<string, string>>;
}

export interface VersionChange {
  readonly current: Live;
  readonly target: string;
}

export interface UpgradePlan {
  /** "create" on the first deploy, "upgrade" when any version moves, else "unchanged". */
  readonly kind: "create" | "upgrade" | "unchanged";
  /** The control plane version this `up` sets. */
  readonly controlPlane: VersionChange;
  /** The version this `up` sets on each declared node group. */
  readonly nodeGroups: Readonly<Record<string, VersionChange>>;
}

/** What the next `up` changes, and in which order it applies it. */
export interface UpgradeReport {
  readonly controlPlane: VersionChange;
  readonly addons: Readonly<Record<string, VersionChange>>;
  readonly nodeGroups: Readonly<Record<string, VersionChange>>;
  /** The steps of the next `up`, in the order it applies them; empty when nothing moves. */
  readonly order: readonly string[];
}

/** A change one `up` cannot make; `steps` are the `up`s to run instead, in order. */
export class UpgradeSequenceError extends Error {
  constructor(
    reason: string,
    readonly steps: readonly string[],
  ) {
    super(
      steps.length === 0
        ? reason
        : `${reason}. Run these instead, one \`up\` each:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}`,
    );
    this.name = "UpgradeSequenceError";
  }
}

/** How many minors a managed node group may lag a control plane on `controlPlane` (EKS version skew). */
export function maxNodeSkew(controlPlane: string): number {
  const parsed = parseMinor(controlPlane);
  if (!parsed) throw new Error(`"${controlPlane}" is not a Kubernetes version`);
  return nodeSkewLimit(parsed);
}

function upStep(from: string, to: string): string {
  return `set version ${to} and run up (control plane ${from}→${to}, then add-ons, then node groups)`;
}

function checkPin(name: string, pin: string, controlPlane: string, current: Live): void {
  const lag = minorsBetween(pin, controlPlane);
  if (lag < 0) {
    throw new UpgradeSequenceError(
      `node group ${name} is pinned to ${pin}, ahead of the control plane's ${controlPlane}; EKS refuses that`,
      [],
    );
  }
  if (lag > maxNodeSkew(controlPlane)) {
    throw new UpgradeSequenceError(
      `node group ${name} is pinned to ${pin}, ${lag} minors behind the control plane's ${controlPlane} ` +
        `(EKS supports at most ${maxNodeSkew(controlPlane)}); raise the pin`,
      [],
    );
  }
  if (current !== "absent" && minorsBetween(minorOf(current), pin) < 0) {
    throw new UpgradeSequenceError(
      `node group ${name} runs ${minorOf(current)} and is pinned to ${pin}; EKS cannot downgrade a node group`,
      [],
    );
  }
}

/**
 * Decides what the next `up` sets. Throws UpgradeSequenceError for a change EKS would refuse part-way
 * through an `up`: skipping a minor, moving the control plane while node groups lag, or downgrading.
 */
export function planUpgrade(current: CurrentVersions, target: UpgradeTarget): UpgradePlan {
  const version = minorOf(target.version);
  const pins = target.nodeGroupPins ?? {};
  for (const name of Object.keys(pins)) {
    if (!target.nodeGroups.includes(name)) throw new Error(`pinned node group ${name} is not declared`);
  }
  const nodeTarget = (name: string) => (pins[name] === undefined ? version : minorOf(pins[name]));

  if (current === "absent") {
    const nodeGroups = Object.fromEntries(
      target.nodeGroups.map((name) => [name, { current: "absent", target: nodeTarget(name) }]),
    );
    for (const name of Object.keys(pins)) checkPin(name, pins[name], version, "absent");
    return { kind: "create", controlPlane: { current: "absent", target: version }, nodeGroups };
  }

  const running = minorOf(current.controlPlane);
  const live = (name: string): Live => current.nodeGroups[name] ?? "absent";
  const step = minorsBetween(running, version);
  if (step < 0) {
    throw new UpgradeSequenceError(
      `the control plane runs ${running} and the stack asks for ${version}; EKS cannot downgrade a cluster`,
      [],
    );
  }
  const present = target.nodeGroups.filter((name) => live(name) !== "absent");
  for (const name of present) {
    if (minorsBetween(running, minorOf(live(name))) > 0) {
      throw new UpgradeSequenceError(
        `node group ${name} runs ${minorOf(live(name))}, ahead of the control plane's ${running}`,
        [],
      );
    }
  }
  const lagging = present.filter((name) => minorOf(live(name)) !== running);
  if (step >= 1 && (step > 1 || lagging.length > 0)) {
    const steps: string[] = [];
    if (lagging.length > 0) {
      const moves = lagging.map((n) => `${n} ${minorOf(live(n))}→${running}`).join(", ");
      steps.push(`keep version ${running} (remove node group pins) and run up (node groups ${moves})`);
    }
    for (let i = 0; i < step; i++) steps.push(upStep(nextMinor(running, i), nextMinor(running, i + 1)));
    const why =
      step > 1
        ? `the stack asks for ${version} while the control plane runs ${running}; EKS upgrades one minor at a time`
        : `the control plane can move ${running}→${version} only once every managed node group runs ${running}; ` +
          `${lagging.map((n) => `${n} runs ${minorOf(live(n))}`).join(", ")}`;
    throw new UpgradeSequenceError(why, steps);
  }
  for (const name of Object.keys(pins)) checkPin(name, pins[name], version, live(name));

  const nodeGroups = Object.fromEntries(
    target.nodeGroups.map((name) => [name, { current: live(name), target: nodeTarget(name) }]),
  );
  const moves =
    step > 0 || Object.values(nodeGroups).some((c) => c.current === "absent" || minorOf(c.current) !== c.target);
  return {
    kind: moves ? "upgrade" : "unchanged",
    controlPlane: { current: running, target: version },
    nodeGroups,
  };
}

function changed(c: VersionChange): boolean {
  return c.current === "absent" || c.current !== c.target;
}

function describe(name: string, c: VersionChange): string {
  return c.current === "absent" ? `${name} (new) at ${c.target}` : `${name} ${c.current}→${c.target}`;
}

/**
 * The report of the next `up`: current and target versions of the control plane, add-ons and node groups,
 * and the order it applies them — control plane, then add-ons (their versions follow the control plane's
 * minor), then node groups (which may never run ahead of the control plane).
 */
export function upgradeReport(plan: UpgradePlan, addons: Readonly<Record<string, VersionChange>>): UpgradeReport {
  const order: string[] = [];
  const cp = plan.controlPlane;
  const cpChanges = cp.current === "absent" || minorOf(cp.current) !== cp.target;
  if (cpChanges) order.push(`control plane: ${describe("Kubernetes", cp)}`);
  const addonMoves = Object.entries(addons).filter(([, c]) => changed(c));
  if (addonMoves.length > 0) order.push(`add-ons: ${addonMoves.map(([n, c]) => describe(n, c)).join(", ")}`);
  const nodeMoves = Object.entries(plan.nodeGroups).filter(
    ([, c]) => c.current === "absent" || minorOf(c.current) !== c.target,
  );
  if (nodeMoves.length > 0) order.push(`node groups: ${nodeMoves.map(([n, c]) => describe(n, c)).join(", ")}`);
  return { controlPlane: cp, addons, nodeGroups: plan.nodeGroups, order };
}
