// The AWS settings of eks stacks: present exactly when the cluster is eks, no hand-written copy of what
// the AWS layer derives, and an IP plan that fits.
import * as assert from "assert";
import { ConfigError, parseConfig } from "../config";
import { rawStackConfig, stackProblems as problemsFor, withTestSecrets } from "./harness/stacks";

function assertProblem(problems: string[], key: string, hint: RegExp) {
  const match = problems.find((p) => p.startsWith(`coder-blueprint:${key}:`));
  assert.ok(match, `no problem reported for ${key}; got:\n${problems.join("\n")}`);
  assert.match(match, hint);
}

describe("AWS settings", () => {
  it("are required for an eks cluster and refused for an existing one", () => {
    assertProblem(
      problemsFor("dev", (raw) => delete raw.aws),
      "aws",
      /required when cluster.target is "eks"/,
    );
    assertProblem(
      problemsFor("local", (raw) => (raw.aws = rawStackConfig("dev").aws)),
      "aws",
      /only used when cluster.target is "eks"/,
    );
  });

  it("refuse, on eks, the settings the AWS layer derives", () => {
    const problems = problemsFor("dev", (raw) => {
      raw.network.podCidrs = ["10.244.0.0/16"];
      raw.network.kubernetesApi = { cidrs: ["10.20.0.0/24"] };
      raw.storage.workspaceClass.kmsKeyId = "arn:aws:kms:eu-west-1:111122223333:alias/x";
      raw.database = { egress: [{ cidr: "10.20.200.0/24", ports: [5432] }] };
    });
    for (const key of [
      "network.podCidrs",
      "network.kubernetesApi.cidrs",
      "storage.workspaceClass.kmsKeyId",
      "database",
    ]) {
      assertProblem(problems, key, /derived by the AWS layer on eks .*; remove it/);
    }
  });

  it("refuse, on eks, hand-written load balancer ranges", () => {
    const problems = problemsFor("dev", (raw) => {
      raw.network.coderIngress = { cidrs: ["10.20.4.0/22"] };
      raw.network.accessUrlCidrs = ["10.20.4.0/22"];
    });
    for (const key of ["network.coderIngress.cidrs", "network.accessUrlCidrs"]) {
      assertProblem(problems, key, /derived by the AWS layer on eks \(the private subnets of the internal NLB\)/);
    }
  });

  it("refuse, on eks, a storage class other than EBS and more than one service range", () => {
    const problems = problemsFor("dev", (raw) => {
      raw.storage.workspaceClass = {
        driver: "custom",
        name: "local",
        provisioner: "rancher.io/local-path",
        encryptedAtRest: true,
      };
      raw.network.serviceCidrs = ["172.20.0.0/16", "172.21.0.0/16"];
    });
    assertProblem(problems, "storage.workspaceClass.driver", /must be "ebs" on eks/);
    assertProblem(problems, "network.serviceCidrs", /exactly one range on eks/);
  });

  it("require the addresses per ENI without prefix delegation, and only then", () => {
    assertProblem(
      problemsFor("dev", (raw) => (raw.aws.ipPlan = { prefixDelegation: false })),
      "aws.ipPlan.eniAddresses",
      /required without prefix delegation/,
    );
    // With the addresses given the plan runs; this small VPC then reports its shortfall, not the ENI setting.
    const problems = problemsFor("dev", (raw) => {
      raw.aws.ipPlan = { prefixDelegation: false, eniAddresses: 10, maxPodsPerNode: 10 };
    });
    assert.ok(!problems.some((p) => p.includes("aws.ipPlan.eniAddresses")), problems.join("\n"));
    assertProblem(problems, "aws.vpc", /the IP capacity plan does not fit/);
  });

  it("refuse a log retention CloudWatch does not offer, for flow logs and control-plane logs", () => {
    const problems = problemsFor("dev", (raw) => {
      raw.aws.vpc.flowLogRetentionDays = 45;
      raw.aws.cluster.logRetentionDays = 100;
    });
    assertProblem(
      problems,
      "aws.vpc.flowLogRetentionDays",
      /^[^:]+:[^:]+: 45 is not a CloudWatch retention period \(1, 3, 5,/,
    );
    assertProblem(problems, "aws.cluster.logRetentionDays", /: 100 is not a CloudWatch retention period .*, 3653\)$/);
  });

  it("refuse a public endpoint open to the internet", () => {
    assertProblem(
      problemsFor("dev", (raw) => (raw.aws.cluster.publicAccessCidrs = ["0.0.0.0/1", "128.0.0.0/1"])),
      "aws.cluster.publicAccessCidrs",
      /^coder-blueprint:aws\.cluster\.publicAccessCidrs: publicAccessCidrs together cover 0\.0\.0\.0\/0, which opens/,
    );
  });

  it("refuse a node pool declared twice, sizes out of order, and two pools for one role", () => {
    const problems = problemsFor("dev", (raw) => {
      const [system, coderd] = raw.aws.nodePools;
      system.minSize = 3;
      coderd.desiredSize = 3;
      raw.aws.nodePools.push({ ...structuredClone(coderd), desiredSize: 1 });
    });
    assertProblem(problems, "aws.nodePools[0]", /minSize <= desiredSize <= maxSize \(3\/2\/3\)/);
    assertProblem(problems, "aws.nodePools[1]", /minSize <= desiredSize <= maxSize \(1\/3\/2\)/);
    assertProblem(problems, "aws.nodePools[3].name", /pool "coderd" is declared twice/);
    assertProblem(problems, "aws.nodePools", /one pool with role "coderd", not 2/);
    assert.ok(!problems.some((p) => p.startsWith("coder-blueprint:aws.nodePools[3]:")), problems.join("\n"));
  });

  it("name what each missing pool role is for", () => {
    const without = (role: string) =>
      problemsFor("dev", (raw) => (raw.aws.nodePools = raw.aws.nodePools.filter((p: any) => p.role !== role)));
    assertProblem(
      without("system"),
      "aws.nodePools",
      /add a pool with role "system": cluster add-ons need an untainted/,
    );
    assertProblem(
      without("workspaces"),
      "aws.nodePools",
      /add a pool with role "workspaces": workspaces run on a dedicated, tainted pool/,
    );
  });

  it("require the cache-creation role with pull-through caches, and the pod subnet size with a pod range", () => {
    const cache = { ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws", repositories: ["x"] };
    assertProblem(
      problemsFor("dev", (raw) => (raw.aws.registry.pullThroughCaches = [cache])),
      "aws.registry.cacheCreationRoleArn",
      /required with pull-through caches/,
    );
    assertProblem(
      problemsFor("dev", (raw) => delete raw.aws.vpc.podSubnetPrefix),
      "aws.vpc.podSubnetPrefix",
      /required with aws.vpc.podCidr/,
    );
  });

  it("name what the AWS layer derives in place of each refused setting", () => {
    const problems = problemsFor("dev", (raw) => {
      raw.network.podCidrs = ["10.244.0.0/16"];
      raw.network.kubernetesApi = { cidrs: ["10.20.0.0/24"] };
      raw.database = { egress: [{ cidr: "10.20.200.0/24", ports: [5432] }] };
      raw.storage.workspaceClass.kmsKeyId = "arn:aws:kms:eu-west-1:111122223333:alias/x";
    });
    for (const [key, what] of [
      ["network.podCidrs", "the pod subnets (aws.vpc.podCidr, or the private subnets)"],
      ["network.kubernetesApi.cidrs", "the isolated subnets, where EKS puts the API"],
      ["database", "the RDS instance of aws.database"],
      ["storage.workspaceClass.kmsKeyId", "the stack's CMK"],
    ]) {
      assert.ok(
        problems.includes(`coder-blueprint:${key}: derived by the AWS layer on eks (${what}); remove it`),
        `${key}: ${problems.join("\n")}`,
      );
    }
    assert.ok(
      problemsFor("dev", (raw) => delete raw.aws).includes(
        'coder-blueprint:aws: required when cluster.target is "eks": the VPC, cluster, node pools, registry and ' +
          "database the AWS layer builds (see README, Deploying dev/prod on AWS)",
      ),
    );
  });

  it("accept pull-through caches with their role, a VPC without a pod range, and a pool at its maximum", () => {
    const cache = { ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws", repositories: ["x"] };
    const keys = (problems: string[]) => problems.map((p) => p.split(": ")[0]);
    const accepted = (mutate: (raw: any) => void) => {
      const { raw, secretKeys } = withTestSecrets(structuredClone(rawStackConfig("dev")));
      mutate(raw);
      try {
        parseConfig(raw, "dev", secretKeys);
        return [];
      } catch (e) {
        return keys((e as ConfigError).problems);
      }
    };
    assert.deepStrictEqual(
      accepted((raw) => {
        raw.aws.registry.pullThroughCaches = [cache];
        raw.aws.registry.cacheCreationRoleArn = "arn:aws:iam::111122223333:role/ecr-cache";
        raw.aws.nodePools[0].desiredSize = raw.aws.nodePools[0].maxSize;
      }),
      [],
    );
    assert.ok(
      !accepted((raw) => {
        delete raw.aws.vpc.podCidr;
        delete raw.aws.vpc.podSubnetPrefix;
      }).includes("coder-blueprint:aws.vpc.podSubnetPrefix"),
    );
  });

  it("still require, on existing clusters, what cannot be derived there", () => {
    const problems = problemsFor("local", (raw) => {
      delete raw.network.podCidrs;
      delete raw.registry.approved;
    });
    assertProblem(problems, "network.podCidrs", /pod address ranges/);
    assertProblem(problems, "registry.approved", /list the registries workspaces may pull from/);
    assert.ok(
      problems.includes(
        "coder-blueprint:registry.approved: required: list the registries workspaces may pull from, " +
          "e.g. [registry.example.com/coder/]; without it any user can run any image",
      ),
      problems.join("\n"),
    );
  });

  it("refuse cluster-admin for anyone but the break-glass role", () => {
    assertProblem(
      problemsFor("prod", (raw) => (raw.aws.cluster.admins[0].access = "cluster-admin")),
      "aws.cluster.admins",
      /reserved for the break-glass role/,
    );
  });

  it("refuse node pools without a system, coderd or workspaces pool", () => {
    assertProblem(
      problemsFor("dev", (raw) => (raw.aws.nodePools = raw.aws.nodePools.filter((p: any) => p.role !== "coderd"))),
      "aws.nodePools",
      /add a pool with role "coderd"/,
    );
  });

  it("refuse a VPC whose subnets do not fit in it", () => {
    assertProblem(
      problemsFor("dev", (raw) => (raw.aws.vpc.cidr = "10.20.0.0/21")),
      "aws.vpc",
      /holds .* subnets/,
    );
  });

  it("refuse an IP plan short of node addresses, naming the pool change", () => {
    // 181 pods, 91 per AZ with one of three AZs lost, on 8 nodes per AZ: 12 per node over max-pods 10;
    // 91 - 8 × 10 = 11 pods short, and ceil(91 / 10) × 2 = 20 nodes would hold them.
    const problems = problemsFor("dev", (raw) => (raw.aws.ipPlan = { maxPodsPerNode: 10 }));
    assertProblem(
      problems,
      "aws.vpc",
      /over max-pods 10 \(short by 11\)\. Smallest change: nodeCount 15 → 20; or maxPodsPerNode 10 → 12$/,
    );
  });
});
