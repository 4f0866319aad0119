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
const isTrue = (v: unknown) => v === "true" || v === true;

// The built-in user-facing roles, reduced to the grants the policies judge (kube-apiserver's bootstrap
// policy, plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): edit reads every Secret, creates pods,
// execs and attaches into them, mints service-account tokens and impersonates service accounts. view grants
// nothing judged (it reads no Secrets), nor does admin beyond edit (writing Roles and RoleBindings is neither
// escalate nor bind). admin aggregates edit, edit aggregates view, and each also takes in every ClusterRole
// labelled aggregate-to-<name>. No built-in rule is limited to named objects.
const READ = ["get", "list", "watch"];
type BuiltInRule = Omit<EffectiveRule, "source" | "resourceNames">;
const BUILT_IN: Record<string, { rules: BuiltInRule[]; aggregates?: string[] }> = {
  "cluster-admin": { rules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }] },
  view: { rules: [] },
  edit: {
    rules: [
      { verbs: READ, apiGroups: [""], resources: ["secrets"] },
      { verbs: ["create"], apiGroups: [""], resources: ["pods", "pods/exec", "pods/attach", "serviceaccounts/token"] },
      { verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"] },
    ],
    aggregates: ["view"],
  },
  admin: { rules: [], aggregates: ["edit"] },
};

interface RoleDef {
  name: string;
  /** Only ClusterRoles aggregate, and only they can be built in. */
  cluster: boolean;
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
    const has = Object.hasOwn(labels, e.key);
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

const clusterRoleKey = (name: string) => `ClusterRole/${name}`;
const roleKey = (namespace: string | undefined, name: string) => `Role/${namespace}/${name}`;

/** Every role the stack defines, plus the built-in ones. */
export class RbacIndex {
  private readonly roles = new Map<string, RoleDef>();

  constructor(resources: PolicyResource[], gaps: PreviewGaps) {
    for (const [name, def] of Object.entries(BUILT_IN)) {
      this.roles.set(clusterRoleKey(name), {
        name,
        cluster: true,
        subject: `ClusterRole "${name}" (built in)`,
        labels: {},
        rules: def.rules.map((r) => ({ ...r, resourceNames: [] })),
      });
    }
    for (const r of resources) {
      const cluster = r.type === K8S.clusterRole || r.type === K8S.clusterRolePatch;
      if (!cluster && r.type !== K8S.role && r.type !== K8S.rolePatch) continue;
      gaps.judge(() => {
        const name = String(r.props.metadata?.name);
        const key = cluster ? clusterRoleKey(name) : roleKey(namespaceOf(r), name);
        const previous = this.roles.get(key);
        const rules = rulesOf(r.props, gaps);
        // A patch adds to what the role already holds (server-side apply merges its rules in).
        const merged = previous && r.type.endsWith("Patch") ? [...previous.rules, ...rules] : rules;
        const selectors = r.props.aggregationRule?.clusterRoleSelectors as Props[] | undefined;
        this.roles.set(key, {
          name,
          cluster,
          subject: `${cluster ? "ClusterRole" : "Role"} "${cluster ? name : `${namespaceOf(r)}/${name}`}"`,
          labels: { ...(previous?.labels ?? {}), ...labelsOf(r.props) },
          rules: merged,
          selectors: selectors ?? previous?.selectors,
        });
      });
    }
  }

  /**
   * The ClusterRoles whose rules flow into the given one, through built-in or declared aggregation. A role
   * that selects itself is among them; resolve() adds nothing for a role already on its path.
   */
  private feeders(role: RoleDef): RoleDef[] {
    // An own-property test, so a role named after an object member ("constructor") is not taken for one.
    const builtIn = role.cluster && Object.hasOwn(BUILT_IN, role.name) ? BUILT_IN[role.name] : undefined;
    const found: RoleDef[] = [];
    for (const other of this.roles.values()) {
      if (!other.cluster) continue;
      const viaLabel = builtIn && isTrue(other.labels[AGGREGATE_LABEL(role.name)]);
      const viaBuiltIn = builtIn?.aggregates?.includes(other.name);
      const viaSelector = (role.selectors ?? []).some((s) => selectorMatches(s, other.labels));
      if (viaLabel || viaBuiltIn || viaSelector) found.push(other);
    }
    return found;
  }

  /** The rules a role grants, with everything aggregated into it; undefined when the role is unknown. */
  rulesOf(kind: string, name: string, namespace?: string): EffectiveRule[] | undefined {
    const role = this.roles.get(kind === "ClusterRole" ? clusterRoleKey(name) : roleKey(namespace, name));
    return role && this.resolve(role, new Set());
  }

  // Every role reachable through aggregation, each once. Nothing is cached: inside an aggregation cycle a
  // role's partial result lacks the roles already on the path, while the aggregation controller gives every
  // role on a cycle all of their rules.
  private resolve(role: RoleDef, seen: Set<RoleDef>): EffectiveRule[] {
    if (seen.has(role)) return [];
    seen.add(role);
    const own = role.rules.map((r) => ({ ...r, source: role.subject }));
    const fed = this.feeders(role).flatMap((f) =>
      this.resolve(f, seen).map((r) => ({ ...r, source: `${r.source} aggregated into ${role.subject}` })),
    );
    return [...own, ...fed];
  }

  /** The built-in roles a ClusterRole's labels feed (aggregate-to-admin/edit/view). */
  builtInsFedBy(labels: Record<string, unknown>): string[] {
    return ["admin", "edit", "view"].filter((b) => isTrue(labels[AGGREGATE_LABEL(b)]));
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

// Whether a rule grants verb on group/resource, matched as kube-apiserver's RBAC authorizer matches it
// (ResourceMatches): "pods/exec" is granted by "pods/exec", "*/exec" and "*". "pods/*" names a subresource
// called "*", so it grants no real one.
export function grants(rule: EffectiveRule, verb: string, group: string, resource: string): boolean {
  if (!matchesAny(rule.verbs, verb) || !matchesAny(rule.apiGroups, group)) return false;
  const sub = resource.split("/")[1];
  return rule.resources.some((r) => r === "*" || r === resource || (sub !== undefined && r === `*/${sub}`));
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
