// Which namespaces hold workspaces. One label must not switch the workspace guards off, so a namespace is
// a workspace namespace when any of these says so: the pack settings (kept equal to the stack config by a
// test), the blueprint's role label, or coderd's service account being able to create pods there (coderd
// starts workspaces wherever it can). The settings also name coderd's namespace and service account.
import { PolicyResource } from "@pulumi/policy";
import { ROLE_WORKSPACES } from "../contract";
import { managedNamespaces } from "./kubernetes";
import { Props } from "./policy";
import { eachBinding, grants, RbacIndex } from "./rbac-effects";
import { PreviewGaps } from "./unknowns";

export interface WorkspaceSettings {
  workspaceNamespaces?: string[];
  coderdNamespace?: string;
  coderdServiceAccount?: string;
}

/** The configSchema properties every policy that needs to know the workspace namespaces declares. */
export const WORKSPACE_SETTINGS_SCHEMA = {
  workspaceNamespaces: {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [],
    description:
      "The stack's workspace namespaces (workspaces.namespaces). Namespaces labelled as workspaces, or where " +
      "coderd's service account can create pods, count too.",
  },
  coderdNamespace: {
    type: "string",
    default: "coder",
    minLength: 1,
    description: "Namespace coderd runs in (the control-plane namespace).",
  },
  coderdServiceAccount: {
    type: "string",
    default: "coder",
    minLength: 1,
    description: "Name of coderd's ServiceAccount.",
  },
} as const;

export const DEFAULT_CODERD_NAMESPACE = "coder";
export const DEFAULT_CODERD_SERVICE_ACCOUNT = "coder";

export interface WorkspaceNamespace {
  name: string;
  /** The Namespace (or NamespacePatch) the stack registers for it, if any. */
  resource?: PolicyResource;
  /** Why it counts: "pack settings", "role label", "coderd can create pods there". */
  reasons: string[];
}

/** Whether a binding subject is coderd's service account, however it is spelled. */
export function isCoderdSubject(s: Props, settings: WorkspaceSettings): boolean {
  const ns = settings.coderdNamespace ?? DEFAULT_CODERD_NAMESPACE;
  const sa = settings.coderdServiceAccount ?? DEFAULT_CODERD_SERVICE_ACCOUNT;
  if (s.kind === "ServiceAccount") return s.namespace === ns && s.name === sa;
  if (s.kind === "User") return s.name === `system:serviceaccount:${ns}:${sa}`;
  if (s.kind === "Group") return s.name === `system:serviceaccounts:${ns}` || s.name === "system:serviceaccounts";
  return false;
}

/**
 * Namespaces where coderd's service account can create pods, by name; "*" when a ClusterRoleBinding lets
 * it create pods everywhere.
 */
export function coderdPodNamespaces(
  resources: PolicyResource[],
  settings: WorkspaceSettings,
  gaps: PreviewGaps,
): Set<string> {
  const rbac = new RbacIndex(resources, gaps);
  const found = new Set<string>();
  eachBinding(resources, gaps, (b) => {
    if (!b.subjects.some((s) => isCoderdSubject(s, settings))) return;
    const rules = rbac.rulesOf(b.roleKind, b.roleName, b.namespace) ?? [];
    if (!rules.some((r) => grants(r, "create", "", "pods"))) return;
    found.add(b.cluster ? "*" : String(b.namespace));
  });
  return found;
}

/** The configured workspace namespaces: pack settings and the role label (not RBAC reach). */
export function configuredWorkspaceNamespaces(
  resources: PolicyResource[],
  settings: WorkspaceSettings,
  gaps: PreviewGaps,
): Set<string> {
  const names = new Set(settings.workspaceNamespaces ?? []);
  for (const ns of managedNamespaces(resources, gaps).values()) if (ns.role === ROLE_WORKSPACES) names.add(ns.name);
  return names;
}

/** Every workspace namespace, by name, with the reasons it counts as one. */
export function workspaceNamespaces(
  resources: PolicyResource[],
  settings: WorkspaceSettings,
  gaps: PreviewGaps,
): Map<string, WorkspaceNamespace> {
  const managed = managedNamespaces(resources, gaps);
  const result = new Map<string, WorkspaceNamespace>();
  const add = (name: string, reason: string) => {
    const entry = result.get(name) ?? { name, resource: managed.get(name)?.resource, reasons: [] };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    result.set(name, entry);
  };
  for (const name of settings.workspaceNamespaces ?? []) add(name, "pack settings");
  for (const ns of managed.values()) if (ns.role === ROLE_WORKSPACES) add(ns.name, "role label");
  for (const name of coderdPodNamespaces(resources, settings, gaps)) {
    // A cluster-wide grant reaches every namespace the stack touches; cluster-wide-coderd-binding names it.
    if (name === "*") for (const ns of managed.keys()) add(ns, "coderd can create pods there");
    else add(name, "coderd can create pods there");
  }
  return result;
}
