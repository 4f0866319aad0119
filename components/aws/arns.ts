// IAM role ARNs as the AWS layer accepts them from config and other components: the stack's partition, a
// 12-digit account, a role path. One parser, so the key policy and the registry's pull policy admit the
// same roles.
const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** The account of an IAM role ARN in `partition`, or undefined when `arn` is not one. */
export function roleAccount(arn: string, partition: string): string | undefined {
  const match = ROLE_ARN.exec(arn);
  return match?.[1] === partition ? match[2] : undefined;
}
