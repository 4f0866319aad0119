// Reading kube-score's findings (`--output-format json`, its v2 format) and the accepted ones, which
// docs/kube-score.md explains in a table, for test/e2e/kube-score.e2e.ts.

/** kube-score's grade for a failed check that it calls critical (scorecard.GradeCritical). */
const GRADE_CRITICAL = 1;

export interface Finding {
  stack: string;
  /** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
  object: string;
  check: string;
  summaries: string[];
}

interface ScoredObject {
  type_meta?: { kind?: string };
  object_meta?: { name?: string; namespace?: string };
  checks?: Array<{
    check: { id: string };
    grade: number;
    skipped: boolean;
    comments?: Array<{ path?: string; summary?: string }> | null;
  }>;
}

const objectText = (o: ScoredObject) => {
  const { name = "?", namespace } = o.object_meta ?? {};
  return `${o.type_meta?.kind ?? "?"} ${namespace ? `${namespace}/${name}` : name}`;
};

export function criticalFindings(stack: string, json: unknown): Finding[] {
  if (!Array.isArray(json)) throw new Error("kube-score's JSON output is not a list of objects");
  return (json as ScoredObject[]).flatMap((o) =>
    (o.checks ?? [])
      .filter((c) => !c.skipped && c.grade === GRADE_CRITICAL)
      .map((c) => ({
        stack,
        object: objectText(o),
        check: c.check.id,
        summaries: (c.comments ?? []).map((m) => [m.path, m.summary].filter(Boolean).join(": ")),
      })),
  );
}

export const findingText = (f: Finding) =>
  `${f.stack} ${f.object} ${f.check}${f.summaries.length ? ` — ${f.summaries.join("; ")}` : ""}`;

export interface Accepted {
  stacks: string[];
  /** `Kind namespace/name`; the namespace may be `*` (the workspace namespaces differ per stack). */
  object: string;
  check: string;
  reason: string;
  row: string;
}

const STACKS_ALL = ["local", "dev", "prod"];

/**
 * The rows of the table under "## Accepted critical findings": `| stacks | object | check | why |`, with
 * stacks as a comma-separated list or `all`, the object as `Kind namespace/name` and the check's id, both
 * in backticks. A row without a reason is refused.
 */
export function acceptedFindings(markdown: string): Accepted[] {
  const section = /^## Accepted critical findings\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  if (!section) throw new Error('docs/kube-score.md has no "## Accepted critical findings" section');
  const rows = section[1].split("\n").filter((l) => /^\|/.test(l));
  return rows.slice(2).map((row) => {
    const cells = row
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim().replace(/^`|`$/g, ""));
    if (cells.length !== 4 || !cells[3]) throw new Error(`docs/kube-score.md: unreadable row: ${row}`);
    const [stacks, object, check, reason] = cells;
    return { stacks: stacks === "all" ? STACKS_ALL : stacks.split(/,\s*/), object, check, reason, row };
  });
}

/** Whether a row of the table explains a finding. */
export function explains(a: Accepted, f: Finding): boolean {
  const [kind, ref = ""] = a.object.split(" ");
  const [foundKind, foundRef = ""] = f.object.split(" ");
  const anyNamespace = ref.startsWith("*/") && foundRef.includes("/");
  const sameObject = anyNamespace ? ref.slice(2) === foundRef.split("/")[1] : ref === foundRef;
  return a.stacks.includes(f.stack) && a.check === f.check && kind === foundKind && sameObject;
}
