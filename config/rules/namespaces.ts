// Every namespace the blueprint manages is its own, and none is one Kubernetes itself owns.
import { ParsedBlueprintConfig } from "../schema";
import { configKey, Problem, problem } from "../problem";

const KUBERNETES_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export function namespaceProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const claim = (ns: string, key: string) => {
    const previous = seen.get(ns);
    if (previous) {
      problems.push(
        problem(
          key,
          `namespace "${ns}" is already used by ${configKey(previous)}; each managed namespace must be unique`,
        ),
      );
    } else seen.set(ns, key);
  };
  claim(cfg.controlPlane.namespace, "controlPlane.namespace");
  cfg.workspaces.namespaces.forEach((ns, i) => claim(ns, `workspaces.namespaces[${i}]`));
  for (const reserved of KUBERNETES_NAMESPACES) {
    const key = seen.get(reserved);
    if (key)
      problems.push(problem(key, `"${reserved}" belongs to Kubernetes itself; choose a namespace of Coder's own`));
  }
  return problems;
}
