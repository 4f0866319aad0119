// report.md: the posture report of one stack's plan. One row per row of docs/responsibility.md (one per
// bullet of Coder's shared-responsibility model) with the controls this plan contains, the policies that
// guard the row and their verdicts; the AWS layer's IP capacity plan and upgrade report; the network
// diagram derived from the planned NetworkPolicies; and every violation by level.
import { describedPolicies } from "../../policy-pack/policies";
import { PREVIEW_GAP, Violation } from "../../policy-pack/test/harness/analyzer";
import { ResponsibilityRow } from "../policy-docs";
import { deriveDiagram, mermaid, NetworkPolicyObject } from "./network";
import { PlannedResource, redact, SECRET_TEXT, UNKNOWN_TEXT } from "./outputs";

export const LEVELS: readonly Violation["enforcementLevel"][] = ["mandatory", "advisory", "remediate", "disabled"];

export interface ReportInput {
  stack: string;
  resources: readonly PlannedResource[];
  outputs: Record<string, unknown>;
  violations: readonly Violation[];
  /** Which analyzer judged, in words. */
  analyzer: string;
  rows: readonly ResponsibilityRow[];
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** One policy's verdict on this plan, in words. */
export function verdict(violations: readonly Violation[]): string {
  if (violations.length === 0) return "pass";
  const gaps = violations.filter((v) => PREVIEW_GAP.test(v.message)).length;
  const parts: string[] = [];
  for (const level of LEVELS) {
    const n = violations.filter((v) => v.enforcementLevel === level && !PREVIEW_GAP.test(v.message)).length;
    if (n > 0) parts.push(`${level === "mandatory" ? "FAIL" : level} ×${n}`);
  }
  if (gaps > 0) parts.push(`waits for deploy ×${gaps} (value unknown in a plan)`);
  return parts.join(", ");
}

/** Components the Control cell names (`Name`) that this plan registers, and those it does not. */
function controls(row: ResponsibilityRow, components: Set<string>): string {
  // The cell names each component as `Name` (components/<folder>).
  const named = [...new Set([...row.control.matchAll(/`([A-Z][A-Za-z]+)` \(components\//g)].map((m) => m[1]))];
  if (named.length === 0) return cell(row.control);
  const present = named.filter((n) => components.has(n));
  const absent = named.filter((n) => !components.has(n));
  return [
    present.length ? present.map((n) => `\`${n}\``).join(", ") : "none planned",
    ...(absent.length ? [`(not in this stack: ${absent.join(", ")})`] : []),
  ].join(" ");
}

export function responsibilityTable(input: ReportInput): string[] {
  const components = new Set(
    input.resources.filter((r) => r.type.startsWith("coder-blueprint:")).map((r) => r.type.split(":")[2]),
  );
  const lines = [
    "| Key | Responsibility | Controls in this plan | Guarding policies: verdict |",
    "| --- | --- | --- | --- |",
  ];
  for (const row of input.rows) {
    if (row.control.startsWith("(see sub-bullets)")) {
      lines.push(`| \`${row.key}\` | ${cell(row.bullet)} | (see sub-bullets) | (see sub-bullets) |`);
      continue;
    }
    const guards = describedPolicies.filter((p) =>
      (p.metadata.responsibilities as readonly string[]).includes(row.key),
    );
    const verdicts = guards.map(
      (p) => `\`${p.name}\`: ${verdict(input.violations.filter((v) => v.policyName === p.name))}`,
    );
    const cellText = verdicts.length ? verdicts.join("<br>") : "(in-cluster rules only)";
    lines.push(`| \`${row.key}\` | ${cell(row.bullet)} | ${controls(row, components)} | ${cellText} |`);
  }
  return lines;
}

export function networkPolicies(resources: readonly PlannedResource[]): NetworkPolicyObject[] {
  return resources
    .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .map((r) => redact(r.inputs, { secret: () => SECRET_TEXT, unknown: () => UNKNOWN_TEXT }) as NetworkPolicyObject);
}

function networkSection(resources: readonly PlannedResource[]): string[] {
  const diagram = deriveDiagram(networkPolicies(resources));
  const deny = [...diagram.defaultDeny].map(([ns, dirs]) => `\`${ns}\` (${dirs.join(" and ")})`);
  return [
    "## Network boundaries",
    "",
    `Derived from the ${networkPolicies(resources).length} planned NetworkPolicies: an arrow is a connection ` +
      "the policies allow its source to open, labelled with the ports. Pod-to-pod traffic also needs the " +
      "other side's policy to allow it.",
    "",
    "```mermaid",
    mermaid(diagram),
    "```",
    "",
    deny.length
      ? `Default deny: in ${deny.join(", ")}, every connection not drawn above is dropped; the ` +
        "`except` ranges of an address block stay closed."
      : "**No default-deny policy is planned**: traffic not drawn above is allowed.",
    "",
  ];
}

function upgradeSection(report: unknown): string[] {
  if (report === undefined) return [];
  const r = report as {
    controlPlane?: { current: string; target?: string };
    addons?: Record<string, { current: string; target?: string }>;
    nodeGroups?: Record<string, { current: string; target?: string }>;
  };
  if (typeof report !== "object" || report === null) return ["## Upgrade report", "", JSON.stringify(report), ""];
  const rows: Array<[string, { current: string; target?: string } | undefined]> = [
    ["control plane", r.controlPlane],
    ...Object.entries(r.addons ?? {}).map(([k, v]): [string, typeof v] => [`add-on ${k}`, v]),
    ...Object.entries(r.nodeGroups ?? {}).map(([k, v]): [string, typeof v] => [`node group ${k}`, v]),
  ];
  return [
    "## Upgrade report",
    "",
    "What the next `up` moves (add-on versions are read from AWS when it runs, so a plan shows them unknown).",
    "",
    "| Part | Now | After `up` |",
    "| --- | --- | --- |",
    ...rows.map(([part, v]) => `| ${part} | ${v?.current ?? UNKNOWN_TEXT} | ${v?.target ?? UNKNOWN_TEXT} |`),
    "",
  ];
}

export function summaryLines(resources: readonly PlannedResource[], violations: readonly Violation[]): string[] {
  const levels = countBy(violations, (v) => v.enforcementLevel);
  return [
    `${resources.length} resources: ` +
      [...countBy(resources, (r) => r.type.split(":")[0])].map(([pkg, n]) => `${n} ${pkg}`).join(", ") +
      " (by type in report.md)",
    "violations: " + LEVELS.map((l) => `${levels.get(l) ?? 0} ${l}`).join(", "),
  ];
}

export function report(input: ReportInput): string {
  const { stack, resources, violations, outputs } = input;
  const levels = countBy(violations, (v) => v.enforcementLevel);
  const ipPlan = outputs.ipPlanMarkdown;
  return [
    `# Plan of the \`${stack}\` stack`,
    "",
    "> **A plan from Pulumi's mock runtime, not a deployment.** The program ran as a first `pulumi preview` " +
      "would run it, with no cloud account, cluster or Pulumi CLI; nothing was created. Values the cloud " +
      `computes at deploy time read \`${UNKNOWN_TEXT}\`; secrets read \`${SECRET_TEXT}\`.`,
    "",
    `Judged by ${input.analyzer}, with \`stacks/policy.${stack}.json\`.`,
    "",
    "## Summary",
    "",
    "| Violations | Count |",
    "| --- | ---: |",
    ...LEVELS.map((l) => `| ${l} | ${levels.get(l) ?? 0} |`),
    "",
    "| Resource type | Count |",
    "| --- | ---: |",
    ...[...countBy(resources, (r) => r.type)].map(([t, n]) => `| \`${t}\` | ${n} |`),
    "",
    "## Coder's shared-responsibility model",
    "",
    "One row per row of [docs/responsibility.md](../../../docs/responsibility.md).",
    "",
    ...responsibilityTable(input),
    "",
    ...networkSection(resources),
    ...(typeof ipPlan === "string" ? ["## IP capacity plan", "", ipPlan, ""] : []),
    ...upgradeSection(outputs.upgradeReport),
    "## Violations",
    "",
    ...(violations.length === 0 ? ["None."] : []),
    ...LEVELS.flatMap((level) => {
      const vs = violations.filter((v) => v.enforcementLevel === level);
      if (vs.length === 0) return [];
      return [
        `### ${level} (${vs.length})`,
        "",
        ...vs.map(
          (v) => `- \`${v.policyName}\`${v.urn ? ` on \`${v.urn.split("::").pop()}\`` : ""}: ${cell(v.detail)}`,
        ),
        "",
      ];
    }),
  ].join("\n");
}
