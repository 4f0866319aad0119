// The key policy of the blueprint's customer-managed KMS key. Serves `storage-encryption` (EBS volumes,
// EKS secrets, RDS storage and log groups are encrypted with a key the stack owns and rotates) and
// `storage-cloud-access` (only the account's AWS services, on this account's behalf, and the roles named
// here may use it) in docs/responsibility.md.
//
// Who may do what:
// - The account root administers the key (so IAM in the account can never lock itself out) but is given
//   no cryptographic action outright.
// - Principals of the account use the key only when EKS, EC2 (EBS) or RDS calls KMS for them in this
//   region (`kms:ViaService`) and the caller is this account (`kms:CallerAccount`); grants only for AWS
//   resources (`kms:GrantIsForAWSResource`), through the same services.
// - CloudWatch Logs encrypts log groups as its own service principal, not on a caller's behalf, so
//   `kms:ViaService` cannot describe it: it is admitted by its regional service principal, for log groups of
//   this account and region only (`kms:EncryptionContext:aws:logs:arn`).
// - Roles named by the caller (a node role, the EBS CSI driver's role) may use the key and create grants
//   for AWS resources directly.
// There is never a `Principal: "*"`: every principal is this account, a named role or a service.
import { roleAccount } from "../arns";

/** Where the key lives, read from the account the stack deploys to. */
export interface KeyScope {
  readonly partition: string;
  /** DNS suffix of the partition's service endpoints ("amazonaws.com"). */
  readonly dnsSuffix: string;
  readonly accountId: string;
  readonly region: string;
}

export interface KeyPolicyInput extends KeyScope {
  /** IAM role ARNs of this account allowed to use the key directly. */
  readonly userRoleArns: readonly string[];
}

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: { AWS: string | string[] } | { Service: string };
  Action: string[];
  Resource: "*";
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Services whose calls on a principal's behalf may use the key (EKS secrets, EBS volumes, RDS storage). */
const KEY_SERVICES = ["eks", "ec2", "rds"] as const;

/** Administration without use: everything about the key's life, nothing that encrypts or decrypts. */
export const ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

/** What encrypting a volume, a secret or a log group takes. */
export const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

export const GRANT_ACTIONS = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"];

const ACCOUNT_ID = /^\d{12}$/;

/** The regional endpoints through which account principals may use the key. */
function viaServices(scope: KeyScope): string[] {
  return KEY_SERVICES.map((s) => `${s}.${scope.region}.${scope.dnsSuffix}`);
}

export function keyPolicy(input: KeyPolicyInput): PolicyDocument {
  const { partition, accountId, region, dnsSuffix } = input;
  if (!ACCOUNT_ID.test(accountId)) throw new Error(`key policy: "${accountId}" is not an AWS account ID`);
  for (const arn of input.userRoleArns) {
    const account = roleAccount(arn, partition);
    if (account === undefined) throw new Error(`key policy: "${arn}" is not an IAM role ARN`);
    if (account !== accountId) throw new Error(`key policy: role ${arn} is not in account ${accountId}`);
  }
  const root = `arn:${partition}:iam::${accountId}:root`;
  const onBehalf = {
    StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": viaServices(input) },
  };
  const statements: PolicyStatement[] = [
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: ADMIN_ACTIONS,
      Resource: "*",
    },
    {
      Sid: "AccountUsesKeyThroughServices",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: USE_ACTIONS,
      Resource: "*",
      Condition: onBehalf,
    },
    {
      Sid: "AccountGrantsForAwsResources",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: GRANT_ACTIONS,
      Resource: "*",
      Condition: { ...onBehalf, Bool: { "kms:GrantIsForAWSResource": true } },
    },
    {
      Sid: "CloudWatchLogsEncryptsLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.${dnsSuffix}` },
      Action: USE_ACTIONS,
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` },
      },
    },
  ];
  if (input.userRoleArns.length > 0) {
    const roles = [...input.userRoleArns].sort();
    statements.push(
      { Sid: "NamedRolesUseKey", Effect: "Allow", Principal: { AWS: roles }, Action: USE_ACTIONS, Resource: "*" },
      {
        Sid: "NamedRolesGrantForAwsResources",
        Effect: "Allow",
        Principal: { AWS: roles },
        Action: GRANT_ACTIONS,
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The Auto Scaling service-linked role, which launches node groups' encrypted volumes: name it in
 * userRoleArns when nodes boot from volumes encrypted with this key (it must exist before the policy
 * names it; AWS creates it with the first Auto Scaling group).
 */
export function autoScalingServiceLinkedRoleArn(partition: string, accountId: string): string {
  return (
    `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/` +
    "AWSServiceRoleForAutoScaling"
  );
}
