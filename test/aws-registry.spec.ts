// The ECR registry: its policy builders with hand-written expectations, then the component under the
// engine's mocks, starting from a compliant registry and changing one argument at a time.
import "./harness/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Registry, RegistryArgs } from "../components/aws/registry";
import {
  checkCacheRule,
  lifecyclePolicy,
  pullOnlyPolicy,
  registryHost,
  repositoryArn,
  repositoryPullPolicy,
  scanningRules,
} from "../components/aws/registry/policies";
import { pushActionsGranted } from "../policy-pack/lib/iam";
import { capture, RecordedResource } from "./harness/mocks";
import { ofType, single } from "./harness/resources";
import { registryArgs as compliant } from "./fixtures/aws-components";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/coder-nodes`;
const CODERD_ROLE = `arn:aws:iam::${ACCOUNT}:role/coderd`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1111-2222`;
const GHCR_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:ecr-pullthroughcache/ghcr-abc`;

describe("aws registry: policy builders", () => {
  it("expires only untagged images, after the given days", () => {
    assert.deepStrictEqual(JSON.parse(lifecyclePolicy(14)).rules, [
      {
        rulePriority: 1,
        description: "Expire untagged images 14 days after push",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
        action: { type: "expire" },
      },
    ]);
    assert.throws(() => lifecyclePolicy(0), /≥ 1/);
    assert.throws(() => lifecyclePolicy(1.5), /whole number/);
  });

  it("expires untagged images after as little as one day, and says so in the singular", () => {
    const [rule] = JSON.parse(lifecyclePolicy(1)).rules;
    assert.strictEqual(rule.selection.countNumber, 1);
    assert.strictEqual(rule.description, "Expire untagged images 1 day after push");
  });

  it("lets exactly the named roles of the account pull, and nothing else", () => {
    const doc = JSON.parse(repositoryPullPolicy([NODE_ROLE, CODERD_ROLE, NODE_ROLE], ACCOUNT));
    assert.deepStrictEqual(doc, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PullByNamedRoles",
          Effect: "Allow",
          Principal: { AWS: [NODE_ROLE, CODERD_ROLE] },
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        },
      ],
    });
    assert.deepStrictEqual(pushActionsGranted(doc), []);
  });

  it("lists the pulling roles sorted, whatever order the arguments give them in", () => {
    const doc = JSON.parse(repositoryPullPolicy([CODERD_ROLE, NODE_ROLE], ACCOUNT));
    assert.deepStrictEqual(doc.Statement[0].Principal, { AWS: [NODE_ROLE, CODERD_ROLE] });
  });

  it("refuses a wildcard, a user, another account's role or no principal at all", () => {
    assert.throws(() => repositoryPullPolicy(["*"], ACCOUNT), /not an IAM role ARN/);
    assert.throws(() => repositoryPullPolicy([`arn:aws:iam::${ACCOUNT}:root`], ACCOUNT), /not an IAM role ARN/);
    assert.throws(() => repositoryPullPolicy([`arn:aws:iam::${ACCOUNT}:user/ci`], ACCOUNT), /not an IAM role ARN/);
    assert.throws(() => repositoryPullPolicy(["arn:aws:iam::210987654321:role/x"], ACCOUNT), /outside account/);
    assert.throws(() => repositoryPullPolicy([], ACCOUNT), /at least one principal/);
  });

  it("spells the registry host and repository ARNs as AWS does", () => {
    assert.strictEqual(registryHost(ACCOUNT, REGION), "123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    assert.strictEqual(
      repositoryArn(ACCOUNT, REGION, "coder/enterprise-base"),
      "arn:aws:ecr:eu-west-1:123456789012:repository/coder/enterprise-base",
    );
    assert.throws(() => repositoryArn(ACCOUNT, REGION, "Coder/Base"), /not an ECR repository name/);
    assert.throws(() => repositoryArn(ACCOUNT, REGION, "coder//base"), /not an ECR repository name/);
  });

  it("scopes the pull-only policy to the repositories, with the token on * alone", () => {
    const pull = ["arn:aws:ecr:eu-west-1:123456789012:repository/coder/coder"];
    const imports = ["arn:aws:ecr:eu-west-1:123456789012:repository/ghcr/coder/coder"];
    const doc = JSON.parse(pullOnlyPolicy({ pullArns: [...pull, ...imports], importArns: imports }));
    assert.deepStrictEqual(doc.Statement, [
      { Sid: "RegistryToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      {
        Sid: "PullApprovedRepositories",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        Resource: [...pull, ...imports],
      },
      {
        Sid: "ImportApprovedUpstreamImages",
        Effect: "Allow",
        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
        Resource: imports,
      },
    ]);
    assert.deepStrictEqual(pushActionsGranted(doc), []);
    const noCache = JSON.parse(pullOnlyPolicy({ pullArns: pull, importArns: [] }));
    assert.deepStrictEqual(
      noCache.Statement.map((s: { Sid: string }) => s.Sid),
      ["RegistryToken", "PullApprovedRepositories"],
    );
    assert.throws(() => pullOnlyPolicy({ pullArns: [], importArns: [] }), /at least one repository/);
  });

  it("scans every repository: continuously when enhanced, on push when basic", () => {
    const all = [{ filter: "*", filterType: "WILDCARD" }];
    assert.deepStrictEqual(scanningRules("ENHANCED"), [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: all }]);
    assert.deepStrictEqual(scanningRules("BASIC"), [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: all }]);
  });
});

describe("aws registry: pull-through cache rules", () => {
  const ghcr = {
    ecrRepositoryPrefix: "ghcr",
    upstreamRegistryUrl: "ghcr.io",
    repositories: ["coder/coder"],
    hasCredential: true,
  };

  it("accepts a cache of named repositories with its credential", () => {
    assert.doesNotThrow(() => checkCacheRule(ghcr, "coder"));
    assert.doesNotThrow(() =>
      checkCacheRule(
        { ...ghcr, ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws", hasCredential: false },
        "coder",
      ),
    );
  });

  it("refuses rules that mirror more than the named repositories", () => {
    assert.throws(() => checkCacheRule({ ...ghcr, ecrRepositoryPrefix: "ROOT" }, "coder"), /every repository/);
    assert.throws(() => checkCacheRule({ ...ghcr, repositories: [] }, "coder"), /would mirror all of ghcr.io/);
    const ecr = { ...ghcr, upstreamRegistryUrl: "210987654321.dkr.ecr.eu-west-1.amazonaws.com" };
    assert.throws(() => checkCacheRule(ecr, "coder"), /upstreamRepositoryPrefix/);
    assert.throws(() => checkCacheRule({ ...ecr, upstreamRepositoryPrefix: "ROOT" }, "coder"), /not ROOT/);
    assert.doesNotThrow(() => checkCacheRule({ ...ecr, upstreamRepositoryPrefix: "images" }, "coder"));
    assert.throws(() => checkCacheRule({ ...ghcr, upstreamRepositoryPrefix: "coder" }, "coder"), /only ECR private/);
  });

  it("refuses a prefix inside the managed namespace and an upstream without its credential", () => {
    assert.throws(() => checkCacheRule({ ...ghcr, ecrRepositoryPrefix: "coder" }, "coder"), /overlaps/);
    assert.throws(() => checkCacheRule({ ...ghcr, ecrRepositoryPrefix: "coder/ghcr" }, "coder"), /overlaps/);
    assert.throws(() => checkCacheRule({ ...ghcr, hasCredential: false }, "coder"), /credentialArn/);
  });

  it("needs a credential for each upstream AWS pulls through only with one", () => {
    for (const upstreamRegistryUrl of ["registry-1.docker.io", "ghcr.io", "registry.gitlab.com"]) {
      const rule = { ...ghcr, upstreamRegistryUrl, hasCredential: false };
      assert.throws(() => checkCacheRule(rule, "coder"), {
        message: `cache "ghcr": ${upstreamRegistryUrl} needs a Secrets Manager credentialArn`,
      });
    }
  });

  // Only a whole ECR private registry host takes an upstream prefix; a host that merely contains one does not.
  it("treats as ECR private only a host that is exactly an ECR registry's", () => {
    for (const upstreamRegistryUrl of [
      "mirror.210987654321.dkr.ecr.eu-west-1.amazonaws.com",
      "210987654321.dkr.ecr.eu-west-1.amazonaws.com.example.org",
    ]) {
      const rule = { ...ghcr, upstreamRegistryUrl, upstreamRepositoryPrefix: "images" };
      assert.throws(() => checkCacheRule(rule, "coder"), /only ECR private upstreams take an upstreamRepositoryPrefix/);
    }
  });

  it("names the prefix itself when it is not an ECR repository name", () => {
    assert.throws(() => checkCacheRule({ ...ghcr, ecrRepositoryPrefix: "GHCR" }, "coder"), {
      message: '"GHCR" is not an ECR repository name (lowercase components separated by "/")',
    });
  });

  it("refuses an upstream repository that would not make an ECR repository name under the prefix", () => {
    assert.throws(() => checkCacheRule({ ...ghcr, repositories: ["coder/coder", "Coder/Base"] }, "coder"), {
      message: '"ghcr/Coder/Base" is not an ECR repository name (lowercase components separated by "/")',
    });
  });
});

interface Deployed {
  resources: RecordedResource[];
  options: Map<string, pulumi.ResourceOptions>;
  outputs: { approvedPrefix: string; approvedPrefixes: string[] };
}

async function deploy(args: RegistryArgs): Promise<Deployed> {
  const options = new Map<string, pulumi.ResourceOptions>();
  let outputs: Deployed["outputs"] | undefined;
  const resources = await capture(() => {
    const registry = new Registry("registry", args, {
      transformations: [(t) => void options.set(t.name, t.opts)],
    });
    return pulumi.all([registry.approvedPrefix, registry.approvedPrefixes]).apply(([approvedPrefix, prefixes]) => {
      outputs = { approvedPrefix, approvedPrefixes: prefixes };
    });
  });
  return { resources, options, outputs: outputs! };
}

describe("aws registry: component", () => {
  let deployed: Deployed;
  before(async () => {
    deployed = await deploy(compliant());
  });

  it("creates every repository immutable, scanned on push, encrypted with the CMK, never force-deleted", () => {
    const repos = ofType(deployed.resources, "aws:ecr/repository:Repository");
    assert.deepStrictEqual(repos.map((r) => r.inputs.name).sort(), ["coder/coder", "coder/enterprise-base"]);
    for (const repo of repos) {
      assert.strictEqual(repo.inputs.imageTagMutability, "IMMUTABLE");
      assert.strictEqual(repo.inputs.imageTagMutabilityExclusionFilters, undefined);
      assert.deepStrictEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
      assert.deepStrictEqual(repo.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: KEY }]);
      assert.strictEqual(repo.inputs.forceDelete, false);
      const opts = deployed.options.get(repo.name)!;
      assert.strictEqual(opts.protect, true, `${repo.name} protect`);
      assert.strictEqual(opts.retainOnDelete, true, `${repo.name} retainOnDelete`);
    }
  });

  it("takes protect and retainOnDelete from its arguments", async () => {
    const dev = await deploy({ ...compliant(), protect: false, retainOnDelete: false });
    for (const repo of ofType(dev.resources, "aws:ecr/repository:Repository")) {
      assert.strictEqual(dev.options.get(repo.name)!.protect, false);
      assert.strictEqual(dev.options.get(repo.name)!.retainOnDelete, false);
    }
  });

  it("gives each repository the lifecycle policy and a pull policy for the named roles only", () => {
    const lifecycles = ofType(deployed.resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
    const policies = ofType(deployed.resources, "aws:ecr/repositoryPolicy:RepositoryPolicy");
    assert.deepStrictEqual(lifecycles.map((l) => l.inputs.repository).sort(), ["coder/coder", "coder/enterprise-base"]);
    assert.deepStrictEqual(policies.map((p) => p.inputs.repository).sort(), ["coder/coder", "coder/enterprise-base"]);
    for (const l of lifecycles) assert.strictEqual(l.inputs.policy, lifecyclePolicy(14));
    for (const p of policies) {
      const statement = single([JSON.parse(p.inputs.policy).Statement].flat() as any, "pull statement") as any;
      assert.deepStrictEqual(statement.Principal, { AWS: [NODE_ROLE, CODERD_ROLE] });
      assert.deepStrictEqual(pushActionsGranted(p.inputs.policy), []);
    }
  });

  it("caches only from the named upstream, into CMK-encrypted immutable repositories", () => {
    const rule = single(ofType(deployed.resources, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule"), "cache");
    assert.strictEqual(rule.inputs.ecrRepositoryPrefix, "ghcr");
    assert.strictEqual(rule.inputs.upstreamRegistryUrl, "ghcr.io");
    assert.strictEqual(rule.inputs.credentialArn, GHCR_SECRET);
    const template = single(
      ofType(deployed.resources, "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate"),
      "creation template",
    );
    assert.strictEqual(template.inputs.prefix, "ghcr");
    assert.strictEqual(template.inputs.description, "Repositories the ghcr pull-through cache creates");
    assert.deepStrictEqual(template.inputs.appliedFors, ["PULL_THROUGH_CACHE"]);
    assert.deepStrictEqual(template.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: KEY }]);
    assert.strictEqual(template.inputs.imageTagMutability, "IMMUTABLE");
    assert.strictEqual(template.inputs.customRoleArn, `arn:aws:iam::${ACCOUNT}:role/ecr-template`);
    assert.strictEqual(template.inputs.repositoryPolicy, repositoryPullPolicy([NODE_ROLE, CODERD_ROLE], ACCOUNT));
  });

  it("scans the registry by the scan type argument", async () => {
    const scan = single(
      ofType(deployed.resources, "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"),
      "scanning",
    );
    assert.strictEqual(scan.inputs.scanType, "ENHANCED");
    const basic = await deploy({ ...compliant(), scanType: "BASIC" });
    const basicScan = ofType(basic.resources, "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration");
    assert.strictEqual(basicScan[0].inputs.scanType, "BASIC");
    assert.strictEqual(basicScan[0].inputs.rules[0].scanFrequency, "SCAN_ON_PUSH");
  });

  it("writes a pull-only IAM policy over exactly these repositories and the named cache repositories", () => {
    const policy = single(ofType(deployed.resources, "aws:iam/policy:Policy"), "pull-only policy");
    assert.strictEqual(
      policy.inputs.description,
      "Pull-only access to Coder's ECR repositories (node role, coderd's role)",
    );
    const repo = (n: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${n}`;
    assert.strictEqual(
      policy.inputs.policy,
      pullOnlyPolicy({
        pullArns: [repo("coder/coder"), repo("coder/enterprise-base"), repo("ghcr/coder/coder")],
        importArns: [repo("ghcr/coder/coder")],
      }),
    );
  });

  it("outputs the approved prefixes for the Kubernetes layer's allowlist", () => {
    const host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    assert.strictEqual(deployed.outputs.approvedPrefix, `${host}/coder/`);
    assert.deepStrictEqual(deployed.outputs.approvedPrefixes, [`${host}/coder/`, `${host}/ghcr/coder/coder`]);
  });

  it("refuses caches without a creation role, duplicate cache prefixes and no repositories", () => {
    assert.throws(
      () => new Registry("r1", { ...compliant(), cacheCreationRoleArn: undefined }),
      /cacheCreationRoleArn/,
    );
    const cache = compliant().pullThroughCaches[0];
    assert.throws(() => new Registry("r2", { ...compliant(), pullThroughCaches: [cache, cache] }), /share a prefix/);
    assert.throws(() => new Registry("r3", { ...compliant(), repositories: [] }), /at least one repository/);
  });
});
