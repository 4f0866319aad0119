// The EKS add-ons the cluster runs on, each pinned to a version the stack chooses, and the add-ons' own
// IAM roles, each bound through EKS Pod Identity to exactly the one service account that uses it.
// Responsibility rows (docs/responsibility.md): `network-boundaries` (VPC CNI native network policy on, so
// the Kubernetes layer's NetworkPolicies are enforced), `ip-depletion-pods` (prefix delegation, warm
// targets and custom networking from the IP plan), `node-cloud-access` (the CNI's ENI permissions and the
// CSI driver's EBS/KMS permissions live on Pod Identity roles, not on the node role every pod could reach),
// `storage-encryption` (the CSI driver may use the CMK, and only that key), `node-upgrades` (add-on
// versions move with the control plane through the version table).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ebsKmsPolicy, loadBalancerControllerPolicy } from "./iam";
import { NODE_POLICIES } from "../nodes";
import { podIdentityRole } from "./pod-identity";
import { IpPlan, vpcCniConfiguration } from "./vpc-cni";

export type { IpPlan } from "./vpc-cni";

export const ADDON = {
  vpcCni: "vpc-cni",
  coreDns: "coredns",
  kubeProxy: "kube-proxy",
  podIdentityAgent: "eks-pod-identity-agent",
  ebsCsi: "aws-ebs-csi-driver",
} as const;
export type AddonName = (typeof ADDON)[keyof typeof ADDON];

