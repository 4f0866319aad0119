// Coder's private image registry on ECR. Serves docs/responsibility.md rows `container-registry`,
// `registry-account` (only the named roles of this account pull, never push; the pull-only policy is what the
// node role and coderd's role carry) and `registry-any-image` (the approved prefixes this component outputs
// are what the Kubernetes layer's admission allowlist admits), and `storage-encryption` for images at rest.
//
// Pull-through caches: ECR's API narrows what a rule mirrors only for ECR private upstreams
// (upstreamRepositoryPrefix), which is therefore required for them. For any other upstream (public.ecr.aws,
// ghcr.io, Docker Hub) a rule answers for the whole upstream registry; what narrows it here is IAM: the
// pull-only policy grants ecr:BatchImportUpstreamImage and ecr:CreateRepository only on the cache
// repositories of the named upstream repositories, so no one holding it can import anything else. A principal
// with broader ECR rights elsewhere could still import any image under the cache prefix.
//
// Repositories that a cache creates on first pull take their settings from a repository creation template
// (the CMK, immutable tags, the lifecycle and pull policies). Using a customer-managed key there needs a role
// ECR assumes (`cacheCreationRoleArn`); with immutable tags a cached tag keeps the image first fetched for it.
//
// Registry-wide scanning is one setting per account and region: this component owns it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  assertRepositoryName,
  checkCacheRule,
  lifecyclePolicy,
  pullOnlyPolicy,
  registryHost,
  repositoryArn,
  repositoryPullPolicy,
  scanningRules,
} from "./policies";

export interface PullThroughCacheArgs {
  /** Where cached images live in this registry, e.g. "ecr-public" or "ghcr"; never "ROOT". */
  readonly ecrRepositoryPrefix: string;
  /** The upstream registry's host, e.g. "public.ecr.aws" or "ghcr.io". */
  readonly upstreamRegistryUrl: string;
  /** Upstream repositories that may be pulled through, e.g. "coder/coder" (relative to upstreamRepositoryPrefix). */
  readonly repositories: string[];
  /** Secrets Manager ARN (name prefixed "ecr-pullthroughcache/") of the upstream credentials, where required. */
  readonly credentialArn?: pulumi.Input<string>;
  /** For an ECR private upstream only: the upstream namespace mirrored (required for that kind). */
  readonly upstreamRepositoryPrefix?: string;
  /** For an ECR private upstream only: the role ECR assumes to read it. */
  readonly customRoleArn?: pulumi.Input<string>;
}

export interface RegistryArgs {
  /** The AWS account that owns the registry (and whose roles alone may pull). */
  readonly accountId: pulumi.Input<string>;
  /** The registry's region. */
  readonly region: pulumi.Input<string>;
  /** The namespace all managed repositories live under, e.g. "coder"; the approved prefix ends with it. */
  readonly namespace: string;
  /** Repository names under the namespace, e.g. ["coder", "enterprise-base"]. */
  readonly repositories: string[];
  /** The customer-managed KMS key that encrypts images at rest. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Role ARNs that may pull (the node role, coderd's role); no one else, and no one may push through these. */
  readonly pullPrincipalArns: pulumi.Input<string>[];
  /** Days after which untagged images expire. */
  readonly untaggedExpiryDays: number;
  /** Registry-wide scanning: ENHANCED (Amazon Inspector, continuous) or BASIC (on push). */
  readonly scanType: "ENHANCED" | "BASIC";
  /** Pull-through caches, each for named upstream repositories only. */
  readonly pullThroughCaches: PullThroughCacheArgs[];
  /** The role ECR assumes to create cache repositories encrypted with the CMK; required with caches. */
  readonly cacheCreationRoleArn?: pulumi.Input<string>;
  /** Refuse to delete repositories through Pulumi (true in prod). */
  readonly protect: boolean;
  /** Leave repositories (and their images) in AWS when they leave the program. */
  readonly retainOnDelete: boolean;
  /** Tags for every resource. */
  readonly tags?: Record<string, string>;
}

