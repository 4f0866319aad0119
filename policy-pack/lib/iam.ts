// Just enough IAM policy-document evaluation to answer "does this grant ECR push?" and "is this role
// assumed by pods?" — Allow statements with Action/NotAction globs, less unconditional Denies.
import { asList } from "./policy";

export const ECR_PUSH_ACTIONS = [
  "ecr:PutImage",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
] as const;

/** AWS-managed policies known to include ECR push. */
export const MANAGED_PUSH_POLICIES = new Set([
  "AdministratorAccess",
  "PowerUserAccess",
  "AmazonEC2ContainerRegistryFullAccess",
  "AmazonEC2ContainerRegistryPowerUser",
  "EC2InstanceProfileForImageBuilderECRContainerBuilds",
]);

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: unknown;
}

export function statementsOf(document: unknown): Statement[] {
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc);
    } catch {
      // Not JSON: the text stays a string, which the next test turns away.
    }
  }
  if (!doc || typeof doc !== "object") return [];
  return asList((doc as { Statement?: Statement | Statement[] }).Statement);
}

/** An IAM-style glob ("ecr:*", "s3:Get?bject"), matched whole and case-insensitively. */
export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

function matchesAny(patterns: string[], action: string): boolean {
  return patterns.some((p) => typeof p === "string" && globToRegExp(p).test(action));
}

/** The ECR push actions the document allows on some resource. */
export function pushActionsGranted(document: unknown): string[] {
  const statements = statementsOf(document);
  const allowed = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== "Allow") continue;
    for (const action of ECR_PUSH_ACTIONS) {
      if (matchesAny(asList(s.Action), action)) allowed.add(action);
      if (s.NotAction !== undefined && !matchesAny(asList(s.NotAction), action)) allowed.add(action);
    }
  }
  for (const s of statements) {
    // Only a blanket Deny is certain to cancel an Allow; conditional or resource-scoped ones may not.
    if (s.Effect !== "Deny" || s.Condition !== undefined || !asList(s.Resource).includes("*")) continue;
    for (const action of [...allowed]) if (matchesAny(asList(s.Action), action)) allowed.delete(action);
  }
  return ECR_PUSH_ACTIONS.filter((a) => allowed.has(a));
}

/** Whether a trust policy lets Kubernetes pods assume the role (IRSA or EKS Pod Identity). */
export function trustsPods(assumeRolePolicy: unknown): boolean {
  return statementsOf(assumeRolePolicy).some((s) => {
    if (s.Effect !== "Allow" || !s.Principal || typeof s.Principal !== "object") return false;
    const services = asList(s.Principal.Service);
    const federated = asList(s.Principal.Federated);
    const actions = asList(s.Action);
    // Only an EKS cluster's OIDC issuer makes a web-identity role an IRSA role; CI issuers do not.
    const irsa =
      federated.some((f) => /oidc\.eks\.[^/]+\.amazonaws\.com(\.cn)?\//.test(f)) &&
      matchesAny(actions, "sts:AssumeRoleWithWebIdentity");
    return irsa || services.includes("pods.eks.amazonaws.com");
  });
}

/** "arn:aws:iam::123456789012:role/path/name" -> "name". */
export function roleNameFromArn(arn: string): string | undefined {
  const match = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1];
}

/** "arn:aws:iam::aws:policy/service-role/X" -> "X" for AWS-managed policies only. */
export function managedPolicyName(arn: string): string | undefined {
  const match = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1];
}

/** An account field of "*" ("arn:aws:iam::*:root") names every account, so it is as open as "*". */
function isAnyone(principal: unknown): boolean {
  return typeof principal === "string" && (principal.trim() === "*" || /^arn:[^:]*:iam::\*:/.test(principal.trim()));
}

/**
 * The principals of the document's Allow statements that let anyone in: "*", {AWS: "*"}, {AWS: ["*"]},
 * an "arn:aws:iam::*:root"-style ARN, any principal type whose value is "*", and NotPrincipal (everyone but
 * the few named). Conditions are not evaluated: a wildcard narrowed by a condition is still reported,
 * because the pack cannot prove the condition holds back every other account.
 */
export function wildcardPrincipals(document: unknown): string[] {
  const found: string[] = [];
  for (const s of statementsOf(unwrapDocument(document))) {
    if (!s || s.Effect !== "Allow") continue;
    const notPrincipal = (s as { NotPrincipal?: unknown }).NotPrincipal;
    if (notPrincipal !== undefined) found.push(`NotPrincipal ${JSON.stringify(notPrincipal)}`);
    const p = s.Principal;
    if (p === undefined) continue;
    if (typeof p === "string") {
      if (isAnyone(p)) found.push(JSON.stringify(p));
      continue;
    }
    for (const [kind, value] of Object.entries(p)) {
      for (const v of asList(value)) if (isAnyone(v)) found.push(`${kind}: ${JSON.stringify(v)}`);
    }
  }
  return found;
}

/** A document given as JSON text, as an object, or as either inside a `{value}` wrapper some Outputs leave. */
function unwrapDocument(document: unknown): unknown {
  let doc = document;
  for (let i = 0; i < 3 && doc && typeof doc === "object" && !("Statement" in doc) && "value" in doc; i++) {
    doc = doc.value;
  }
  return doc;
}
