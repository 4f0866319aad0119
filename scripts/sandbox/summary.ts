// What a deployed stack holds, from `pulumi stack export`: the sandbox prints it after every `up`.

export interface StackSummary {
  /** Every resource but the stack itself and the engine's providers. */
  total: number;
  /** Resource types by count, most frequent first, then by name. */
  byType: Array<[string, number]>;
  /** The names of the Namespaces the stack created. */
  namespaces: string[];
}

interface ExportedResource {
  type: string;
  outputs?: { metadata?: { name?: unknown } };
}

export function summarizeState(exported: unknown): StackSummary {
  const resources = (
    (exported as { deployment?: { resources?: ExportedResource[] } }).deployment?.resources ?? []
  ).filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const namespaces = resources
    .filter((r) => r.type === "kubernetes:core/v1:Namespace")
    .map((r) => r.outputs?.metadata?.name)
    .filter((name): name is string => typeof name === "string")
    .sort();
  return {
    total: resources.length,
    byType: [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)),
    namespaces,
  };
}

export function formatSummary(summary: StackSummary): string[] {
  const width = String(summary.byType[0]?.[1] ?? 0).length;
  return [
    `namespaces: ${summary.namespaces.join(", ") || "none"}`,
    `${summary.total} resources by type:`,
    ...summary.byType.map(([type, n]) => `  ${String(n).padStart(width)}  ${type}`),
  ];
}
