// The EKS cluster dedicated to Coder (docs/responsibility.md rows `dedicated-cluster`, `control-plane-access`,
// `cluster-admins`, `storage-encryption`, `node-upgrades`): Secrets envelope-encrypted with the stack's CMK,
// a private API endpoint (public only for listed CIDRs), the audit trail in a KMS-encrypted log group,
// administrators only through scoped access entries, and a Kubernetes version the upgrade planner accepts.
// The log key's policy must let CloudWatch Logs use it for this log group, or creating the group fails.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessGrants, ClusterAdmin } from "./access";
import { AddonName, addonVersions, AddonPins, ADDONS } from "./addons";
import { Channel, resolveChannel, SupportType } from "./channels";
import { apiIngress, endpointAccess, LOG_RETENTION_DAYS } from "./endpoint";
import { OptionalLogType, REQUIRED_LOG_TYPES } from "./logs";
import { CurrentVersions, planUpgrade, UpgradeReport, upgradeReport, VersionChange } from "./upgrades";

export interface ClusterArgs {
  /** The EKS cluster's name; fixed, so the next run can read what it runs (currentVersions). */
  readonly clusterName: string;
  /** The upgrade channel the cluster follows; `extended` also opts into EKS extended support. */
  readonly channel: Channel;
  /** A Kubernetes minor ("1.35") pinned instead of the channel's. */
  readonly version?: string;
  /** What runs now, from currentVersions() awaited before any resource; "absent" on the first deploy. */
  readonly current: CurrentVersions;
  /** The EKS names of the managed node groups the stack declares. */
  readonly nodeGroupNames: readonly string[];
  /** Node groups held at an older minor than the control plane, by EKS name. */
  readonly nodeGroupPins?: Readonly<Record<string, string>>;
  /** Add-on versions that replace EKS's default for the cluster's minor. */
  readonly addonPins?: AddonPins;
  /** The VPC of the cluster. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (two or more zones) for the control plane's network interfaces. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The range Kubernetes services take their addresses from (EKS picks one when omitted). */
  readonly serviceIpv4Cidr?: string;
  /** ARN of the customer managed KMS key that envelope-encrypts Kubernetes Secrets. */
  readonly secretsKeyArn: pulumi.Input<string>;
  /** CIDRs allowed on the public endpoint; the public endpoint is off when empty or omitted. */
  readonly publicAccessCidrs?: readonly string[];
  /** Networks outside the VPC (VPN, peered admin networks) that reach the private endpoint on 443. */
  readonly privateApiCidrs?: readonly string[];
  /** Control-plane log types sent in addition to api, audit and authenticator. */
  readonly extraLogTypes?: readonly OptionalLogType[];
  /** Days CloudWatch keeps the control-plane logs (a CloudWatch retention value). */
  readonly logRetentionDays: number;
  /** ARN of the KMS key encrypting the control-plane log group. */
  readonly logKeyArn?: pulumi.Input<string>;
  /** The IAM principals that administer the cluster, each with a scoped access policy. */
  readonly admins: readonly ClusterAdmin[];
  /** The one IAM role allowed cluster-admin (AmazonEKSClusterAdminPolicy), for emergencies. */
  readonly breakGlassRoleArn?: string;
  /** Protects the cluster and its logs from deletion (true in production). */
  readonly protect: boolean;
  /** Tags for every AWS resource here. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Validates the arguments and plans the upgrade; throws on anything the stack must not deploy. */
function checkClusterArgs(args: ClusterArgs) {
  const channel = resolveChannel({ channel: args.channel, version: args.version });
  const plan = planUpgrade(args.current, {
    version: channel.version,
    nodeGroups: args.nodeGroupNames,
    nodeGroupPins: args.nodeGroupPins,
  });
  const endpoint = endpointAccess(args.publicAccessCidrs);
  const ingress = args.privateApiCidrs?.length ? apiIngress(args.privateApiCidrs) : undefined;
  const grants = accessGrants(args.admins, args.breakGlassRoleArn);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logRetentionDays)) {
    throw new Error(`logRetentionDays ${args.logRetentionDays} is not a CloudWatch retention period`);
  }
  return { channel, plan, endpoint, ingress, grants };
}

