// Managed node groups for the EKS cluster: one hardened launch template and one node group per pool, and
// the node IAM role they share.
// Responsibility rows (docs/responsibility.md): `node-user-accounts` (no SSH key, no remoteAccess; SSM
// Session Manager for break-glass), `node-cloud-access` (IMDSv2 with hop limit 1, a node role that can only
// pull images), `node-security` and `node-upgrades` (node groups follow the control-plane version, AMI
// releases tracked or pinned per pool, bounded rolling updates, node auto-repair), `storage-encryption`
// (data volumes encrypted with the CMK), `network-boundaries` (private subnets only; dedicated, tainted
// pools keep workspaces off coderd's nodes).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { launchTemplateArgs } from "./launch-template";
import {
  checkPools,
  NodePool,
  nodeGroupPlacement,
  Placement,
  placementFor,
  PoolRole,
  releaseParameterName,
  updateConfig,
} from "./pools";

export { BOTTLEROCKET_OS_DEVICE, DATA_DEVICE } from "./launch-template";
export type { AmiType } from "./launch-template";
export type { NodePool, Placement, PoolRole } from "./pools";

/** The AWS-managed policies the node role may carry; push-capable registry policies are never among them. */
export const NODE_POLICIES = {
  worker: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  registryPull: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  ssm: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  cni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
} as const;

export interface NodeGroupsArgs {
  /** Name of the EKS cluster the node groups join. */
  readonly clusterName: pulumi.Input<string>;
  /** The control plane's Kubernetes minor ("1.33"); every node group runs the same one. */
  readonly kubernetesVersion: pulumi.Input<string>;
  /** Private subnet IDs the nodes are placed in; nodes never get public addresses. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** ARN of the customer-managed KMS key that encrypts node data volumes. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The pools; at least one with role "system" for cluster add-ons. */
  readonly pools: NodePool[];
  /**
   * Whether the VPC CNI runs on the node role (true) or on its own Pod Identity role from the add-ons
   * component (false, keeping ENI permissions out of reach of every pod that could reach IMDS).
   */
  readonly cniOnNodeRole: boolean;
  /** Tags for every resource this component creates and the instances and volumes it launches. */
  readonly tags?: Record<string, string>;
}

/** One pool's node group as the rest of the stack sees it. */
export interface NodeGroupOutput {
  name: pulumi.Output<string>;
  version: pulumi.Output<string>;
  releaseVersion: pulumi.Output<string>;
}

export class NodeGroups extends pulumi.ComponentResource {
  /** ARN of the role every node runs as. */
  readonly nodeRoleArn: pulumi.Output<string>;
  /** Its name, for policies the stack attaches (the registry's pull-only policy). */
  readonly nodeRoleName: pulumi.Output<string>;
  /** Per pool name: the node group's name, Kubernetes version and AMI release. */
  readonly nodeGroups: Record<string, NodeGroupOutput>;
  /** Per pool role present: the nodeSelector and tolerations that place a pod on it. */
  readonly placements: Partial<Record<PoolRole, Placement>>;
  /** The node group resources, for add-ons that need nodes before they can become healthy. */
  readonly resources: aws.eks.NodeGroup[];

  constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:aws:NodeGroups", name, {}, opts);
    checkPools(args.pools);
    const tags = args.tags ?? {};

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "EKS worker nodes of the Coder cluster",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
      },
      { parent: this },
    );
    const policies: Partial<Record<keyof typeof NODE_POLICIES, string>> = {
      worker: NODE_POLICIES.worker,
      registryPull: NODE_POLICIES.registryPull,
      ssm: NODE_POLICIES.ssm,
      ...(args.cniOnNodeRole ? { cni: NODE_POLICIES.cni } : {}),
    };
    const attachments = Object.entries(policies).map(
      ([part, policyArn]) =>
        new aws.iam.RolePolicyAttachment(`${name}-${part}`, { role: role.name, policyArn }, { parent: this }),
    );

    this.resources = [];
    this.nodeGroups = {};
    this.placements = {};
    for (const pool of args.pools) {
      const groupName = `${name}-${pool.name}`;
      const poolTags = { ...tags, "coder-blueprint/pool": pool.role };
      const template = new aws.ec2.LaunchTemplate(
        `${groupName}-lt`,
        launchTemplateArgs({
          name: groupName,
          amiType: pool.amiType,
          kmsKeyArn: args.kmsKeyArn,
          volumeSizeGiB: pool.volumeSizeGiB,
          tags: poolTags,
        }),
        { parent: this },
      );
      const releaseVersion =
        pool.release.channel === "pinned"
          ? pulumi.output(pool.release.releaseVersion)
          : aws.ssm
              .getParameterOutput(
                { name: pulumi.output(args.kubernetesVersion).apply((v) => releaseParameterName(pool.amiType, v)) },
                { parent: this },
              )
              .apply((p) => p.value);
      const placement = nodeGroupPlacement(pool.role);
      const group = new aws.eks.NodeGroup(
        groupName,
        {
          clusterName: args.clusterName,
          // A fixed name, so the next run's upgrade planner can read the version this group runs.
          nodeGroupName: groupName,
          nodeRoleArn: role.arn,
          subnetIds: args.privateSubnetIds,
          version: args.kubernetesVersion,
          amiType: pool.amiType,
          releaseVersion,
          instanceTypes: pool.instanceTypes,
          capacityType: pool.capacityType,
          scalingConfig: { minSize: pool.minSize, maxSize: pool.maxSize, desiredSize: pool.desiredSize },
          updateConfig: updateConfig(pool),
          launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
          labels: placement.labels,
          taints: placement.taints,
          nodeRepairConfig: { enabled: true },
          tags: poolTags,
        },
        {
          parent: this,
          // Nodes that join before their role can pull images or register never become Ready.
          dependsOn: attachments,
          // The cluster autoscaler moves desiredSize; the stack only sets its starting point.
          ignoreChanges: ["scalingConfig.desiredSize"],
        },
      );
      this.resources.push(group);
      this.nodeGroups[pool.name] = {
        name: group.nodeGroupName,
        version: group.version,
        releaseVersion: group.releaseVersion,
      };
      this.placements[pool.role] = placementFor(pool.role);
    }
    this.nodeRoleArn = role.arn;
    this.nodeRoleName = role.name;

    this.registerOutputs({
      nodeRoleArn: this.nodeRoleArn,
      nodeRoleName: this.nodeRoleName,
      nodeGroups: this.nodeGroups,
      placements: this.placements,
    });
  }
}
