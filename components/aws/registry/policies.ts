// The registry's documents as data: who may pull, what expires, and which upstream images a pull-through
// cache may import. Every function is pure so that the grants can be read and tested without AWS.
import { roleAccount } from "../arns";

/** What pulling an image takes once a client holds a registry token; no push, list or delete action. */
const PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];

/**
 * What the first pull of an image through a pull-through cache takes: importing it from upstream and, when
 * its cache repository does not exist yet, creating that repository.
 */
const IMPORT_ACTIONS = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"];

/** Token for `docker login` to a private registry; AWS accepts it only on Resource "*". */
const AUTH_TOKEN_ACTION = "ecr:GetAuthorizationToken";

const IAM_VERSION = "2012-10-17";
// ECR repository names: lowercase path components separated by single slashes.
const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

export interface IamStatement {
  Sid: string;
  Effect: "Allow";
  Principal?: { AWS: string[] };
  Action: string[];
  Resource?: string | string[];
}

export interface IamDocument {
  Version: string;
  Statement: IamStatement[];
}

export function assertRepositoryName(name: string): void {
  if (!REPOSITORY_NAME.test(name) || name.length > 256) {
    throw new Error(`"${name}" is not an ECR repository name (lowercase components separated by "/")`);
  }
}

/** The private registry's host, which image references start with. */
export function registryHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

/** A repository's ARN; also for cache repositories that ECR creates only on their first pull. */
export function repositoryArn(accountId: string, region: string, repository: string): string {
  assertRepositoryName(repository);
  return `arn:aws:ecr:${region}:${accountId}:repository/${repository}`;
}

/** Untagged images (layers left behind by re-pushes and builds) expire; tagged ones are kept. */
export function lifecyclePolicy(untaggedExpiryDays: number): string {
  if (!Number.isInteger(untaggedExpiryDays) || untaggedExpiryDays < 1) {
    throw new Error(`untagged images must expire after a whole number of days ≥ 1, not ${untaggedExpiryDays}`);
  }
  const days = untaggedExpiryDays === 1 ? "1 day" : `${untaggedExpiryDays} days`;
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${days} after push`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: untaggedExpiryDays,
        },
        action: { type: "expire" },
      },
    ],
  });
}

/**
 * The repository policy: pull only, and only for the named roles of this account (the node role, coderd's
 * role). A wildcard, another account's principal or a user would widen who reads the images, so each is
 * refused rather than written.
 */
export function repositoryPullPolicy(principalArns: readonly string[], accountId: string): string {
  if (principalArns.length === 0) throw new Error("a repository policy needs at least one principal to pull");
  for (const arn of principalArns) {
    const account = roleAccount(arn, "aws");
    if (account === undefined) {
      throw new Error(`pull principal "${arn}" is not an IAM role ARN; only named roles may pull`);
    }
    if (account !== accountId) {
      throw new Error(`pull principal "${arn}" is outside account ${accountId}; the registry account is Coder's own`);
    }
  }
  const doc: IamDocument = {
    Version: IAM_VERSION,
    Statement: [
      {
        Sid: "PullByNamedRoles",
        Effect: "Allow",
        Principal: { AWS: [...new Set(principalArns)].sort() },
        Action: PULL_ACTIONS,
      },
    ],
  };
  return JSON.stringify(doc);
}

export interface PullOnlyScope {
  /** Repositories the holder may pull from (managed repositories and cache repositories alike). */
  readonly pullArns: readonly string[];
  /** Cache repositories the holder may fill from upstream on a first pull. */
  readonly importArns: readonly string[];
}

/**
 * The identity policy for the node role and coderd's role: a registry token, then pull (and, for the named
 * cache repositories, import) on exactly the listed ARNs. `ecr:GetAuthorizationToken` is the one statement
 * on "*": AWS does not scope that action to resources, and the token grants nothing the rest of the policy
 * does not.
 */