export class Cluster extends pulumi.ComponentResource {
  /** The EKS cluster's name. */
  readonly clusterName: pulumi.Output<string>;
  /** The API server URL. */
  readonly endpoint: pulumi.Output<string>;
  /** The cluster CA certificate, base64-encoded. */
  readonly certificateAuthorityData: pulumi.Output<string>;
  /** The OIDC issuer URL, for IAM roles for service accounts. */
  readonly oidcIssuer: pulumi.Output<string>;
  /** The security group EKS created for control plane to node traffic. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The control plane's Kubernetes version. */
  readonly version: pulumi.Output<string>;
  /** The version each declared node group runs after this `up`, by EKS name. */
  readonly nodeGroupVersions: Record<string, string>;
  /** The version each managed add-on runs after this `up`. */
  readonly addonVersions: pulumi.Output<Record<AddonName, string>>;
  /** The EKS support policy. */
  readonly supportType: SupportType;
  /** Current and target versions and the order this `up` applies them. */
  readonly upgradeReport: pulumi.Output<UpgradeReport>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything that can refuse the stack runs before anything, this component included, is registered.
    const { channel, plan, endpoint, ingress, grants } = checkClusterArgs(args);
    super("coder-blueprint:aws:Cluster", name, {}, opts);
    const tags = args.tags ?? {};
    const stateful = { parent: this, protect: args.protect, retainOnDelete: args.protect };

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `EKS control plane of ${args.clusterName}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicyAttachment(
      `${name}-role-policy`,
      { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" },
      { parent: this },
    );

    // EKS would create this group itself, unencrypted and kept forever; created first, it gets ours.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/aws/eks/${args.clusterName}/cluster`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.logKeyArn,
        deletionProtectionEnabled: args.protect,
        tags,
      },
      stateful,
    );

    const apiSecurityGroups: pulumi.Input<string>[] = [];
    if (ingress) {
      const sg = new aws.ec2.SecurityGroup(
        `${name}-api`,
        {
          description: `Kubernetes API of ${args.clusterName} from listed networks`,
          vpcId: args.vpcId,
          ingress: [ingress],
          // Replies to allowed connections need no rule; nothing else leaves through this group.
          egress: [],
          tags,
        },
        { parent: this },
      );
      apiSecurityGroups.push(sg.id);
    }

    const cluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        roleArn: role.arn,
        version: plan.controlPlane.target,
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: apiSecurityGroups, ...endpoint },
        ...(args.serviceIpv4Cidr ? { kubernetesNetworkConfig: { serviceIpv4Cidr: args.serviceIpv4Cidr } } : {}),
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: args.secretsKeyArn } },
        enabledClusterLogTypes: [...REQUIRED_LOG_TYPES, ...(args.extraLogTypes ?? [])],
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        upgradePolicy: { supportType: channel.supportType },
        deletionProtection: args.protect,
        tags,
      },
      { ...stateful, dependsOn: [rolePolicy, logGroup] },
    );

    for (const grant of grants) {
      const entry = new aws.eks.AccessEntry(
        `${name}-access-${grant.key}`,
        { clusterName: cluster.name, principalArn: grant.principalArn, type: "STANDARD", tags },
        { parent: this },
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-access-${grant.key}`,
        {
          clusterName: cluster.name,
          principalArn: entry.principalArn,
          policyArn: grant.policyArn,
          accessScope: grant.accessScope,
        },
        { parent: this },
      );
    }

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.data;
    this.oidcIssuer = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer);
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.version = cluster.version;
    this.supportType = channel.supportType;
    this.nodeGroupVersions = Object.fromEntries(Object.entries(plan.nodeGroups).map(([n, c]) => [n, c.target]));
    this.addonVersions = addonVersions(plan.controlPlane.target, args.addonPins, { parent: this });
    const current = args.current;
    this.upgradeReport = this.addonVersions.apply((targets) => {
      const addons: Record<string, VersionChange> = {};
      for (const addon of ADDONS) {
        addons[addon] = {
          current: current === "absent" ? "absent" : (current.addons[addon] ?? "absent"),
          target: targets[addon],
        };
      }
      return upgradeReport(plan, addons);
    });
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      certificateAuthorityData: this.certificateAuthorityData,
      oidcIssuer: this.oidcIssuer,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      version: this.version,
      nodeGroupVersions: this.nodeGroupVersions,
      addonVersions: this.addonVersions,
      supportType: this.supportType,
      upgradeReport: this.upgradeReport,
    });
  }
}
