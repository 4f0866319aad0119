// The Coder server options that carry a secret, one table. Source: coderd marks them with its `secret`
// annotation in coder/coder codersdk/deployment.go (`Annotations: ...Mark(annotationSecretKey, "true")`;
// read in the serpent-based option set of the v2.2x releases, the one with SMTP notifications and the
// workspace-prebuilds experiment) and redacts them from /api/v2/deployment/config; Helm does not, so in a
// release's values they are plain text. The AI Bridge keys come from Coder's AI Bridge docs
// (docs/ai-coder/ai-bridge), which add them in later releases. Secrets Coder reads outside its option set
// (external-auth providers, AI Gateway providers) are matched by pattern.

export interface SecretOption {
  /** The environment variable. */
  readonly env: string;
  /** The `coder server` flag, for settings passed through coder.commandArgs. */
  readonly flag: string;
  /** What the secret opens. */
  readonly what: string;
}

export const CODER_SECRET_OPTIONS_SOURCE =
  "coder/coder codersdk/deployment.go (serpent option set, v2.2x), AI Bridge keys from Coder's AI Bridge docs";

export const CODER_SECRET_OPTIONS: readonly SecretOption[] = [
  { env: "CODER_PG_CONNECTION_URL", flag: "postgres-url", what: "the database, with every session and token" },
  { env: "CODER_OIDC_CLIENT_SECRET", flag: "oidc-client-secret", what: "the OIDC client" },
  { env: "CODER_OAUTH2_GITHUB_CLIENT_SECRET", flag: "oauth2-github-client-secret", what: "the GitHub login app" },
  { env: "CODER_PROVISIONER_DAEMON_PSK", flag: "provisioner-daemon-psk", what: "external provisioner sign-in" },
  { env: "CODER_SCIM_AUTH_HEADER", flag: "scim-auth-header", what: "SCIM user provisioning" },
  {
    env: "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS",
    flag: "external-token-encryption-keys",
    what: "every user's stored Git and OIDC tokens",
  },
  { env: "CODER_EMAIL_AUTH_PASSWORD", flag: "email-auth-password", what: "the SMTP account" },
  {
    env: "CODER_NOTIFICATIONS_EMAIL_AUTH_PASSWORD",
    flag: "notifications-email-auth-password",
    what: "the SMTP account of notifications",
  },
  { env: "CODER_TRACE_HONEYCOMB_API_KEY", flag: "trace-honeycomb-api-key", what: "the tracing backend" },
  { env: "CODER_AIBRIDGE_OPENAI_KEY", flag: "aibridge-openai-key", what: "the OpenAI account (AI Bridge)" },
  { env: "CODER_AIBRIDGE_ANTHROPIC_KEY", flag: "aibridge-anthropic-key", what: "the Anthropic account (AI Bridge)" },
  {
    env: "CODER_AIBRIDGE_BEDROCK_ACCESS_KEY_SECRET",
    flag: "aibridge-bedrock-access-key-secret",
    what: "the AWS Bedrock account (AI Bridge)",
  },
];

/**
 * Secret variables Coder reads by pattern: each external-auth (Git) provider's client secret
 * (CODER_EXTERNAL_AUTH_<n>_CLIENT_SECRET, also under the legacy CODER_GITAUTH_ prefix); AI Gateway
 * providers' keys (CODER_AIBRIDGE_PROVIDER_<n>_KEY, _KEYS,
 * _BEDROCK_ACCESS_KEY_SECRET, and their CODER_AI_GATEWAY_ spellings).
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  // Every OAuth client secret, whichever provider it belongs to (external auth, GitHub login, OIDC).
  /_CLIENT_SECRET$/,
  /^CODER_(AIBRIDGE|AI_GATEWAY)_PROVIDER_\d+_(KEYS?|BEDROCK_ACCESS_KEY_SECRETS?)$/,
  /^CODER_AI_GATEWAY_(OPENAI_KEY|ANTHROPIC_KEY|BEDROCK_ACCESS_KEY_SECRET)$/,
];

const BY_ENV = new Map(CODER_SECRET_OPTIONS.map((o) => [o.env, o]));
const BY_FLAG = new Map(CODER_SECRET_OPTIONS.map((o) => [o.flag, o]));

/** Whether coderd reads a secret from this environment variable. */
export function isSecretVariable(name: string): boolean {
  return BY_ENV.has(name) || SECRET_PATTERNS.some((p) => p.test(name));
}

/** The table's option read from this environment variable; undefined for the secrets matched by pattern. */
export function secretOptionOfVariable(name: string): SecretOption | undefined {
  return BY_ENV.get(name);
}

/** The table's option this `coder server` flag (without dashes) sets. */
export function secretOptionOfFlag(flag: string): SecretOption | undefined {
  return BY_FLAG.get(flag);
}
