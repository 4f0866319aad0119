// Which namespaces hold workspaces. One label must not switch the workspace guards off, so a namespace is
// a workspace namespace when any of these says so: the pack settings (kept equal to the stack config by a
// test), the blueprint's role label, or coderd's service account being able to create pods there (coderd
// starts workspaces wherever it can). The settings also name coderd's namespace and service account.
import { PolicyResource } from "@pulumi/policy";
import { ROLE_WORKSPACES } from "../contract";
import { managedNamespaces } from "./kubernetes";
import { Props } from "./policy";
import { eachBinding, grants, RbacIndex } from "./rbac-effects";
import { K8S } from "./types";
import { PreviewGaps } from "./unknowns";

export interface WorkspaceSettings {
  workspaceNamespaces?: string[];
  coderdNamespace?: string;
  coderdServiceAccount?: string;
}

export const DEFAULT_CODERD_NAMESPACE = "coder";
export const DEFAULT_CODERD_SERVICE_ACCOUNT = "coder";

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
    default: DEFAULT_CODERD_NAMESPACE,
    minLength: 1,
    description: "Namespace coderd runs in (the control-plane namespace).",
  },
  coderdServiceAccount: {
    type: "string",
    default: DEFAULT_CODERD_SERVICE_ACCOUNT,
    minLength: 1,
    description: "Name of coderd's ServiceAccount.",
  },
} as const;

export interface WorkspaceNamespace {
  name: string;
  /** The Namespace (or NamespacePatch) the stack registers for it, if any. */
  resource?: PolicyResource;
  /** Why it counts: "pack settings", "role label", "coderd can create pods there". */
  reasons: string[];
  /** Whether the stack labels it a workspace namespace (on the Namespace or a NamespacePatch, the last winning). */
  labelled: boolean;
  /** The binding that lets coderd create pods there, when that is a reason. */
  binding?: PolicyResource;
}

/** An account of coderd's namespace that a binding subject names. */
export interface CoderdNamespaceSubject {
  /** The account's name, or "(group <name>)" for a group that holds every account there. */
  account: string;
  /** Whether the subject is coderd's own service account (a group holding it counts). */
  coderd: boolean;
  /** Whether the subject is a group rather than one account. */
  group: boolean;
}

/**
 * The account of coderd's namespace a binding subject names, however it is spelled, or undefined when it
 * names none: a ServiceAccount there (in a RoleBinding, one without a namespace is in the binding's own,
 * as the API server reads it), the user name Kubernetes gives it, or the groups that hold it.
 */
export function coderdNamespaceSubject(
  s: Props,
  settings: WorkspaceSettings,
  bindingNamespace?: string,
): CoderdNamespaceSubject | undefined {
  const ns = settings.coderdNamespace ?? DEFAULT_CODERD_NAMESPACE;
  const sa = settings.coderdServiceAccount ?? DEFAULT_CODERD_SERVICE_ACCOUNT;
  const name = String(s.name ?? "");
  const account = (account: string) => ({ account, coderd: account === sa, group: false });
  if (s.kind === "ServiceAccount") {
    const namespace = typeof s.namespace === "string" && s.namespace !== "" ? s.namespace : bindingNamespace;
    return namespace === ns ? account(name) : undefined;
  }
  const user = `system:serviceaccount:${ns}:`;
  if (s.kind === "User") return name.startsWith(user) ? account(name.slice(user.length)) : undefined;
  if (s.kind === "Group" && (name === `system:serviceaccounts:${ns}` || name === "system:serviceaccounts"))
    return { account: `(group ${name})`, coderd: true, group: true };
  return undefined;
}

/**
 * Namespaces where coderd's service account can create pods, by name; "*" when a ClusterRoleBinding lets
 * it create pods everywhere.
 */
export function coderdPodNamespaces(
  resources: PolicyResource[],
  settings: WorkspaceSettings,
  gaps: PreviewGaps,
): Map<string, PolicyResource> {
  const rbac = new RbacIndex(resources, gaps);
  const found = new Map<string, PolicyResource>();
  eachBinding(resources, gaps, (b) => {
    if (!b.subjects.some((s) => coderdNamespaceSubject(s, settings, b.namespace)?.coderd)) return;
    const rules = rbac.rulesOf(b.roleKind, b.roleName, b.namespace) ?? [];
    if (!rules.some((r) => grants(r, "create", "", "pods"))) return;
    found.set(b.cluster ? "*" : String(b.namespace), b.resource);
  });
  return found;
}

/** Every Namespace (or NamespacePatch) the stack registers, labelled or not, by name. */
function registeredNamespaces(resources: PolicyResource[], gaps: PreviewGaps): Map<string, PolicyResource> {
  const byName = new Map<string, PolicyResource>();
  for (const r of resources) {
    if (r.type !== K8S.namespace && r.type !== K8S.namespacePatch) continue;
    gaps.judge(() => {
      const name = r.props.metadata?.name;
      if (typeof name === "string" && !(byName.has(name) && r.type === K8S.namespacePatch)) byName.set(name, r);
    });
  }
  return byName;
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
  const registered = registeredNamespaces(resources, gaps);
  const result = new Map<string, WorkspaceNamespace>();
  const add = (name: string, reason: string, binding?: PolicyResource) => {
    const entry = result.get(name) ?? {
      name,
      resource: registered.get(name),
      labelled: managed.get(name)?.role === ROLE_WORKSPACES,
      reasons: [],
    };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    entry.binding ??= binding;
    result.set(name, entry);
  };
  for (const name of settings.workspaceNamespaces ?? []) add(name, "pack settings");
  for (const ns of managed.values()) if (ns.role === ROLE_WORKSPACES) add(ns.name, "role label");
  for (const [name, binding] of coderdPodNamespaces(resources, settings, gaps)) {
    // A cluster-wide grant reaches every namespace the stack registers; cluster-wide-coderd-binding names it.
    if (name === "*") for (const ns of registered.keys()) add(ns, "coderd can create pods there", binding);
    else add(name, "coderd can create pods there", binding);
  }
  return result;
}
