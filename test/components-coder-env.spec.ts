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
