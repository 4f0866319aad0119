// coderd's environment builder: where each Git provider's client secret is read from.
import * as assert from "assert";
import { CoderEnvArgs, coderEnv, CREDENTIAL_KEYS, MINIMAL_SCOPES, OidcSettings } from "../components/coder/env";

const ARGS: CoderEnvArgs = {
  accessUrl: "https://coder.example.com",
  credentialsSecret: "coder-credentials",
  database: { auth: "password" },
  gitProviders: [],
  strictTransportSecuritySeconds: 31536000,
  disableOwnerWorkspaceAccess: true,
  prometheus: false,
};

describe("components/coder/env: Git provider client secrets", () => {
  it("reads each provider's client secret from its own key of the credentials Secret", () => {
    const env = coderEnv({
      ...ARGS,
      gitProviders: [
        { id: "github", type: "github", clientId: "gh-client" },
        { id: "gitlab-internal", type: "gitlab", clientId: "gl-client" },
      ],
    });
    const secretOf = (name: string) => env.find((e) => e.name === name);
    assert.deepStrictEqual(secretOf("CODER_EXTERNAL_AUTH_0_CLIENT_SECRET"), {
      name: "CODER_EXTERNAL_AUTH_0_CLIENT_SECRET",
      valueFrom: { secretKeyRef: { name: "coder-credentials", key: "git-github-client-secret" } },
    });
    assert.deepStrictEqual(secretOf("CODER_EXTERNAL_AUTH_1_CLIENT_SECRET"), {
      name: "CODER_EXTERNAL_AUTH_1_CLIENT_SECRET",
      valueFrom: { secretKeyRef: { name: "coder-credentials", key: "git-gitlab-internal-client-secret" } },
    });
    assert.strictEqual(CREDENTIAL_KEYS.git("bitbucket"), "git-bitbucket-client-secret");
  });
});

describe("components/coder/env: access URLs and the database", () => {
  const valueOf = (env: ReturnType<typeof coderEnv>, name: string) => env.find((e) => e.name === name);

  it("points coderd at its access URL, and at a wildcard URL only when one is set", () => {
    const env = coderEnv(ARGS);
    assert.deepStrictEqual(valueOf(env, "CODER_ACCESS_URL"), {
      name: "CODER_ACCESS_URL",
      value: "https://coder.example.com",
    });
    assert.strictEqual(valueOf(env, "CODER_WILDCARD_ACCESS_URL"), undefined);
    assert.deepStrictEqual(
      valueOf(coderEnv({ ...ARGS, wildcardAccessUrl: "*.coder.example.com" }), "CODER_WILDCARD_ACCESS_URL"),
      {
        name: "CODER_WILDCARD_ACCESS_URL",
        value: "*.coder.example.com",
      },
    );
  });

  it("reads the database URL from the credentials Secret, and asks for IAM authentication only on awsiamrds", () => {
    const env = coderEnv(ARGS);
    assert.deepStrictEqual(valueOf(env, "CODER_PG_CONNECTION_URL"), {
      name: "CODER_PG_CONNECTION_URL",
      valueFrom: { secretKeyRef: { name: "coder-credentials", key: CREDENTIAL_KEYS.database } },
    });
    assert.strictEqual(valueOf(env, "CODER_PG_AUTH"), undefined);
    const iam = coderEnv({ ...ARGS, database: { auth: "awsiamrds" } });
    assert.deepStrictEqual(valueOf(iam, "CODER_PG_AUTH"), { name: "CODER_PG_AUTH", value: "awsiamrds" });
  });
});

