// What the AWS platform layer decides from config alone, before anything is registered: the subnet layout,
// the IP capacity plan, the approved ECR prefixes, and the Kubernetes-layer settings an `eks` stack does not
// write by hand because they follow from its VPC (pod ranges, the API endpoint's and the database's
// subnets, the internal load balancer's subnets). Pure: the rules (./rules/aws.ts) and the program
// (blueprint.ts) read the same figures, so what the config check accepted is what gets built.
import { IpPlan, IpPlanInput, planIpCapacity } from "../components/aws/network/ip-plan";
import { subnetLayout, SubnetLayout } from "../components/aws/network/layout";
import { registryHost } from "../components/aws/registry/policies";
import { AwsSettings, ParsedBlueprintConfig } from "./schema";

export const POSTGRES_PORT = 5432;

/** Where EKS Pod Identity's node agent serves credentials (coderd's, for RDS IAM authentication). */
const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** The subnets the Network component creates for these settings (throws on a layout AWS cannot hold). */
export function awsSubnetLayout(aws: AwsSettings): SubnetLayout & { isolated: string[] } {
  const layout = subnetLayout({
    vpcCidr: aws.vpc.cidr,
    azCount: aws.availabilityZones.length,
    privateSubnetPrefix: aws.vpc.privateSubnetPrefix,
    publicSubnetPrefix: aws.vpc.publicSubnetPrefix,
    publicSubnets: aws.vpc.natGateways !== "none",
    podCidr: aws.vpc.podCidr,
    podSubnetPrefix: aws.vpc.podSubnetPrefix,
    isolatedSubnetPrefix: aws.vpc.isolatedSubnetPrefix,
  });
  return { ...layout, isolated: layout.isolated ?? [] };
}

/** The workload figures the IP plan checks the subnets against, from the Kubernetes layer's own caps. */
export function ipPlanWorkload(cfg: ParsedBlueprintConfig, aws: AwsSettings) {
  const p = aws.ipPlan;
  return {
    totalWorkspaces: cfg.workspaces.maxWorkspaces * cfg.workspaces.namespaces.length,
    podsPerWorkspace: p.podsPerWorkspace,
    coderdReplicas: cfg.coder.enabled ? cfg.coder.replicas : 0,
    systemPods: p.systemPods,
    daemonSetPodsPerNode: p.daemonSetPodsPerNode,
    // Every pool at its maximum: the plan must hold the cluster the autoscaler may grow to.
    nodeCount: aws.nodePools.reduce((n, pool) => n + pool.maxSize, 0),
    maxPodsPerNode: p.maxPodsPerNode,
    cni: p.prefixDelegation
      ? { prefixDelegation: true as const, warmPrefixTarget: p.warmPrefixTarget }
      : {
          prefixDelegation: false as const,
          eniAddresses: p.eniAddresses ?? 0,
          warmIpTarget: p.warmIpTarget,
          minimumIpTarget: p.minimumIpTarget,
        },
    servicesPerWorkspace: cfg.workspaces.servicesPerWorkspace,
    otherServices: p.otherServices,
    serviceCidr: cfg.network.serviceCidrs[0],
  } satisfies Omit<IpPlanInput, "azCount" | "nodeSubnetCidrs" | "podSubnetCidrs">;
}

/** The IP capacity plan of the subnets `awsSubnetLayout` lays out. */
export function awsIpPlan(cfg: ParsedBlueprintConfig, aws: AwsSettings): IpPlan {
  const layout = awsSubnetLayout(aws);
  return planIpCapacity({
    ...ipPlanWorkload(cfg, aws),
    azCount: aws.availabilityZones.length,
    nodeSubnetCidrs: layout.private,
    podSubnetCidrs: aws.vpc.podCidr === undefined ? undefined : layout.pods,
  });
}

/** The image prefixes the stack's ECR registry serves: its namespace, then each cached upstream repository. */
function awsApprovedPrefixes(aws: AwsSettings): string[] {
  const host = registryHost(aws.accountId, aws.region);
  return [
    `${host}/${aws.registry.namespace}/`,
    ...aws.registry.pullThroughCaches.flatMap((c) =>
      c.repositories.map((r) => `${host}/${c.ecrRepositoryPrefix}/${r}/`),
    ),
  ];
}

/**
 * The configuration the Kubernetes layer reads, with what an `eks` stack derives from its AWS settings
 * filled in: pods are the pod subnets (or the private subnets without custom networking); coderd reaches
 * the API server's and the database's isolated subnets; the internal load balancer sits in the private
 * subnets, where workspace agents dial it; the approved registries start with the stack's ECR prefixes;
 * coderd trusts the RDS CA. The database URL and the CMK ARN come from the AWS resources themselves
 * (blueprint.ts). Returns the config unchanged for `existing` clusters and when the AWS settings cannot
 * be laid out (the rules report that).
 */
export function withAwsDerivedSettings(cfg: ParsedBlueprintConfig): ParsedBlueprintConfig {
  const aws = cfg.aws;
  if (cfg.cluster.target !== "eks" || aws === undefined) return cfg;
  let layout: ReturnType<typeof awsSubnetLayout>;
  try {
    layout = awsSubnetLayout(aws);
  } catch {
    return cfg;
  }
  const loadBalancer = cfg.coder.service.type === "InternalLoadBalancer" ? layout.private : [];
  return {
    ...cfg,
    network: {
      ...cfg.network,
      podCidrs: layout.pods.length > 0 ? layout.pods : layout.private,
      kubernetesApi: { cidrs: layout.isolated, ports: [443] },
      coderIngress: { ...cfg.network.coderIngress, cidrs: layout.private },
      accessUrlCidrs: loadBalancer,
      coderdEgress: [
        ...cfg.network.coderdEgress,
        {
          cidr: POD_IDENTITY_AGENT.cidr,
          ports: [POD_IDENTITY_AGENT.port],
          protocol: "TCP" as const,
          description: "EKS Pod Identity agent: coderd's AWS credentials for RDS IAM authentication",
        },
      ],
    },
    registry: { ...cfg.registry, approved: [...awsApprovedPrefixes(aws), ...(cfg.registry.approved ?? [])] },
    tls: { ...cfg.tls, trustedCaCertificates: [...cfg.tls.trustedCaCertificates, aws.database.caBundlePem] },
    database: {
      auth: "awsiamrds",
      sslMode: "verify-full",
      egress: layout.isolated.map((cidr) => ({
        cidr,
        ports: [POSTGRES_PORT],
        protocol: "TCP" as const,
        description: "RDS in the isolated subnets",
      })),
    },
  };
}