export class Registry extends pulumi.ComponentResource {
  /** Repository URLs by repository name (without the namespace). */
  readonly repositoryUrls: Record<string, pulumi.Output<string>> = {};
  /** Repository ARNs by repository name (without the namespace). */
  readonly repositoryArns: Record<string, pulumi.Output<string>> = {};
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<namespace>/`: the managed repositories' prefix. */
  readonly approvedPrefix: pulumi.Output<string>;
  /** Every prefix images may come from: the managed namespace and each cached upstream repository. */
  readonly approvedPrefixes: pulumi.Output<string[]>;
  /** The pull-only IAM policy for the node role and coderd's role. */
  readonly pullPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:aws:Registry", name, {}, opts);
    assertRepositoryName(args.namespace);
    if (args.repositories.length === 0) throw new Error("the registry needs at least one repository");
    const names = args.repositories.map((r) => `${args.namespace}/${r}`);
    names.forEach(assertRepositoryName);
    for (const cache of args.pullThroughCaches) {
      checkCacheRule({ ...cache, hasCredential: cache.credentialArn !== undefined }, args.namespace);
    }
    const prefixes = args.pullThroughCaches.map((c) => c.ecrRepositoryPrefix);
    if (new Set(prefixes).size !== prefixes.length) throw new Error("two pull-through caches share a prefix");
    if (args.pullThroughCaches.length > 0 && args.cacheCreationRoleArn === undefined) {
      throw new Error("pull-through caches need cacheCreationRoleArn so their repositories use the CMK");
    }

    const stateful = { parent: this, protect: args.protect, retainOnDelete: args.retainOnDelete };
    const child = { parent: this };
    const pullPolicy = pulumi
      .all([pulumi.output(args.pullPrincipalArns), args.accountId])
      .apply(([arns, account]) => repositoryPullPolicy(arns, account));
    const lifecycle = lifecyclePolicy(args.untaggedExpiryDays);
    const encryption = { encryptionType: "KMS", kmsKey: args.kmsKeyArn };

    args.repositories.forEach((repo, i) => {
      const repository = new aws.ecr.Repository(
        `${name}-${repo}`,
        {
          name: names[i],
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [encryption],
          forceDelete: false,
          tags: args.tags,
        },
        stateful,
      );
      new aws.ecr.LifecyclePolicy(
        `${name}-${repo}-lifecycle`,
        { repository: repository.name, policy: lifecycle },
        child,
      );
      new aws.ecr.RepositoryPolicy(
        `${name}-${repo}-policy`,
        { repository: repository.name, policy: pullPolicy },
        child,
      );
      this.repositoryUrls[repo] = repository.repositoryUrl;
      this.repositoryArns[repo] = repository.arn;
    });

    for (const cache of args.pullThroughCaches) {
      const prefix = cache.ecrRepositoryPrefix;
      new aws.ecr.RepositoryCreationTemplate(
        `${name}-${prefix}-template`,
        {
          prefix,
          appliedFors: ["PULL_THROUGH_CACHE"],
          description: `Repositories the ${prefix} pull-through cache creates`,
          customRoleArn: args.cacheCreationRoleArn,
          encryptionConfigurations: [encryption],
          imageTagMutability: "IMMUTABLE",
          lifecyclePolicy: lifecycle,
          repositoryPolicy: pullPolicy,
          resourceTags: args.tags,
        },
        child,
      );
      new aws.ecr.PullThroughCacheRule(
        `${name}-${prefix}-cache`,
        {
          ecrRepositoryPrefix: prefix,
          upstreamRegistryUrl: cache.upstreamRegistryUrl,
          credentialArn: cache.credentialArn,
          upstreamRepositoryPrefix: cache.upstreamRepositoryPrefix,
          customRoleArn: cache.customRoleArn,
        },
        child,
      );
    }

    new aws.ecr.RegistryScanningConfiguration(
      `${name}-scanning`,
      { scanType: args.scanType, rules: scanningRules(args.scanType) },
      child,
    );

    const cached = args.pullThroughCaches.flatMap((c) => c.repositories.map((r) => `${c.ecrRepositoryPrefix}/${r}`));
    const scope = pulumi.all([args.accountId, args.region]).apply(([account, region]) => ({
      host: registryHost(account, region),
      pullArns: [...names, ...cached].map((r) => repositoryArn(account, region, r)),
      importArns: cached.map((r) => repositoryArn(account, region, r)),
    }));
    const policy = new aws.iam.Policy(
      `${name}-pull-only`,
      {
        description: "Pull-only access to Coder's ECR repositories (node role, coderd's role)",
        policy: scope.apply(pullOnlyPolicy),
        tags: args.tags,
      },
      child,
    );
    this.pullPolicyArn = policy.arn;
    this.approvedPrefix = scope.apply((s) => `${s.host}/${args.namespace}/`);
    this.approvedPrefixes = scope.apply((s) => [
      `${s.host}/${args.namespace}/`,
      ...cached.map((r) => `${s.host}/${r}`),
    ]);

    this.registerOutputs({
      repositoryUrls: this.repositoryUrls,
      repositoryArns: this.repositoryArns,
      approvedPrefix: this.approvedPrefix,
      approvedPrefixes: this.approvedPrefixes,
      pullPolicyArn: this.pullPolicyArn,
    });
  }
}