export function pullOnlyPolicy(scope: PullOnlyScope): string {
  if (scope.pullArns.length === 0) throw new Error("the pull-only policy needs at least one repository");
  const statements: IamStatement[] = [
    { Sid: "RegistryToken", Effect: "Allow", Action: [AUTH_TOKEN_ACTION], Resource: "*" },
    { Sid: "PullApprovedRepositories", Effect: "Allow", Action: PULL_ACTIONS, Resource: [...scope.pullArns] },
  ];
  if (scope.importArns.length > 0) {
    statements.push({
      Sid: "ImportApprovedUpstreamImages",
      Effect: "Allow",
      Action: IMPORT_ACTIONS,
      Resource: [...scope.importArns],
    });
  }
  return JSON.stringify({ Version: IAM_VERSION, Statement: statements } satisfies IamDocument);
}

export interface CacheRuleSpec {
  /** Where cached images live in this registry: `<prefix>/<upstream repository>`. */
  readonly ecrRepositoryPrefix: string;
  /** The upstream registry's host. */
  readonly upstreamRegistryUrl: string;
  /** The upstream repositories the cache may import; nothing else can be pulled through. */
  readonly repositories: readonly string[];
  /** Narrows an ECR private upstream to one namespace (the only upstream kind the API narrows). */
  readonly upstreamRepositoryPrefix?: string;
  /** Whether a Secrets Manager credential is given. */
  readonly hasCredential: boolean;
}

/** Upstreams AWS only pulls through with credentials. */
const CREDENTIAL_UPSTREAMS = ["registry-1.docker.io", "ghcr.io", "registry.gitlab.com"];
const ECR_PRIVATE_UPSTREAM = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/;

/**
 * Refuses cache rules that would mirror more than the operator named. A rule's `ROOT` prefix would catch
 * every repository in the registry; an ECR private upstream can be narrowed by the API, so it must be; other
 * upstreams cannot, so the named `repositories` are what the pull-only policy lets anyone import.
 */
export function checkCacheRule(rule: CacheRuleSpec, managedNamespace: string): void {
  const prefix = rule.ecrRepositoryPrefix;
  if (prefix.toUpperCase() === "ROOT") throw new Error(`cache prefix "${prefix}" would catch every repository`);
  assertRepositoryName(prefix);
  if (prefix === managedNamespace || prefix.startsWith(`${managedNamespace}/`)) {
    throw new Error(`cache prefix "${prefix}" overlaps the managed repositories under "${managedNamespace}/"`);
  }
  if (rule.repositories.length === 0) {
    throw new Error(
      `cache "${prefix}" names no upstream repositories; it would mirror all of ${rule.upstreamRegistryUrl}`,
    );
  }
  rule.repositories.forEach((repo) => assertRepositoryName(`${prefix}/${repo}`));
  if (ECR_PRIVATE_UPSTREAM.test(rule.upstreamRegistryUrl)) {
    const upstream = rule.upstreamRepositoryPrefix;
    if (!upstream || upstream.toUpperCase() === "ROOT") {
      throw new Error(
        `cache "${prefix}" mirrors an ECR private registry; name its upstreamRepositoryPrefix (not ROOT)`,
      );
    }
    assertRepositoryName(upstream);
  } else if (rule.upstreamRepositoryPrefix !== undefined) {
    throw new Error(`cache "${prefix}": only ECR private upstreams take an upstreamRepositoryPrefix`);
  }
  if (CREDENTIAL_UPSTREAMS.includes(rule.upstreamRegistryUrl) && !rule.hasCredential) {
    throw new Error(`cache "${prefix}": ${rule.upstreamRegistryUrl} needs a Secrets Manager credentialArn`);
  }
}

/** Registry-wide scanning: enhanced (Inspector, continuous) or basic on push, for every repository. */
export function scanningRules(scanType: "ENHANCED" | "BASIC") {
  return [
    {
      scanFrequency: scanType === "ENHANCED" ? "CONTINUOUS_SCAN" : "SCAN_ON_PUSH",
      repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }],
    },
  ];
}
