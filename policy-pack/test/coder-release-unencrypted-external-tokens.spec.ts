import { coderReleaseUnencryptedExternalTokens } from "../policies/coder/coder-release-unencrypted-external-tokens";
import { unknown } from "./harness/analyzer";
import { expectPass, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const VARIABLE = "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS";
const withoutKeys = (change: (p: any) => void = () => undefined) =>
  mutate(compliantCoderRelease(), (p) => {
    removeEnv(p, VARIABLE);
    change(p);
  });
const only = (p: any, keep: (name: string) => boolean) =>
  (p.values.coder.env = p.values.coder.env.filter((e: any) => keep(e.name)));

describe("coder-release-unencrypted-external-tokens", () => {
  it("passes keys read from a Secret, and a release that stores no user tokens", async () => {
    await expectPass(coderReleaseUnencryptedExternalTokens, compliantCoderRelease());
    await expectPass(
      coderReleaseUnencryptedExternalTokens,
      withoutKeys((p) => only(p, (n) => !/^CODER_(EXTERNAL_AUTH|OIDC)_/.test(n))),
    );
  });

  it("fails Git providers and OIDC without keys, naming them", async () => {
    await expectViolation(
      coderReleaseUnencryptedExternalTokens,
      withoutKeys(),
      WHO,
      /configures Git provider CODER_EXTERNAL_AUTH_0, Git provider CODER_EXTERNAL_AUTH_1, OIDC login but CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS is not set, so every user's linked tokens are stored in plain text in Coder's database; set coder-blueprint:externalTokenEncryption\.keys \(a Coder Premium feature\), or accept it with allowUnencryptedTokens in the stack's policy settings\.$/,
    );
  });

  it("fails each token issuer on its own: a legacy Git provider, OIDC, GitHub login", async () => {
    const cases: Array<[(p: any) => void, RegExp]> = [
      [
        (p) => {
          only(p, (n) => !/^CODER_(EXTERNAL_AUTH|OIDC)_/.test(n));
          p.values.coder.env.push({ name: "CODER_GITAUTH_0_ID", value: "github" });
        },
        /configures Git provider CODER_GITAUTH_0 but/,
      ],
      [(p) => only(p, (n) => !n.startsWith("CODER_EXTERNAL_AUTH_")), /configures OIDC login but/],
      [
        (p) => {
          only(p, (n) => !/^CODER_(EXTERNAL_AUTH|OIDC)_/.test(n));
          p.values.coder.env.push({ name: "CODER_OAUTH2_GITHUB_CLIENT_ID", value: "Iv1.x" });
        },
        /configures GitHub login but/,
      ],
    ];
    for (const [change, message] of cases)
      await expectViolation(coderReleaseUnencryptedExternalTokens, withoutKeys(change), WHO, message);
  });

  it("names a Git provider by its whole index", async () => {
    await expectViolation(
      coderReleaseUnencryptedExternalTokens,
      withoutKeys((p) => {
        only(p, (n) => !/^CODER_(EXTERNAL_AUTH|OIDC)_/.test(n));
        p.values.coder.env.push({ name: "CODER_EXTERNAL_AUTH_10_ID", value: "gitlab" });
      }),
      WHO,
      /configures Git provider CODER_EXTERNAL_AUTH_10 but/,
    );
  });

  it("counts no Git provider for another program's variable that ends like one", async () => {
    await expectPass(
      coderReleaseUnencryptedExternalTokens,
      withoutKeys((p) => {
        only(p, (n) => !/^CODER_(EXTERNAL_AUTH|OIDC)_/.test(n));
        p.values.coder.env.push({ name: "X_CODER_EXTERNAL_AUTH_0_ID", value: "gitlab" });
      }),
    );
  });

  it("counts no login provider for a flag unknown during preview until it is known", async () => {
    await expectPass(
      coderReleaseUnencryptedExternalTokens,
      withoutKeys((p) => {
        only(p, (n) => !/^CODER_(EXTERNAL_AUTH|OIDC)_/.test(n));
        p.values.coder.commandArgs = ["server", unknown.string];
      }),
    );
  });

  it("fails an empty literal key list", async () => {
    const empty = mutate(compliantCoderRelease(), (p) => {
      const e = envEntry(p, VARIABLE);
      delete e.valueFrom;
      e.value = "";
    });
    await expectViolation(coderReleaseUnencryptedExternalTokens, empty, WHO, /ENCRYPTION_KEYS is empty/);
  });

  it("accepts unencrypted tokens when the stack's policy settings say there is no licence for it", async () => {
    await expectPass(coderReleaseUnencryptedExternalTokens, withoutKeys(), {
      config: { "coder-release-unencrypted-external-tokens": { allowUnencryptedTokens: true } },
    });
  });

  it("counts login providers and keys given as flags, as coderd reads them", async () => {
    await expectViolation(
      coderReleaseUnencryptedExternalTokens,
      withoutKeys((p) => {
        only(p, (n) => !/^CODER_(EXTERNAL_AUTH|OIDC)_/.test(n));
        p.values.coder.commandArgs = ["server", "--oauth2-github-client-id=Iv1.operator"];
      }),
      WHO,
      /configures GitHub login but CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS is not set/,
    );
    await expectViolation(
      coderReleaseUnencryptedExternalTokens,
      mutate(
        compliantCoderRelease(),
        (p) => (p.values.coder.commandArgs = ["server", "--external-token-encryption-keys="]),
      ),
      WHO,
      /CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS is empty/,
    );
  });
});
