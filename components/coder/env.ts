// coderd's environment, assembled from config. Pure functions so every security-relevant value can be
// asserted in tests without a cluster: the chart passes `coder.env` through to the container verbatim.

export type EnvVar =
  { name: string; value: string } | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  emailDomains: string[];
  allowedGroups: string[];
  allowSignups: boolean;
  groupField?: string;
  scopes: string[];
}

export interface GitProviderSettings {
  id: string;
  type: string;
  clientId: string;
  regex?: string;
  scopes?: string[];
  authUrl?: string;
  tokenUrl?: string;
  validateUrl?: string;
}

export interface CoderEnvArgs {
  accessUrl: string;
  wildcardAccessUrl?: string;
  credentialsSecret: string;
  database: { auth: "password" | "awsiamrds" };
  oidc?: OidcSettings;
  gitProviders: GitProviderSettings[];
  strictTransportSecuritySeconds: number;
  disableOwnerWorkspaceAccess: boolean;
  prometheus: boolean;
  /** Whether the credentials Secret holds external-token encryption keys. */
  externalTokenEncryption?: boolean;
}

/** Secret keys inside the credentials Secret. */
export const CREDENTIAL_KEYS = {
  database: "pg-connection-url",
  oidc: "oidc-client-secret",
  git: (id: string) => `git-${id}-client-secret`,
  tokenEncryption: "external-token-encryption-keys",
};

/**
 * The narrowest scopes with which a workspace can still clone and push (Coder's shared-responsibility
 * model, docs/responsibility.md: OAuth linkage lets Coder admins act as the linked Git user, so the token
 * should be able to do as little as possible). Always written out, so a change in Coder's built-in
 * defaults cannot widen them silently.
 */
export const MINIMAL_SCOPES: Record<string, string[]> = {
  github: ["repo"],
  gitlab: ["write_repository"],
  // Coder validates tokens against the user endpoint, which needs these read scopes too.
  gitea: ["read:user", "write:repository"],
  "bitbucket-cloud": ["account", "repository:write"],
  "bitbucket-server": ["REPO_WRITE"],
  "azure-devops": ["vso.code_write"],
  "azure-devops-entra": ["499b84ac-1321-427f-aa17-267ca6975798/vso.code_write"],
};

export function coderEnv(args: CoderEnvArgs): EnvVar[] {
  const fromSecret = (name: string, key: string): EnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: args.credentialsSecret, key } },
  });
  const env: EnvVar[] = [
    { name: "CODER_ACCESS_URL", value: args.accessUrl },
    ...(args.wildcardAccessUrl ? [{ name: "CODER_WILDCARD_ACCESS_URL", value: args.wildcardAccessUrl }] : []),
    fromSecret("CODER_PG_CONNECTION_URL", CREDENTIAL_KEYS.database),
    ...(args.database.auth === "awsiamrds" ? [{ name: "CODER_PG_AUTH", value: "awsiamrds" }] : []),
    { name: "CODER_SECURE_AUTH_COOKIE", value: "true" },
    { name: "CODER_STRICT_TRANSPORT_SECURITY", value: String(args.strictTransportSecuritySeconds) },
    { name: "CODER_STRICT_TRANSPORT_SECURITY_OPTIONS", value: "includeSubDomains" },
    { name: "CODER_REDIRECT_TO_ACCESS_URL", value: "true" },
    // Path-based apps share coderd's origin, so a workspace app could read a user's session cookie.
    { name: "CODER_DISABLE_PATH_APPS", value: "true" },
    { name: "CODER_DISABLE_OWNER_WORKSPACE_ACCESS", value: String(args.disableOwnerWorkspaceAccess) },
    // The default GitHub login uses Coder's shared OAuth app: never in a self-hosted deployment.
    { name: "CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE", value: "false" },
    { name: "CODER_CACHE_DIRECTORY", value: "/home/coder/.cache/coder" },
    { name: "CODER_PROMETHEUS_ENABLE", value: String(args.prometheus) },
    // The network policies allow no UDP, so advertising public STUN servers would only leak addresses.
    { name: "CODER_DERP_SERVER_STUN_ADDRESSES", value: "disable" },
    // Users' linked Git and OIDC tokens are stored encrypted (Premium); see config externalTokenEncryption.
    ...(args.externalTokenEncryption
      ? [fromSecret("CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS", CREDENTIAL_KEYS.tokenEncryption)]
      : []),
  ];

  if (args.oidc) {
    const o = args.oidc;
    env.push(
      { name: "CODER_OIDC_ISSUER_URL", value: o.issuerUrl },
      { name: "CODER_OIDC_CLIENT_ID", value: o.clientId },
      fromSecret("CODER_OIDC_CLIENT_SECRET", CREDENTIAL_KEYS.oidc),
      { name: "CODER_OIDC_ALLOW_SIGNUPS", value: String(o.allowSignups) },
      { name: "CODER_OIDC_SCOPES", value: o.scopes.join(",") },
      // Coder's shared-responsibility model (docs/responsibility.md): a site admin could convert an OIDC
      // user to built-in auth and then sign in as them.
      { name: "CODER_DISABLE_PASSWORD_AUTH", value: "true" },
    );
    if (o.emailDomains.length > 0) env.push({ name: "CODER_OIDC_EMAIL_DOMAIN", value: o.emailDomains.join(",") });
    if (o.groupField) env.push({ name: "CODER_OIDC_GROUP_FIELD", value: o.groupField });
    if (o.allowedGroups.length > 0) env.push({ name: "CODER_OIDC_ALLOWED_GROUPS", value: o.allowedGroups.join(",") });
  }

  args.gitProviders.forEach((p, n) => {
    const prefix = `CODER_EXTERNAL_AUTH_${n}_`;
    env.push(
      { name: `${prefix}ID`, value: p.id },
      { name: `${prefix}TYPE`, value: p.type },
      { name: `${prefix}CLIENT_ID`, value: p.clientId },
      fromSecret(`${prefix}CLIENT_SECRET`, CREDENTIAL_KEYS.git(p.id)),
    );
    const scopes = p.scopes ?? MINIMAL_SCOPES[p.type];
    const optional: Array<[string, string | undefined]> = [
      ["REGEX", p.regex],
      ["SCOPES", scopes?.join(" ")],
      ["AUTH_URL", p.authUrl],
      ["TOKEN_URL", p.tokenUrl],
      ["VALIDATE_URL", p.validateUrl],
    ];
    for (const [suffix, value] of optional) if (value) env.push({ name: `${prefix}${suffix}`, value });
  });
  return env;
}
