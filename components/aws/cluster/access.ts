// Who may administer the cluster (docs/responsibility.md rows `cluster-admins` and `control-plane-access`):
// an explicit list of IAM principals, each an EKS access entry with one AWS-managed access policy scoped to
// namespaces or the cluster. Cluster-admin (AmazonEKSClusterAdminPolicy) belongs to one named break-glass
// role only, so day-to-day administrators cannot grant themselves everything through RBAC.

/** The access policies a principal may get; "cluster-admin" only for the break-glass role. */
export const ACCESS_POLICIES = {
  admin: "AmazonEKSAdminPolicy",
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
} as const;
export type AccessLevel = keyof typeof ACCESS_POLICIES;

export interface ClusterAdmin {
  /** ARN of the IAM role or user. */
  readonly principalArn: string;
  /** The access policy: admin, edit or view; cluster-admin for the break-glass role alone. */
  readonly access: AccessLevel;
  /** Namespaces the policy is limited to; the whole cluster when omitted. */
  readonly namespaces?: readonly string[];
}

export interface AccessGrant {
  /** Suffix for the access entry's and association's resource names, stable across list reordering. */
  readonly key: string;
  readonly principalArn: string;
  readonly policyArn: string;
  readonly accessScope: { type: "cluster" } | { type: "namespace"; namespaces: string[] };
}

const PRINCIPAL = /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The access entries and policy associations for `admins`. Refuses cluster-admin for anyone but
 * `breakGlassRoleArn`, a principal listed twice, a namespace list that is empty or malformed, and an ARN
 * that is not an IAM role or user.
 */
export function accessGrants(admins: readonly ClusterAdmin[], breakGlassRoleArn?: string): AccessGrant[] {
  if (breakGlassRoleArn !== undefined && PRINCIPAL.exec(breakGlassRoleArn)?.[3] !== "role") {
    throw new Error(`break-glass principal "${breakGlassRoleArn}" must be an IAM role ARN`);
  }
  const seen = new Set<string>();
  return admins.map((admin) => {
    const match = PRINCIPAL.exec(admin.principalArn);
    if (!match) throw new Error(`"${admin.principalArn}" is not an IAM role or user ARN`);
    const [, partition, account, kind, name] = match;
    if (seen.has(admin.principalArn)) throw new Error(`${admin.principalArn} is listed twice among the admins`);
    seen.add(admin.principalArn);
    if (!(admin.access in ACCESS_POLICIES)) {
      throw new Error(`${admin.principalArn}: unknown access "${String(admin.access)}"`);
    }
    if (admin.access === "cluster-admin") {
      if (admin.principalArn !== breakGlassRoleArn) {
        throw new Error(
          `${admin.principalArn}: cluster-admin (AmazonEKSClusterAdminPolicy) is reserved for the break-glass ` +
            `role${breakGlassRoleArn ? ` ${breakGlassRoleArn}` : ", and none is named"}; use admin, edit or view`,
        );
      }
      if (admin.namespaces !== undefined) {
        throw new Error(`${admin.principalArn}: cluster-admin applies to the whole cluster, not to namespaces`);
      }
    }
    if (admin.namespaces !== undefined) {
      if (admin.namespaces.length === 0) {
        throw new Error(`${admin.principalArn}: an empty namespace list; omit it for cluster scope`);
      }
      const bad = admin.namespaces.filter((ns) => !NAMESPACE.test(ns));
      if (bad.length > 0) throw new Error(`${admin.principalArn}: invalid namespace names ${bad.join(", ")}`);
    }
    return {
      key: `${kind}-${account}-${name}`.replace(/[^A-Za-z0-9-]/g, "-"),
      principalArn: admin.principalArn,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[admin.access]}`,
      accessScope:
        admin.namespaces === undefined ? { type: "cluster" } : { type: "namespace", namespaces: [...admin.namespaces] },
    };
  });
}
