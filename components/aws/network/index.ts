// The VPC the dedicated EKS cluster runs in. Serves, in docs/responsibility.md:
// - `dedicated-cluster`: a VPC of its own for the Coder cluster, nothing else placed in it;
// - `ip-depletion`, `ip-depletion-pods`, `ip-depletion-services`: subnets sized by the IP capacity plan
//   (./ip-plan.ts), which is checked against the workspace maximums and published as an output, with an
//   optional secondary pod range (VPC CNI custom networking) so workspaces cannot starve the node subnets;
// - `node-cloud-access`: nodes live in private subnets without public addresses and reach ECR, STS, EC2,
//   CloudWatch Logs and SSM through VPC endpoints open on 443 to the VPC's own ranges only; the VPC's
//   default security group admits nothing; flow logs record traffic for later inspection.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { flowLogTrustPolicy, flowLogWritePolicy } from "./flow-log-policy";
import { IpPlan, IpPlanInput, planIpCapacity, renderIpPlan } from "./ip-plan";
import { subnetLayout } from "./layout";

/** Interface endpoints private nodes need: image pulls, IRSA/Pod Identity, the CNI, logs, Session Manager. */
export const INTERFACE_ENDPOINTS = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "ec2",
  "logs",
  "ssm",
  "ssmmessages",
  "ec2messages",
] as const;
/** Gateway endpoints (ECR image layers are served from S3). */
export const GATEWAY_ENDPOINTS = ["s3"] as const;

/** Tag the AWS Load Balancer Controller reads to place internal load balancers. */
const INTERNAL_ELB_TAG = "kubernetes.io/role/internal-elb";
/** Tag the AWS Load Balancer Controller reads to place internet-facing load balancers. */
const PUBLIC_ELB_TAG = "kubernetes.io/role/elb";

export type NatGateways = "per-az" | "single" | "none";

/** What the cluster must hold; the subnets and AZ count come from the network itself. */
export type WorkloadFigures = Omit<IpPlanInput, "azCount" | "nodeSubnetCidrs" | "podSubnetCidrs">;

export interface NetworkArgs {
  /** The VPC's primary IPv4 range (/16 to /28). */
  readonly vpcCidr: string;
  /** Availability zones to spread subnets over (names such as "eu-west-1a"). */
  readonly availabilityZones: string[];
  /** Prefix length of each private node subnet. */
  readonly privateSubnetPrefix: number;
  /** Prefix length of each public subnet (only created for NAT egress or internet-facing load balancers). */
  readonly publicSubnetPrefix: number;
  /** Secondary range inside 100.64.0.0/10 for pod subnets (VPC CNI custom networking); absent: none. */
  readonly podCidr?: string;
  /** Prefix length of each per-AZ pod subnet carved from podCidr. */
  readonly podSubnetPrefix?: number;
  /**
   * Prefix length of each isolated subnet (no route out of the VPC), one per AZ, for what only coderd may
   * reach: the EKS API endpoint's interfaces and the database. Absent: none.
   */
  readonly isolatedSubnetPrefix?: number;
  /** NAT gateways for egress: one per AZ (survives an AZ loss), a single one, or none (endpoints only). */
  readonly natGateways: NatGateways;
  /** Whether internet-facing load balancers may be placed in the public subnets. */
  readonly internetFacingLoadBalancers: boolean;
  /** Workspace and cluster figures the IP capacity plan checks the subnets against. */
  readonly workload: WorkloadFigures;
  /** Refuse to build a network the IP capacity plan says is too small. */
  readonly enforceIpPlan: boolean;
  /** Days flow logs are kept. */
  readonly flowLogRetentionDays: number;
  /** KMS key ARN that encrypts the flow log group; absent: CloudWatch's own encryption. */
  readonly flowLogKmsKeyArn?: pulumi.Input<string>;
  /** Refuse to delete the flow log group through Pulumi (true in prod). */
  readonly protect: boolean;
  /** Keep the flow log group when it leaves the stack. */
  readonly retainOnDelete: boolean;
  /** Tags for every resource. */
  readonly tags?: Record<string, string>;
}

