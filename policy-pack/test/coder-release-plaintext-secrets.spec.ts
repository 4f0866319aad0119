import { coderReleasePlaintextSecrets } from "../policies/coder/coder-release-plaintext-secrets";
import { escapeRegExp } from "../contract";
import { unknown } from "./harness/analyzer";
import { expectPass, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';

function literal(name: string, value: unknown = "s3cr3t") {
  return mutate(compliantCoderRelease(), (p) => {
    const existing = envEntry(p, name);
    if (existing) {
      delete existing.valueFrom;
      existing.value = value;
    } else p.values.coder.env.push({ name, value });
  });
}

describe("coder-release-plaintext-secrets", () => {
  it("passes secrets given through valueFrom, and literal non-secret settings", async () => {
    await expectPass(coderReleasePlaintextSecrets, compliantCoderRelease());
  });

  // Coder's secret options as the table must hold them: variable, `coder server` flag, what the secret opens.
  const OPTIONS: Array<[env: string, flag: string, what: string]> = [
    ["CODER_PG_CONNECTION_URL", "postgres-url", "the database, with every session and token"],
    ["CODER_OIDC_CLIENT_SECRET", "oidc-client-secret", "the OIDC client"],
    ["CODER_OAUTH2_GITHUB_CLIENT_SECRET", "oauth2-github-client-secret", "the GitHub login app"],
    ["CODER_PROVISIONER_DAEMON_PSK", "provisioner-daemon-psk", "external provisioner sign-in"],
    ["CODER_SCIM_AUTH_HEADER", "scim-auth-header", "SCIM user provisioning"],
    [
      "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS",
      "external-token-encryption-keys",
      "every user's stored Git and OIDC tokens",
    ],
    ["CODER_EMAIL_AUTH_PASSWORD", "email-auth-password", "the SMTP account"],
    [
      "CODER_NOTIFICATIONS_EMAIL_AUTH_PASSWORD",
      "notifications-email-auth-password",
      "the SMTP account of notifications",
    ],
    ["CODER_TRACE_HONEYCOMB_API_KEY", "trace-honeycomb-api-key", "the tracing backend"],
    ["CODER_AIBRIDGE_OPENAI_KEY", "aibridge-openai-key", "the OpenAI account (AI Bridge)"],
    ["CODER_AIBRIDGE_ANTHROPIC_KEY", "aibridge-anthropic-key", "the Anthropic account (AI Bridge)"],
    [
      "CODER_AIBRIDGE_BEDROCK_ACCESS_KEY_SECRET",
      "aibridge-bedrock-access-key-secret",
      "the AWS Bedrock account (AI Bridge)",
    ],
  ];
  const STORED = "Helm stores in plain text in the cluster and in Pulumi state";
  const FIX =
    "move it to a Kubernetes Secret and reference it with valueFrom\\.secretKeyRef in values\\.coder\\.env\\.$";

  for (const [env, flag, what] of OPTIONS) {
    it(`fails ${env} given as a literal value, saying it is the key to ${what}`, async () => {
      await expectViolation(
        coderReleasePlaintextSecrets,
        literal(env),
        WHO,
        new RegExp(
          `sets ${env} with a literal value, which ${STORED}, and it is the key to ${escapeRegExp(what)}; ${FIX}`,
        ),
      );
    });

    it(`fails --${flag} in coder.commandArgs, saying it is the key to ${what}`, async () => {
      await expectViolation(
        coderReleasePlaintextSecrets,
        mutate(compliantCoderRelease(), (p) => (p.values.coder.commandArgs = ["server", `--${flag}=s3cr3t`])),
        WHO,
        new RegExp(
          `passes --${flag} in coder\\.commandArgs, so its value is a literal that ${STORED}, and it is the key to ` +
            `${escapeRegExp(what)}; drop the flag and ${FIX}`,
        ),
      );
    });
  }

  // The secrets Coder reads by pattern: every provider's client secret, whatever its index, and the AI Gateway keys.
  for (const name of [
    "CODER_EXTERNAL_AUTH_0_CLIENT_SECRET",
    "CODER_EXTERNAL_AUTH_10_CLIENT_SECRET",
    "CODER_GITAUTH_3_CLIENT_SECRET",
    "CODER_AIBRIDGE_PROVIDER_0_KEY",
    "CODER_AIBRIDGE_PROVIDER_12_KEY",
    "CODER_AI_GATEWAY_PROVIDER_2_KEYS",
    "CODER_AI_GATEWAY_PROVIDER_1_BEDROCK_ACCESS_KEY_SECRET",
    "CODER_AIBRIDGE_PROVIDER_10_BEDROCK_ACCESS_KEY_SECRETS",
    "CODER_AI_GATEWAY_OPENAI_KEY",
    "CODER_AI_GATEWAY_ANTHROPIC_KEY",
    "CODER_AI_GATEWAY_BEDROCK_ACCESS_KEY_SECRET",
  ]) {
    it(`fails ${name} given as a literal value`, async () => {
      await expectViolation(
        coderReleasePlaintextSecrets,
        literal(name),
        WHO,
        new RegExp(`sets ${name} with a literal value, which ${STORED}; ${FIX}`),
      );
    });
  }

  // coderd reads these names exactly; a longer one (a path to the secret, or another program's variable) is not it.
  for (const name of [
    "CODER_EXTERNAL_AUTH_0_CLIENT_SECRET_FILE",
    "X_CODER_AIBRIDGE_PROVIDER_0_KEY",
    "CODER_AIBRIDGE_PROVIDER_0_KEY_FILE",
    "X_CODER_AI_GATEWAY_OPENAI_KEY",
    "CODER_AI_GATEWAY_OPENAI_KEY_FILE",
  ]) {
    it(`passes ${name} given as a literal value, which only contains a secret's name`, async () => {
      await expectPass(coderReleasePlaintextSecrets, literal(name, "/etc/coder/secret"));
    });
  }

  it("fails a literal secret even when its value is unknown during preview (it is still written into the release)", async () => {
    await expectViolation(
      coderReleasePlaintextSecrets,
      literal("CODER_PG_CONNECTION_URL", unknown.string),
      WHO,
      /sets CODER_PG_CONNECTION_URL with a literal value/,
    );
  });

  it("fails a literal written beside a secretKeyRef, and passes an empty one", async () => {
    const beside = (value: unknown) =>
      mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_OIDC_CLIENT_SECRET").value = value));
    for (const value of ["s3cret", unknown.string]) {
      await expectViolation(
        coderReleasePlaintextSecrets,
        beside(value),
        WHO,
        /sets CODER_OIDC_CLIENT_SECRET with a literal value, which Helm stores in plain text/,
      );
    }
    for (const value of ["", null]) {
      await expectPass(coderReleasePlaintextSecrets, beside(value));
    }
  });

  it("fails a secret read from a ConfigMap or a pod field, which are plain text too", async () => {
    const from = (valueFrom: unknown) =>
      mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_OIDC_CLIENT_SECRET").valueFrom = valueFrom));
    await expectViolation(
      coderReleasePlaintextSecrets,
      from({ configMapKeyRef: { name: "coder-settings", key: "oidc" } }),
      WHO,
      /reads CODER_OIDC_CLIENT_SECRET from a ConfigMap, which is stored in plain text .* in the namespace, and it is the key to the OIDC client; move it .*valueFrom\.secretKeyRef/,
    );
    await expectViolation(
      coderReleasePlaintextSecrets,
      from({ fieldRef: { fieldPath: "metadata.annotations['oidc']" } }),
      WHO,
      /reads CODER_OIDC_CLIENT_SECRET from a pod field/,
    );
  });

  it("fails a secret passed as a coder.commandArgs flag, in either form", async () => {
    for (const args of [
      ["server", "--postgres-url=postgres://coder:pw@db:5432/coder?sslmode=verify-full"],
      ["server", "--oidc-client-secret", "s3cr3t"],
      ["server", "--external-auth-0-client-secret=s3cr3t"],
    ]) {
      await expectViolation(
        coderReleasePlaintextSecrets,
        mutate(compliantCoderRelease(), (p) => (p.values.coder.commandArgs = args)),
        WHO,
        /passes --[a-z0-9-]+ in coder\.commandArgs, so its value is a literal that Helm stores in plain text in the cluster and in Pulumi state(, and it is the key to [^;]+)?; drop the flag and move it to a Kubernetes Secret and reference it with valueFrom\.secretKeyRef in values\.coder\.env\.$/,
      );
    }
  });

  it("passes a secret variable with neither a value nor a source, which writes nothing", async () => {
    await expectPass(
      coderReleasePlaintextSecrets,
      mutate(compliantCoderRelease(), (p) => delete envEntry(p, "CODER_OIDC_CLIENT_SECRET").valueFrom),
    );
  });

  it("judges only the flags in coder.commandArgs, not values that spell a secret option's name", async () => {
    // "./postgres-url" is the config file's path; the secret inside it never reaches the Helm values.
    await expectPass(
      coderReleasePlaintextSecrets,
      mutate(compliantCoderRelease(), (p) => (p.values.coder.commandArgs = ["server", "--config", "./postgres-url"])),
    );
    // A non-string entry (YAML's bare 8080) is no flag; Kubernetes rejects it in the container's args.
    await expectPass(
      coderReleasePlaintextSecrets,
      mutate(compliantCoderRelease(), (p) => (p.values.coder.commandArgs = ["server", "--http-address", 8080])),
    );
  });

  it("passes non-secret flags in coder.commandArgs", async () => {
    await expectPass(
      coderReleasePlaintextSecrets,
      mutate(
        compliantCoderRelease(),
        (p) =>
          (p.values.coder.commandArgs = [
            "server",
            "--disable-password-auth",
            "--access-url=https://coder.example.com",
          ]),
      ),
    );
  });

  it("passes the non-secret options next to secret ones (file paths, usernames, flags)", async () => {
    await expectPass(
      coderReleasePlaintextSecrets,
      mutate(compliantCoderRelease(), (p) =>
        p.values.coder.env.push(
          { name: "CODER_TLS_KEY_FILE", value: "/etc/ssl/certs/coder/tls.key" },
          { name: "CODER_EMAIL_AUTH_USERNAME", value: "coder" },
          { name: "CODER_EMAIL_AUTH_PASSWORD_FILE", value: "/etc/smtp/password" },
          { name: "CODER_OIDC_CLIENT_KEY_FILE", value: "/etc/oidc/key.pem" },
        ),
      ),
    );
  });
});
