// The launch template every managed node group brings, so the program (and the policy pack) decides the
// nodes' metadata service and disk encryption instead of inheriting EKS's defaults.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** AMI types the blueprint's node groups run: EKS-optimized Amazon Linux 2023 or Bottlerocket. */
export type AmiType =
  | "AL2023_x86_64_STANDARD"
  | "AL2023_ARM_64_STANDARD"
  | "AL2023_x86_64_NVIDIA"
  | "AL2023_ARM_64_NVIDIA"
  | "AL2023_x86_64_NEURON"
  | "BOTTLEROCKET_x86_64"
  | "BOTTLEROCKET_ARM_64"
  | "BOTTLEROCKET_x86_64_FIPS"
  | "BOTTLEROCKET_ARM_64_FIPS"
  | "BOTTLEROCKET_x86_64_NVIDIA"
  | "BOTTLEROCKET_ARM_64_NVIDIA";

export type AmiFamily = "al2023" | "bottlerocket";

function amiFamily(amiType: AmiType): AmiFamily {
  return amiType.startsWith("BOTTLEROCKET") ? "bottlerocket" : "al2023";
}

/**
 * The device that holds what workloads write (container images, writable layers, emptyDir), per AMI family.
 * AL2023 keeps everything on its root volume, `/dev/xvda`. Bottlerocket boots from a small, read-only OS
 * volume at `/dev/xvda` and keeps containers and their data on a second volume, `/dev/xvdb` (Bottlerocket's
 * two-volume layout, which Karpenter's Bottlerocket node classes map the same way). Encrypting the wrong
 * device would leave workspace data on an unencrypted disk.
 */
export const DATA_DEVICE: Readonly<Record<AmiFamily, string>> = {
  al2023: "/dev/xvda",
  bottlerocket: "/dev/xvdb",
};

/** Bottlerocket's OS volume: also encrypted with the CMK, at the AMI snapshot's own size. */
export const BOTTLEROCKET_OS_DEVICE = "/dev/xvda";

export interface LaunchTemplateInput {
  /** The node group's full name, used to tag instances and their volumes. */
  readonly name: string;
  readonly amiType: AmiType;
  /** ARN of the customer-managed KMS key node volumes are encrypted with. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Size of the data volume in GiB. */
  readonly volumeSizeGiB: number;
  /** Tags put on the instances, volumes and network interfaces the template launches. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Launch-template arguments for one pool. There is no `keyName`, `userData` or `imageId`: EKS picks the
 * AMI from the node group's amiType and releaseVersion and writes the bootstrap itself, and node access
 * goes through SSM Session Manager, never SSH.
 */
export function launchTemplateArgs(input: LaunchTemplateInput): aws.ec2.LaunchTemplateArgs {
  if (!Number.isInteger(input.volumeSizeGiB) || input.volumeSizeGiB < 20) {
    throw new Error(`${input.name}: volumeSizeGiB must be an integer of at least 20 (got ${input.volumeSizeGiB})`);
  }
  const family = amiFamily(input.amiType);
  const encryption = { encrypted: "true", kmsKeyId: input.kmsKeyArn, deleteOnTermination: "true" };
  return {
    description: `Nodes of ${input.name}: IMDSv2 only, encrypted data volume, no SSH key`,
    updateDefaultVersion: true,
    // Tokens required and one hop: the node's own processes reach IMDS, pods behind the node's network
    // namespace (one more hop) cannot, so a workspace never obtains the node role's credentials.
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    },
    blockDeviceMappings: [
      ...(family === "bottlerocket"
        ? [{ deviceName: BOTTLEROCKET_OS_DEVICE, ebs: { ...encryption, volumeType: "gp3" } }]
        : []),
      { deviceName: DATA_DEVICE[family], ebs: { ...encryption, volumeType: "gp3", volumeSize: input.volumeSizeGiB } },
    ],
    monitoring: { enabled: true },
    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
      resourceType,
      tags: { ...input.tags, Name: input.name },
    })),
    tags: { ...input.tags },
  };
}