describe("components/coder/env: the hardening every deployment gets", () => {
  it("writes the fixed settings, and the ones config controls from config", () => {
    assert.deepStrictEqual(coderEnv({ ...ARGS, strictTransportSecuritySeconds: 600, prometheus: true }), [
      { name: "CODER_ACCESS_URL", value: "https://coder.example.com" },
      {
        name: "CODER_PG_CONNECTION_URL",
        valueFrom: { secretKeyRef: { name: "coder-credentials", key: "pg-connection-url" } },
      },
      { name: "CODER_SECURE_AUTH_COOKIE", value: "true" },
      { name: "CODER_STRICT_TRANSPORT_SECURITY", value: "600" },
      { name: "CODER_STRICT_TRANSPORT_SECURITY_OPTIONS", value: "includeSubDomains" },
      { name: "CODER_REDIRECT_TO_ACCESS_URL", value: "true" },
      { name: "CODER_DISABLE_PATH_APPS", value: "true" },
      { name: "CODER_DISABLE_OWNER_WORKSPACE_ACCESS", value: "true" },
      { name: "CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE", value: "false" },
      { name: "CODER_CACHE_DIRECTORY", value: "/home/coder/.cache/coder" },
      { name: "CODER_PROMETHEUS_ENABLE", value: "true" },
      { name: "CODER_DERP_SERVER_STUN_ADDRESSES", value: "disable" },
    ]);
  });

  it("passes owner workspace access, metrics and token encryption through as configured", () => {
    const env = coderEnv({ ...ARGS, disableOwnerWorkspaceAccess: false, externalTokenEncryption: true });
    const byName = new Map(env.map((e) => [e.name, e]));
    assert.deepStrictEqual(byName.get("CODER_DISABLE_OWNER_WORKSPACE_ACCESS"), {
      name: "CODER_DISABLE_OWNER_WORKSPACE_ACCESS",
      value: "false",
    });
    assert.deepStrictEqual(byName.get("CODER_PROMETHEUS_ENABLE"), { name: "CODER_PROMETHEUS_ENABLE", value: "false" });
    assert.deepStrictEqual(byName.get("CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS"), {
      name: "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS",
      valueFrom: { secretKeyRef: { name: "coder-credentials", key: "external-token-encryption-keys" } },
    });
    assert.ok(!coderEnv(ARGS).some((e) => e.name === "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS"));
  });
});

describe("components/coder/env: OIDC", () => {
  const OIDC: OidcSettings = {
    issuerUrl: "https://login.example.com",
    clientId: "coder",
    emailDomains: ["example.com", "example.org"],
    allowedGroups: ["coder-users", "coder-admins"],
    allowSignups: true,
    groupField: "groups",
    scopes: ["openid", "profile", "email", "groups"],
  };
  const oidcPart = (oidc: OidcSettings) => coderEnv({ ...ARGS, oidc }).slice(coderEnv(ARGS).length);

  it("signs in through the issuer only, limited to the allowed domains and groups", () => {
    assert.deepStrictEqual(oidcPart(OIDC), [
      { name: "CODER_OIDC_ISSUER_URL", value: "https://login.example.com" },
      { name: "CODER_OIDC_CLIENT_ID", value: "coder" },
      {
        name: "CODER_OIDC_CLIENT_SECRET",
        valueFrom: { secretKeyRef: { name: "coder-credentials", key: "oidc-client-secret" } },
      },
      { name: "CODER_OIDC_ALLOW_SIGNUPS", value: "true" },
      { name: "CODER_OIDC_SCOPES", value: "openid,profile,email,groups" },
      { name: "CODER_DISABLE_PASSWORD_AUTH", value: "true" },
      { name: "CODER_OIDC_EMAIL_DOMAIN", value: "example.com,example.org" },
      { name: "CODER_OIDC_GROUP_FIELD", value: "groups" },
      { name: "CODER_OIDC_ALLOWED_GROUPS", value: "coder-users,coder-admins" },
    ]);
  });

  it("writes no domain, group or group-claim limit that config does not set", () => {
    const names = oidcPart({
      ...OIDC,
      emailDomains: [],
      allowedGroups: [],
      groupField: undefined,
      allowSignups: false,
    }).map((e) => e.name);
    assert.deepStrictEqual(names, [
      "CODER_OIDC_ISSUER_URL",
      "CODER_OIDC_CLIENT_ID",
      "CODER_OIDC_CLIENT_SECRET",
      "CODER_OIDC_ALLOW_SIGNUPS",
      "CODER_OIDC_SCOPES",
      "CODER_DISABLE_PASSWORD_AUTH",
    ]);
    // One domain or group alone is still written (a count check of "more than one" would drop it).
    const single = oidcPart({ ...OIDC, emailDomains: ["example.com"], allowedGroups: ["coder-users"] });
    assert.ok(single.some((e) => e.name === "CODER_OIDC_EMAIL_DOMAIN"));
    assert.ok(single.some((e) => e.name === "CODER_OIDC_ALLOWED_GROUPS"));
  });
});

