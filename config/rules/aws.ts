// The AWS platform layer's settings: present exactly when the cluster is `eks`, laid out in subnets AWS
// accepts, and large enough for the workspaces. The IP capacity plan runs here, as a config rule, so a
// plan that does not fit is reported with every other configuration problem, before the program registers
// anything and without a cloud call: it depends on config alone (the subnet layout, the workspace caps, the
// node pools). The Network component checks the same plan again as it is built.
import { accessGrants } from "../../components/aws/cluster/access";
import { checkApiCidrs, LOG_RETENTION_DAYS } from "../../components/aws/cluster/endpoint";
import { awsIpPlan, awsSubnetLayout } from "../aws";
import { Problem, problem } from "../problem";
import { ParsedBlueprintConfig } from "../schema";

const DERIVED_ON_EKS = "derived by the AWS layer on eks";

/**
 * Settings an `eks` stack derives from its AWS settings (config/aws.ts) must not be written by hand, and
 * the ones an `existing` cluster cannot derive must be. Runs on the configuration as written, before the
 * derived settings are filled in (config/index.ts), since afterwards they are set either way.
 */
export function awsDerivedSettingProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const n = cfg.network;
  if (cfg.cluster.target === "existing") {
    const problems: Problem[] = [];
    if (n.podCidrs === undefined) {
      problems.push(
        problem("network.podCidrs", "required: list the cluster's pod address ranges (kind: 10.244.0.0/16)"),
      );
    }
    if (cfg.registry.approved === undefined) {
      problems.push(
        problem(
          "registry.approved",
          "required: list the registries workspaces may pull from, e.g. [registry.example.com/coder/]; " +
            "without it any user can run any image",
        ),
      );
    }
    return problems;
  }
  const refused: [string, boolean, string][] = [
    ["network.podCidrs", n.podCidrs !== undefined, "the pod subnets (aws.vpc.podCidr, or the private subnets)"],
    ["network.kubernetesApi.cidrs", n.kubernetesApi.cidrs.length > 0, "the isolated subnets, where EKS puts the API"],
    ["network.coderIngress.cidrs", n.coderIngress.cidrs.length > 0, "the private subnets of the internal NLB"],
    ["network.accessUrlCidrs", n.accessUrlCidrs.length > 0, "the private subnets of the internal NLB"],
    ["database", cfg.database !== undefined, "the RDS instance of aws.database"],
    [
      "storage.workspaceClass.kmsKeyId",
      cfg.storage.workspaceClass.driver === "ebs" && cfg.storage.workspaceClass.kmsKeyId !== undefined,
      "the stack's CMK",
    ],
  ];
  return refused
    .filter(([, set]) => set)
    .map(([key, , what]) => problem(key, `${DERIVED_ON_EKS} (${what}); remove it`));
}

function refusal(key: string, check: () => void): Problem[] {
  try {
    check();
    return [];
  } catch (e) {
    return [problem(key, (e as Error).message)];
  }
}

export function awsProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const aws = cfg.aws;
  if (cfg.cluster.target !== "eks") {
    return aws === undefined ? [] : [problem("aws", 'only used when cluster.target is "eks"; remove it')];
  }
  if (aws === undefined) {
    return [
      problem(
        "aws",
        'required when cluster.target is "eks": the VPC, cluster, node pools, registry and database the ' +
          "AWS layer builds (see README, Deploying dev/prod on AWS)",
      ),
    ];
  }
  const problems: Problem[] = [];
  if (cfg.storage.workspaceClass.driver !== "ebs") {
    problems.push(problem("storage.workspaceClass.driver", 'must be "ebs" on eks (the EBS CSI add-on, the CMK)'));
  }
  if (cfg.network.serviceCidrs.length !== 1) {
    problems.push(problem("network.serviceCidrs", "give exactly one range on eks; it is the cluster's service CIDR"));
  }
  if (!aws.ipPlan.prefixDelegation && aws.ipPlan.eniAddresses === undefined) {
    problems.push(problem("aws.ipPlan.eniAddresses", "required without prefix delegation (m5.large: 10)"));
  }
  for (const [key, days] of [
    ["aws.vpc.flowLogRetentionDays", aws.vpc.flowLogRetentionDays],
    ["aws.cluster.logRetentionDays", aws.cluster.logRetentionDays],
  ] as const) {
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
      problems.push(problem(key, `${days} is not a CloudWatch retention period (${LOG_RETENTION_DAYS.join(", ")})`));
    }
  }
  problems.push(
    ...refusal("aws.cluster.publicAccessCidrs", () =>
      checkApiCidrs("publicAccessCidrs", aws.cluster.publicAccessCidrs),
    ),
  );
  problems.push(
    ...refusal("aws.cluster.admins", () => accessGrants(aws.cluster.admins, aws.cluster.breakGlassRoleArn)),
  );
  problems.push(...poolProblems(aws.nodePools));
  if (aws.registry.pullThroughCaches.length > 0 && aws.registry.cacheCreationRoleArn === undefined) {
    problems.push(
      problem(
        "aws.registry.cacheCreationRoleArn",
        "required with pull-through caches (their repositories use the CMK)",
      ),
    );
  }
  if (aws.vpc.podCidr !== undefined && aws.vpc.podSubnetPrefix === undefined) {
    problems.push(problem("aws.vpc.podSubnetPrefix", "required with aws.vpc.podCidr"));
    return problems;
  }
  try {
    awsSubnetLayout(aws);
  } catch (e) {
    return [...problems, problem("aws.vpc", (e as Error).message)];
  }
  // The plan needs every check above to hold, the single service range among them.
  if (problems.length > 0) return problems;
  const plan = awsIpPlan(cfg, aws);
  for (const p of plan.problems) {
    problems.push(
      problem(
        "aws.vpc",
        `the IP capacity plan does not fit: ${p.message} (short by ${p.shortfall}). ` +
          `Smallest change: ${p.fixes.join("; or ")}`,
      ),
    );
  }
  return problems;
}

function poolProblems(pools: NonNullable<ParsedBlueprintConfig["aws"]>["nodePools"]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  pools.forEach((p, i) => {
    const key = `aws.nodePools[${i}]`;
    if (seen.has(p.name)) problems.push(problem(`${key}.name`, `pool "${p.name}" is declared twice`));
    seen.add(p.name);
    if (!(p.minSize <= p.desiredSize && p.desiredSize <= p.maxSize)) {
      problems.push(
        problem(
          key,
          `sizes must satisfy minSize <= desiredSize <= maxSize (${p.minSize}/${p.desiredSize}/${p.maxSize})`,
        ),
      );
    }
  });
  for (const role of ["system", "coderd", "workspaces"] as const) {
    const count = pools.filter((p) => p.role === role).length;
    if (count === 0) {
      problems.push(
        problem(
          "aws.nodePools",
          `add a pool with role "${role}": ` +
            (role === "system" ? "cluster add-ons need an untainted pool" : `${role} run on a dedicated, tainted pool`),
        ),
      );
    }
    if (count > 1) problems.push(problem("aws.nodePools", `one pool with role "${role}", not ${count}`));
  }
  return problems;
}
