// The IAM role VPC Flow Logs assumes to write into the stack's log group: trusted by the flow-logs service
// only for flow logs of this account in this region (confused-deputy conditions), and allowed to write
// into that one log group.

export interface FlowLogScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

export function flowLogTrustPolicy(scope: FlowLogScope) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "FlowLogsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.accountId },
          ArnLike: { "aws:SourceArn": `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:vpc-flow-log/*` },
        },
      },
    ],
  };
}

/**
 * Write access to one log group (its ARN as CloudWatch reports it, without the trailing ":*"), and the
 * listing of this account's log groups in the region that the service does before it writes.
 */
export function flowLogWritePolicy(scope: FlowLogScope, logGroupArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        Sid: "FindLogGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:*`,
      },
    ],
  };
}