export class Network extends pulumi.ComponentResource {
  /** The VPC's ID. */
  readonly vpcId: pulumi.Output<string>;
  /** Private node subnets, one per AZ in availabilityZones order. */
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** Pod subnets (custom networking), one per AZ, keyed by AZ name; empty without a pod range. */
  readonly podSubnetIds: Record<string, pulumi.Output<string>>;
  /** Public subnets, one per AZ, or none. */
  readonly publicSubnetIds: pulumi.Output<string>[];
  /** Isolated subnets, one per AZ, or none. */
  readonly isolatedSubnetIds: pulumi.Output<string>[];
  /** The subnets' ranges, in availabilityZones order. */
  readonly subnetCidrs: { private: string[]; public: string[]; pods: string[]; isolated: string[] };
  /** Every IPv4 range of the VPC. */
  readonly vpcCidrs: string[];
  /** The IP capacity plan for these subnets. */
  readonly ipPlan: IpPlan;
  /** The same plan as Markdown. */
  readonly ipPlanMarkdown: string;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const azs = args.availabilityZones;
    const publicNeeded = args.natGateways !== "none" || args.internetFacingLoadBalancers;
    const layout = subnetLayout({
      vpcCidr: args.vpcCidr,
      azCount: azs.length,
      privateSubnetPrefix: args.privateSubnetPrefix,
      publicSubnetPrefix: args.publicSubnetPrefix,
      publicSubnets: publicNeeded,
      podCidr: args.podCidr,
      podSubnetPrefix: args.podSubnetPrefix,
      isolatedSubnetPrefix: args.isolatedSubnetPrefix,
    });
    const plan = planIpCapacity({
      ...args.workload,
      azCount: azs.length,
      nodeSubnetCidrs: layout.private,
      podSubnetCidrs: args.podCidr === undefined ? undefined : layout.pods,
    });
    const markdown = renderIpPlan(plan);
    if (args.enforceIpPlan && !plan.fits) {
      throw new Error(`Network ${name}: the IP capacity plan does not fit\n${markdown}`);
    }
    super("coder-blueprint:aws:Network", name, {}, opts);
    const parent = { parent: this };
    const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });
    const partition = aws.getPartitionOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const identity = aws.getCallerIdentityOutput({}, parent);

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tags({ Name: name }) },
      parent,
    );
    // Whatever the VPC's default group would let in, nothing uses it: emptied so nothing can.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: tags({ Name: `${name}-default` }) },
      parent,
    );
    const podRange =
      args.podCidr === undefined
        ? undefined
        : new aws.ec2.VpcIpv4CidrBlockAssociation(
            `${name}-pod-cidr`,
            { vpcId: vpc.id, cidrBlock: args.podCidr },
            parent,
          );

    const privateSubnets = azs.map(
      (az, i) =>
        new aws.ec2.Subnet(
          `${name}-private-${az}`,
          {
            vpcId: vpc.id,
            cidrBlock: layout.private[i],
            availabilityZone: az,
            mapPublicIpOnLaunch: false,
            tags: tags({ Name: `${name}-private-${az}`, [INTERNAL_ELB_TAG]: "1" }),
          },
          parent,
        ),
    );
    const podSubnets = layout.pods.map(
      (cidr, i) =>
        new aws.ec2.Subnet(
          `${name}-pods-${azs[i]}`,
          {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: azs[i],
            mapPublicIpOnLaunch: false,
            tags: tags({ Name: `${name}-pods-${azs[i]}` }),
          },
          { parent: this, dependsOn: podRange ? [podRange] : [] },
        ),
    );
    const publicSubnets = layout.public.map(
      (cidr, i) =>
        new aws.ec2.Subnet(
          `${name}-public-${azs[i]}`,
          {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: azs[i],
            // NAT gateways and load balancers bring their own addresses; nothing else launched here gets one.
            mapPublicIpOnLaunch: false,
            tags: tags({
              Name: `${name}-public-${azs[i]}`,
              ...(args.internetFacingLoadBalancers ? { [PUBLIC_ELB_TAG]: "1" } : {}),
            }),
          },
          parent,
        ),
    );

    // No route table of their own: the VPC's main table holds only the local route.
    const isolatedSubnets = (layout.isolated ?? []).map(
      (cidr, i) =>
        new aws.ec2.Subnet(
          `${name}-isolated-${azs[i]}`,
          {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: azs[i],
            mapPublicIpOnLaunch: false,
            tags: tags({ Name: `${name}-isolated-${azs[i]}` }),
          },
          parent,
        ),
    );

    const natIds = this.egress(name, args, vpc, publicSubnets, tags);
    const privateTables = azs.map((az, i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-${az}`,
        { vpcId: vpc.id, tags: tags({ Name: `${name}-private-${az}` }) },
        parent,
      );
      const nat = args.natGateways === "per-az" ? natIds[i] : natIds[0];
      if (nat) {
        new aws.ec2.Route(
          `${name}-private-${az}-default`,
          { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat },
          parent,
        );
      }
      const inAz = [privateSubnets[i], ...(podSubnets[i] ? [podSubnets[i]] : [])];
      for (const subnet of inAz) {
        new aws.ec2.RouteTableAssociation(
          `${subnet === privateSubnets[i] ? `${name}-private` : `${name}-pods`}-${az}`,
          { routeTableId: table.id, subnetId: subnet.id },
          parent,
        );
      }
      return table;
    });

    const endpointSg = new aws.ec2.SecurityGroup(
      `${name}-endpoints`,
      {
        vpcId: vpc.id,
        description: "VPC interface endpoints: HTTPS from inside the VPC only",
        ingress: [
          {
            description: "HTTPS from the VPC's ranges",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: layout.vpcCidrs,
          },
        ],
        tags: tags({ Name: `${name}-endpoints` }),
      },
      parent,
    );
    const serviceName = (svc: string) => pulumi.interpolate`${partition.reverseDnsPrefix}.${region.region}.${svc}`;
    for (const svc of INTERFACE_ENDPOINTS) {
      new aws.ec2.VpcEndpoint(
        `${name}-${svc.replace(/\./g, "-")}`,
        {
          vpcId: vpc.id,
          serviceName: serviceName(svc),
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSg.id],
          tags: tags({ Name: `${name}-${svc}` }),
        },
        parent,
      );
    }
    for (const svc of GATEWAY_ENDPOINTS) {
      new aws.ec2.VpcEndpoint(
        `${name}-${svc}`,
        {
          vpcId: vpc.id,
          serviceName: serviceName(svc),
          vpcEndpointType: "Gateway",
          routeTableIds: privateTables.map((t) => t.id),
          tags: tags({ Name: `${name}-${svc}` }),
        },
        parent,
      );
    }

    this.flowLogs(name, args, vpc, { partition, region, identity }, tags);

    this.vpcId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.podSubnetIds = Object.fromEntries(podSubnets.map((s, i) => [azs[i], s.id]));
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.isolatedSubnetIds = isolatedSubnets.map((s) => s.id);
    this.subnetCidrs = {
      private: layout.private,
      public: layout.public,
      pods: layout.pods,
      isolated: layout.isolated ?? [],
    };
    this.vpcCidrs = layout.vpcCidrs;
    this.ipPlan = plan;
    this.ipPlanMarkdown = markdown;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      podSubnetIds: this.podSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      subnetCidrs: this.subnetCidrs,
      vpcCidrs: this.vpcCidrs,
      ipPlan: this.ipPlan,
      ipPlanMarkdown: this.ipPlanMarkdown,
    });
  }

  /** Internet gateway and public routes when public subnets exist; NAT gateways as configured. */
  private egress(
    name: string,
    args: NetworkArgs,
    vpc: aws.ec2.Vpc,
    publicSubnets: aws.ec2.Subnet[],
    tags: (extra: Record<string, string>) => Record<string, string>,
  ): pulumi.Output<string>[] {
    if (publicSubnets.length === 0) return [];
    const parent = { parent: this };
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags({ Name: name }) }, parent);
    const table = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, tags: tags({ Name: `${name}-public` }) },
      parent,
    );
    new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      parent,
    );
    publicSubnets.forEach((subnet, i) => {
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${args.availabilityZones[i]}`,
        { routeTableId: table.id, subnetId: subnet.id },
        parent,
      );
    });
    const natCount = args.natGateways === "per-az" ? publicSubnets.length : args.natGateways === "single" ? 1 : 0;
    return publicSubnets.slice(0, natCount).map((subnet, i) => {
      const az = args.availabilityZones[i];
      const eip = new aws.ec2.Eip(
        `${name}-nat-${az}`,
        { domain: "vpc", tags: tags({ Name: `${name}-nat-${az}` }) },
        parent,
      );
      const nat = new aws.ec2.NatGateway(
        `${name}-nat-${az}`,
        {
          allocationId: eip.id,
          subnetId: subnet.id,
          connectivityType: "public",
          tags: tags({ Name: `${name}-nat-${az}` }),
        },
        { parent: this, dependsOn: [igw] },
      );
      return nat.id;
    });
  }

  /** Flow logs of all traffic into a log group (KMS-encrypted when a key is given) through a scoped role. */
  private flowLogs(
    name: string,
    args: NetworkArgs,
    vpc: aws.ec2.Vpc,
    account: {
      partition: pulumi.Output<aws.GetPartitionResult>;
      region: pulumi.Output<aws.GetRegionResult>;
      identity: pulumi.Output<aws.GetCallerIdentityResult>;
    },
    tags: (extra: Record<string, string>) => Record<string, string>,
  ) {
    const parent = { parent: this };
    const scope = pulumi
      .all([account.partition.partition, account.identity.accountId, account.region.region])
      .apply(([partition, accountId, region]) => ({ partition, accountId, region }));
    const group = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        retentionInDays: args.flowLogRetentionDays,
        kmsKeyId: args.flowLogKmsKeyArn,
        tags: tags({ Name: `${name}-flow-logs` }),
      },
      { parent: this, protect: args.protect, retainOnDelete: args.retainOnDelete },
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        description: `VPC flow logs of ${name} into their log group`,
        assumeRolePolicy: scope.apply((s) => JSON.stringify(flowLogTrustPolicy(s))),
        tags: tags({}),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: pulumi.all([scope, group.arn]).apply(([s, arn]) => JSON.stringify(flowLogWritePolicy(s, arn))),
      },
      parent,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: tags({ Name: `${name}-flow-logs` }),
      },
      parent,
    );
  }
}
