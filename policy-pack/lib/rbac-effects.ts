// What an RBAC binding grants, resolved the way the API server's authorizer does: the role it names
// (one the stack defines, or one Kubernetes ships: cluster-admin, admin, edit, view), the rules that
// aggregate into it through aggregationRule and the aggregate-to-* labels, and the wildcards in each
// rule. Every RBAC policy judges these effective rules, so renaming a role or reaching a permission
// through aggregation changes nothing.
import { PolicyResource } from "@pulumi/policy";
import { labelsOf, namespaceOf } from "./kubernetes";
import { Props } from "./policy";
import { K8S, RBAC_BINDINGS } from "./types";
import { eachOf, PreviewGaps } from "./unknowns";

export interface EffectiveRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  /** Where the rule comes from, for messages: `ClusterRole "edit" (built in)`, `ClusterRole "x" via aggregation`. */
  source: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

const AGGREGATE_LABEL = (role: string) => `rbac.authorization.k8s.io/aggregate-to-${role}`;

// The built-in user-facing roles, reduced to the grants the policies judge (kube-apiserver's bootstrap
// policy, plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go). admin aggregates edit, edit
// aggregates view, and each also takes in every ClusterRole labelled aggregate-to-<name>.
const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const BUILT_IN: Record<string, { rules: Omit<EffectiveRule, "source">[]; aggregates: string[] }> = {
  "cluster-admin": {
    rules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], resourceNames: [] }],
    aggregates: [],
  },
  view: {
    rules: [
      {
        verbs: READ,
        apiGroups: ["", "apps", "batch"],
        resources: ["pods", "configmaps", "services", "deployments", "jobs", "persistentvolumeclaims"],
        resourceNames: [],
      },
    ],
    aggregates: [],
  },
  edit: {
    rules: [
      { verbs: [...READ, ...WRITE], apiGroups: [""], resources: ["secrets", "pods"], resourceNames: [] },
      {
        verbs: ["create", "get"],
        apiGroups: [""],
        resources: ["pods/exec", "pods/attach", "pods/portforward"],
        resourceNames: [],
      },
      { verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"], resourceNames: [] },
      { verbs: ["create"], apiGroups: [""], resources: ["serviceaccounts/token"], resourceNames: [] },
    ],
    aggregates: ["view"],
  },
  admin: {
    rules: [
      {
        verbs: [...READ, ...WRITE],
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["roles", "rolebindings"],
        resourceNames: [],
      },
    ],
    aggregates: ["edit"],
  },
};

export const BUILT_IN_ROLES: readonly string[] = Object.keys(BUILT_IN);

interface RoleDef {
  key: string;
  subject: string;
  labels: Record<string, unknown>;
  rules: Omit<EffectiveRule, "source">[];
  /** aggregationRule.clusterRoleSelectors, when the role is aggregated. */
  selectors?: Props[];
}

