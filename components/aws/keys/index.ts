// The stack's customer-managed KMS key, for EKS secrets, EBS volumes, RDS storage and log groups. Serves
// `storage-encryption` and `storage-cloud-access` in docs/responsibility.md: the key rotates yearly, its
// policy (./policy.ts) admits only this account's services and named roles, and it can be made the
// account's default for new EBS volumes, so no volume the cluster creates is left on the AWS-managed key.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyPolicy } from "./policy";

export interface KeysArgs {
  /** What the key is for, shown in the KMS console. */
  readonly description?: string;
  /** Alias name without the "alias/" prefix; defaults to the component's name. */
  readonly alias?: string;
  /** Days a scheduled deletion waits before the key is gone (7 to 30). */
  readonly deletionWindowInDays: number;
  /** Refuse to delete the key through Pulumi (true in prod). */
  readonly protect: boolean;
  /** Leave the key in the account when it leaves the stack, so data encrypted with it stays readable. */
  readonly retainOnDelete: boolean;
  /** IAM role ARNs of this account that may use the key directly (node role, EBS CSI driver role). */
  readonly userRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Turn on EBS encryption by default for the account and region, with this key as the default key. */
  readonly ebsEncryptionByDefault: boolean;
  /** Tags for the key. */
  readonly tags?: Record<string, string>;
}

export class Keys extends pulumi.ComponentResource {
  /** Its ARN, for encryption settings of other resources. */
  readonly keyArn: pulumi.Output<string>;
  /** Its key ID. */
  readonly keyId: pulumi.Output<string>;
  /** The alias name ("alias/…"). */
  readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
    const days = args.deletionWindowInDays;
    if (!Number.isInteger(days) || days < 7 || days > 30) {
      throw new Error(`Keys: deletionWindowInDays must be 7 to 30, not ${days}`);
    }
    super("coder-blueprint:aws:Keys", name, {}, opts);
    const invokeOpts = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, invokeOpts);
    const region = aws.getRegionOutput({}, invokeOpts);
    const partition = aws.getPartitionOutput({}, invokeOpts);

    const policy = pulumi
      .all([partition.partition, partition.dnsSuffix, identity.accountId, region.region, args.userRoleArns ?? []])
      .apply(([part, dnsSuffix, accountId, reg, roles]) =>
        JSON.stringify(keyPolicy({ partition: part, dnsSuffix, accountId, region: reg, userRoleArns: roles })),
      );

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: args.description ?? `coder-blueprint ${name}: EKS secrets, EBS volumes, RDS, log groups`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowInDays,
        bypassPolicyLockoutSafetyCheck: false,
        multiRegion: false,
        policy,
        tags: args.tags,
      },
      { parent: this, protect: args.protect, retainOnDelete: args.retainOnDelete },
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.alias ?? name}`, targetKeyId: key.keyId },
      { parent: this },
    );

    if (args.ebsEncryptionByDefault) {
      // Account-wide settings: removing them from the stack resets the account to unencrypted defaults, so
      // they stay behind exactly when the key does.
      const accountOpts = { parent: this, retainOnDelete: args.retainOnDelete };
      const byDefault = new aws.ebs.EncryptionByDefault(`${name}-ebs-by-default`, { enabled: true }, accountOpts);
      new aws.ebs.DefaultKmsKey(
        `${name}-ebs-default-key`,
        { keyArn: key.arn },
        { ...accountOpts, dependsOn: [byDefault] },
      );
    }

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
