import { coderReleasePlaintextSecrets } from "../policies/coder/coder-release-plaintext-secrets";
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

  for (const name of [
    "CODER_PG_CONNECTION_URL",
    "CODER_OIDC_CLIENT_SECRET",
    "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS",
    "CODER_PROVISIONER_DAEMON_PSK",
    "CODER_EXTERNAL_AUTH_0_CLIENT_SECRET",
    "CODER_OAUTH2_GITHUB_CLIENT_SECRET",
  ]) {
    it(`fails ${name} given as a literal value`, async () => {
      await expectViolation(
        coderReleasePlaintextSecrets,
        literal(name),
        WHO,
        new RegExp(
          `sets ${name} with a literal value, which Helm stores in plain text in the cluster and in Pulumi state; move it to a Kubernetes Secret and reference it with valueFrom\\.secretKeyRef`,
        ),
      );
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
});
