// The EKS control-plane log types, apart from the component so that config can offer the optional ones
// without loading the AWS SDK.

/** The control-plane log types always sent to CloudWatch: the API, the audit trail and IAM sign-ins. */
export const REQUIRED_LOG_TYPES = ["api", "audit", "authenticator"] as const;
/** The other control-plane log types, sent when the stack asks. */
export const OPTIONAL_LOG_TYPES = ["controllerManager", "scheduler"] as const;
export type OptionalLogType = (typeof OPTIONAL_LOG_TYPES)[number];