describe("components/coder/env: Git providers", () => {
  const gitPart = (gitProviders: CoderEnvArgs["gitProviders"]) =>
    coderEnv({ ...ARGS, gitProviders }).slice(coderEnv(ARGS).length);
  const secret = (id: string) => ({ secretKeyRef: { name: "coder-credentials", key: `git-${id}-client-secret` } });

  it("numbers each provider and asks for the narrowest scopes of its type unless config names others", () => {
    assert.deepStrictEqual(
      gitPart([
        { id: "github", type: "github", clientId: "gh" },
        {
          id: "gitlab",
          type: "gitlab",
          clientId: "gl",
          regex: "^https://gitlab\\.example\\.com/",
          scopes: ["read_repository", "write_repository"],
          authUrl: "https://gitlab.example.com/oauth/authorize",
          tokenUrl: "https://gitlab.example.com/oauth/token",
          validateUrl: "https://gitlab.example.com/oauth/token/info",
        },
      ]),
      [
        { name: "CODER_EXTERNAL_AUTH_0_ID", value: "github" },
        { name: "CODER_EXTERNAL_AUTH_0_TYPE", value: "github" },
        { name: "CODER_EXTERNAL_AUTH_0_CLIENT_ID", value: "gh" },
        { name: "CODER_EXTERNAL_AUTH_0_CLIENT_SECRET", valueFrom: secret("github") },
        { name: "CODER_EXTERNAL_AUTH_0_SCOPES", value: "repo" },
        { name: "CODER_EXTERNAL_AUTH_1_ID", value: "gitlab" },
        { name: "CODER_EXTERNAL_AUTH_1_TYPE", value: "gitlab" },
        { name: "CODER_EXTERNAL_AUTH_1_CLIENT_ID", value: "gl" },
        { name: "CODER_EXTERNAL_AUTH_1_CLIENT_SECRET", valueFrom: secret("gitlab") },
        { name: "CODER_EXTERNAL_AUTH_1_REGEX", value: "^https://gitlab\\.example\\.com/" },
        { name: "CODER_EXTERNAL_AUTH_1_SCOPES", value: "read_repository write_repository" },
        { name: "CODER_EXTERNAL_AUTH_1_AUTH_URL", value: "https://gitlab.example.com/oauth/authorize" },
        { name: "CODER_EXTERNAL_AUTH_1_TOKEN_URL", value: "https://gitlab.example.com/oauth/token" },
        { name: "CODER_EXTERNAL_AUTH_1_VALIDATE_URL", value: "https://gitlab.example.com/oauth/token/info" },
      ],
    );
  });

  it("writes the narrowest scopes that still clone and push for every provider type, and none for others", () => {
    const expected: Record<string, string> = {
      github: "repo",
      gitlab: "write_repository",
      gitea: "read:user write:repository",
      "bitbucket-cloud": "account repository:write",
      "bitbucket-server": "REPO_WRITE",
      "azure-devops": "vso.code_write",
      "azure-devops-entra": "499b84ac-1321-427f-aa17-267ca6975798/vso.code_write",
    };
    assert.deepStrictEqual(Object.keys(MINIMAL_SCOPES).sort(), Object.keys(expected).sort());
    for (const [type, scopes] of Object.entries(expected)) {
      const env = gitPart([{ id: "p", type, clientId: "c" }]);
      assert.deepStrictEqual(
        env.find((e) => e.name === "CODER_EXTERNAL_AUTH_0_SCOPES"),
        { name: "CODER_EXTERNAL_AUTH_0_SCOPES", value: scopes },
        type,
      );
    }
    assert.deepStrictEqual(
      gitPart([{ id: "p", type: "jfrog", clientId: "c" }]).map((e) => e.name),
      [
        "CODER_EXTERNAL_AUTH_0_ID",
        "CODER_EXTERNAL_AUTH_0_TYPE",
        "CODER_EXTERNAL_AUTH_0_CLIENT_ID",
        "CODER_EXTERNAL_AUTH_0_CLIENT_SECRET",
      ],
    );
  });
});