/** The service accounts the add-on roles are bound to, as the add-ons and the controller's chart name them. */
const SERVICE_ACCOUNTS = {
  vpcCni: { namespace: "kube-system", serviceAccount: "aws-node" },
  ebsCsi: { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" },
  loadBalancerController: { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
} as const;

const ADDON_POLICIES = {
  cni: NODE_POLICIES.cni,
  ebsCsi: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
} as const;

/**
 * What EKS does when an add-on's Kubernetes objects differ from the stack on update. OVERWRITE where the
 * stack's configuration is a security setting (network policy, IP plan, Pod Identity credentials), so a
 * hand edit cannot silently outlive the next `pulumi up`; PRESERVE for CoreDNS, whose Corefile operators
 * extend (stub domains for private Git or identity providers) and which the stack does not configure.
 */
const RESOLVE_ON_UPDATE: Readonly<Record<AddonName, "OVERWRITE" | "PRESERVE">> = {
  "vpc-cni": "OVERWRITE",
  coredns: "PRESERVE",
  "kube-proxy": "OVERWRITE",
  "eks-pod-identity-agent": "OVERWRITE",
  "aws-ebs-csi-driver": "OVERWRITE",
};

/** A pod subnet for custom networking; IDs come from the network component. */
export interface PodSubnetArgs {
  readonly id: pulumi.Input<string>;
  readonly securityGroups?: pulumi.Input<string>[];
}

/** The IP plan's VPC CNI settings, with subnet IDs still to be resolved. */
export type IpPlanArgs = Omit<IpPlan, "customNetworking"> & {
  readonly customNetworking?: { readonly region: string; readonly subnets: Record<string, PodSubnetArgs> };
};

export interface AddonsArgs {
  /** Name of the EKS cluster. */
  readonly clusterName: pulumi.Input<string>;
  /** Version per add-on name (all five add-ons), from the cluster's version table for its Kubernetes minor. */
  readonly addonVersions: Record<string, pulumi.Input<string>>;
  /** How the VPC CNI hands out pod addresses. */
  readonly ipPlan: IpPlanArgs;
  /** ARN of the customer-managed KMS key the EBS CSI driver encrypts volumes with. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Give the VPC CNI its own Pod Identity role; the node groups then leave the CNI policy off the node role. */
  readonly cniPodIdentity: boolean;
  /** The stack exposes coderd through an internal NLB: create the AWS Load Balancer Controller's role. */
  readonly internalLoadBalancers: boolean;
  /**
   * Node groups CoreDNS and the EBS CSI driver wait for (they report healthy only once they have nodes).
   * When the node groups depend on `beforeCompute`, pass a `pulumi.deferredOutput` resolved afterwards.
   */
  readonly nodeGroups?: pulumi.Input<pulumi.Resource[]>;
  /** Tags for every AWS resource this component creates. */
  readonly tags?: Record<string, string>;
}

export interface AddonOutput {
  name: pulumi.Output<string>;
  version: pulumi.Output<string>;
}

export class Addons extends pulumi.ComponentResource {
  /** Per add-on name: the installed add-on and its version. */
  readonly addons: Partial<Record<AddonName, AddonOutput>>;
  /** ARNs of the add-on roles: the EBS CSI driver's always, the CNI's and the load balancer controller's if made. */
  readonly roleArns: {
    ebsCsi: pulumi.Output<string>;
    vpcCni?: pulumi.Output<string>;
    loadBalancerController?: pulumi.Output<string>;
  };
  /** What nodes need before they can become Ready (networking, Pod Identity): node groups depend on these. */
  readonly beforeCompute: pulumi.Resource[];

  constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:aws:Addons", name, {}, opts);
    const tags = args.tags ?? {};
    const missing = Object.values(ADDON).filter((a) => args.addonVersions[a] === undefined);
    if (missing.length > 0) throw new Error(`addonVersions has no version for ${missing.join(", ")}`);
    // Validate the plan now (a bad figure fails the preview, not the add-on update).
    vpcCniConfiguration({ ...args.ipPlan, customNetworking: undefined });

    const podRole = (part: string, sa: { namespace: string; serviceAccount: string }, description: string) =>
      podIdentityRole(`${name}-${part}`, { clusterName: args.clusterName, ...sa, description, tags }, { parent: this });

    const addon = (
      key: AddonName,
      extra: Partial<aws.eks.AddonArgs>,
      dependsOn: pulumi.Input<pulumi.Resource[]> = [],
    ) =>
      new aws.eks.Addon(
        `${name}-${key}`,
        {
          clusterName: args.clusterName,
          addonName: key,
          addonVersion: args.addonVersions[key],
          // EKS installs self-managed copies of vpc-cni, coredns and kube-proxy with a new cluster: take them over.
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: RESOLVE_ON_UPDATE[key],
          tags,
          ...extra,
        },
        { parent: this, dependsOn },
      );

    const agent = addon(ADDON.podIdentityAgent, {});

    let cni: { role: aws.iam.Role; association: aws.eks.PodIdentityAssociation } | undefined;
    const cniDeps: pulumi.Resource[] = [];
    if (args.cniPodIdentity) {
      cni = podRole("vpc-cni", SERVICE_ACCOUNTS.vpcCni, "VPC CNI (aws-node) of the Coder cluster");
      cniDeps.push(
        new aws.iam.RolePolicyAttachment(
          `${name}-vpc-cni-policy`,
          { role: cni.role.name, policyArn: ADDON_POLICIES.cni },
          { parent: this },
        ),
        cni.association,
        // The agent must be serving before aws-node restarts, or the CNI starts without credentials.
        agent,
      );
    }
    const vpcCni = addon(
      ADDON.vpcCni,
      {
        configurationValues: pulumi
          .output(args.ipPlan)
          .apply((plan) => JSON.stringify(vpcCniConfiguration(plan as IpPlan))),
      },
      cniDeps,
    );
    const kubeProxy = addon(ADDON.kubeProxy, {});

    const nodes = pulumi.output(args.nodeGroups ?? []);
    const coreDns = addon(ADDON.coreDns, {}, nodes);

    const ebs = podRole("ebs-csi", SERVICE_ACCOUNTS.ebsCsi, "EBS CSI controller of the Coder cluster");
    const ebsManaged = new aws.iam.RolePolicyAttachment(
      `${name}-ebs-csi-policy`,
      { role: ebs.role.name, policyArn: ADDON_POLICIES.ebsCsi },
      { parent: this },
    );
    const ebsKms = new aws.iam.RolePolicy(
      `${name}-ebs-csi-kms`,
      { role: ebs.role.id, policy: pulumi.output(args.kmsKeyArn).apply((k) => JSON.stringify(ebsKmsPolicy(k))) },
      { parent: this },
    );
    const ebsCsi = addon(
      ADDON.ebsCsi,
      {},
      nodes.apply((n) => [...n, agent, ebs.association, ebsManaged, ebsKms]),
    );

    let lbc: { role: aws.iam.Role } | undefined;
    if (args.internalLoadBalancers) {
      lbc = podRole(
        "lb-controller",
        SERVICE_ACCOUNTS.loadBalancerController,
        "AWS Load Balancer Controller (internal NLBs only) of the Coder cluster",
      );
      new aws.iam.RolePolicy(
        `${name}-lb-controller-policy`,
        { role: lbc.role.id, policy: JSON.stringify(loadBalancerControllerPolicy()) },
        { parent: this },
      );
    }

    const out = (a: aws.eks.Addon): AddonOutput => ({ name: a.addonName, version: a.addonVersion });
    this.addons = {
      [ADDON.podIdentityAgent]: out(agent),
      [ADDON.vpcCni]: out(vpcCni),
      [ADDON.kubeProxy]: out(kubeProxy),
      [ADDON.coreDns]: out(coreDns),
      [ADDON.ebsCsi]: out(ebsCsi),
    };
    this.roleArns = {
      ebsCsi: ebs.role.arn,
      ...(cni ? { vpcCni: cni.role.arn } : {}),
      ...(lbc ? { loadBalancerController: lbc.role.arn } : {}),
    };
    this.beforeCompute = [agent, vpcCni, kubeProxy];

    this.registerOutputs({ addons: this.addons, roleArns: this.roleArns });
  }
}