/** A label selector over a role's labels; an empty selector matches every ClusterRole, as the API server's does. */
export function selectorMatches(selector: Props, labels: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of (selector.matchExpressions ?? []) as Props[]) {
    const has = e.key in labels;
    const values = strings(e.values);
    const value = String(labels[e.key]);
    if (e.operator === "In" && !(has && values.includes(value))) return false;
    if (e.operator === "NotIn" && has && values.includes(value)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function rulesOf(props: Props, gaps: PreviewGaps): Omit<EffectiveRule, "source">[] {
  const rules: Omit<EffectiveRule, "source">[] = [];
  eachOf(
    props.rules as Props[] | undefined,
    (r) =>
      rules.push({
        verbs: strings(r.verbs),
        apiGroups: strings(r.apiGroups),
        resources: strings(r.resources),
        resourceNames: strings(r.resourceNames),
      }),
    gaps,
  );
  return rules;
}

const roleKey = (kind: string, name: string, namespace?: string) =>
  kind === "ClusterRole" ? `ClusterRole/${name}` : `Role/${namespace}/${name}`;

/** Every role the stack defines, plus the built-in ones, resolved once per stack. */
export class RbacIndex {
  private readonly roles = new Map<string, RoleDef>();
  private readonly resolved = new Map<string, EffectiveRule[]>();

  constructor(resources: PolicyResource[], gaps: PreviewGaps) {
    for (const [name, def] of Object.entries(BUILT_IN)) {
      this.roles.set(roleKey("ClusterRole", name), {
        key: roleKey("ClusterRole", name),
        subject: `ClusterRole "${name}" (built in)`,
        labels: {},
        rules: def.rules,
      });
    }
    for (const r of resources) {
      const cluster = r.type === K8S.clusterRole || r.type === K8S.clusterRolePatch;
      if (!cluster && r.type !== K8S.role && r.type !== K8S.rolePatch) continue;
      gaps.judge(() => {
        const name = String(r.props.metadata?.name);
        const key = cluster ? roleKey("ClusterRole", name) : roleKey("Role", name, namespaceOf(r));
        const previous = this.roles.get(key);
        const rules = rulesOf(r.props, gaps);
        // A patch adds to what the role already holds (server-side apply merges its rules in).
        const merged = previous && r.type.endsWith("Patch") ? [...previous.rules, ...rules] : rules;
        const selectors = r.props.aggregationRule?.clusterRoleSelectors as Props[] | undefined;
        this.roles.set(key, {
          key,
          subject: `${cluster ? "ClusterRole" : "Role"} "${cluster ? name : `${namespaceOf(r)}/${name}`}"`,
          labels: { ...(previous?.labels ?? {}), ...labelsOf(r.props) },
          rules: merged,
          selectors: selectors ?? previous?.selectors,
        });
      });
    }
  }

  /** The ClusterRoles whose rules flow into the given one, through built-in or declared aggregation. */
  private feeders(role: RoleDef): RoleDef[] {
    const builtIn = role.key.startsWith("ClusterRole/") ? BUILT_IN[role.key.slice("ClusterRole/".length)] : undefined;
    const found: RoleDef[] = [];
    for (const other of this.roles.values()) {
      if (other === role || !other.key.startsWith("ClusterRole/")) continue;
      const name = role.key.slice("ClusterRole/".length);
      const viaLabel =
        builtIn && (other.labels[AGGREGATE_LABEL(name)] === "true" || other.labels[AGGREGATE_LABEL(name)] === true);
      const viaBuiltIn = builtIn?.aggregates.includes(other.key.slice("ClusterRole/".length));
      const viaSelector = (role.selectors ?? []).some((s) => selectorMatches(s, other.labels));
      if (viaLabel || viaBuiltIn || viaSelector) found.push(other);
    }
    return found;
  }

  /** The rules a role grants, with everything aggregated into it; undefined when the role is unknown. */
  rulesOf(kind: string, name: string, namespace?: string): EffectiveRule[] | undefined {
    const key = roleKey(kind, name, namespace);
    if (!this.roles.has(key)) return undefined;
    return this.resolve(key, new Set());
  }

  private resolve(key: string, seen: Set<string>): EffectiveRule[] {
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const role = this.roles.get(key);
    if (!role || seen.has(key)) return [];
    seen.add(key);
    const own = role.rules.map((r) => ({ ...r, source: role.subject }));
    const fed = this.feeders(role).flatMap((f) =>
      this.resolve(f.key, seen).map((r) => ({ ...r, source: `${r.source} aggregated into ${role.subject}` })),
    );
    const all = [...own, ...fed];
    this.resolved.set(key, all);
    return all;
  }

  /** The built-in roles a ClusterRole's labels feed (aggregate-to-admin/edit/view). */
  builtInsFedBy(labels: Record<string, unknown>): string[] {
    return ["admin", "edit", "view"].filter(
      (b) => labels[AGGREGATE_LABEL(b)] === "true" || labels[AGGREGATE_LABEL(b)] === true,
    );
  }
}

export interface BindingView {
  resource: PolicyResource;
  cluster: boolean;
  namespace?: string;
  roleKind: string;
  roleName: string;
  subjects: Props[];
}

/** Every RoleBinding and ClusterRoleBinding in the stack. */
export function eachBinding(resources: PolicyResource[], gaps: PreviewGaps, fn: (b: BindingView) => void): void {
  for (const r of resources) {
    if (!RBAC_BINDINGS.includes(r.type)) continue;
    gaps.judge(() => {
      const cluster = r.type === K8S.clusterRoleBinding || r.type === K8S.clusterRoleBindingPatch;
      const ref = r.props.roleRef ?? {};
      const subjects: Props[] = [];
      eachOf(r.props.subjects as Props[] | undefined, (s) => subjects.push(s), gaps);
      fn({
        resource: r,
        cluster,
        namespace: cluster ? undefined : namespaceOf(r),
        roleKind: String(ref.kind ?? ""),
        roleName: String(ref.name ?? ""),
        subjects,
      });
    });
  }
}

const matchesAny = (granted: string[], wanted: string) => granted.includes("*") || granted.includes(wanted);

// Whether a rule grants verb on group/resource; "pods/exec" also matches "pods/*", "*/exec" and "*".
export function grants(rule: EffectiveRule, verb: string, group: string, resource: string): boolean {
  if (!matchesAny(rule.verbs, verb) || !matchesAny(rule.apiGroups, group)) return false;
  const [base, sub] = resource.split("/");
  return rule.resources.some(
    (r) => r === "*" || r === resource || (sub !== undefined && (r === `${base}/*` || r === `*/${sub}`)),
  );
}

/** A grant that makes its holder cluster-admin or lets it take over other identities or nodes. */
export interface DangerousGrant {
  what: string;
  rule: EffectiveRule;
}

// Subresources that reach past RBAC: the kubelet API on every node, minting tokens for any service
// account, a shell in (or the stdio of) any pod, and so every credential those pods hold.
const DANGEROUS_SUBRESOURCES: { verbs: string[]; group: string; resource: string; what: string }[] = [
  { verbs: ["get", "create"], group: "", resource: "nodes/proxy", what: "nodes/proxy (the kubelet API on every node)" },
  { verbs: ["create"], group: "", resource: "serviceaccounts/token", what: "serviceaccounts/token (mints tokens)" },
  { verbs: ["create", "get"], group: "", resource: "pods/exec", what: "pods/exec (a shell in other pods)" },
  { verbs: ["create", "get"], group: "", resource: "pods/attach", what: "pods/attach (other pods' terminals)" },
];

// escalate and bind on roles grant what the holder lacks; impersonate acts as any user or account.
const RBAC_GROUP = "rbac.authorization.k8s.io";
const ESCALATION = [
  {
    verb: "escalate",
    targets: [
      { group: RBAC_GROUP, resource: "clusterroles" },
      { group: RBAC_GROUP, resource: "roles" },
    ],
  },
  {
    verb: "bind",
    targets: [
      { group: RBAC_GROUP, resource: "clusterroles" },
      { group: RBAC_GROUP, resource: "roles" },
    ],
  },
  {
    verb: "impersonate",
    targets: ["users", "groups", "serviceaccounts", "uids"].map((resource) => ({ group: "", resource })),
  },
];

/** The dangerous grants among rules; `clusterWide` adds reading every Secret in the cluster. */
export function dangerousGrants(rules: EffectiveRule[], clusterWide: boolean): DangerousGrant[] {
  const found: DangerousGrant[] = [];
  for (const rule of rules) {
    if (rule.verbs.includes("*") && rule.resources.includes("*") && rule.apiGroups.includes("*")) {
      found.push({ what: "every verb on every resource (cluster-admin)", rule });
      continue;
    }
    for (const e of ESCALATION)
      if (e.targets.some((t) => grants(rule, e.verb, t.group, t.resource)))
        found.push({ what: `the ${e.verb} verb`, rule });
    if (rule.resourceNames.length > 0) continue;
    for (const d of DANGEROUS_SUBRESOURCES)
      if (d.verbs.some((v) => grants(rule, v, d.group, d.resource))) found.push({ what: d.what, rule });
    if (clusterWide && READ.some((v) => grants(rule, v, "", "secrets")))
      found.push({ what: "reading Secrets in every namespace", rule });
  }
  return found;
}
