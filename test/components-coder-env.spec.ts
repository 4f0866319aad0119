// coderd's environment builder: where each Git provider's client secret is read from.
import * as assert from "assert";
import { CoderEnvArgs, coderEnv, CREDENTIAL_KEYS } from "../components/coder/env";

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
