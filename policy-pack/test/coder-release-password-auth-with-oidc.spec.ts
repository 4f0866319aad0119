import { coderReleasePasswordAuthWithOidc } from "../policies/coder/coder-release-password-auth-with-oidc";
import { expectPass, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';

describe("coder-release-password-auth-with-oidc", () => {
  it("passes OIDC with password auth disabled", async () => {
    await expectPass(coderReleasePasswordAuthWithOidc, compliantCoderRelease());
  });

  for (const value of ["1", "t", "T", "TRUE", "True"]) {
    it(`passes password auth disabled with ${JSON.stringify(value)}, which coderd reads as true`, async () => {
      await expectPass(
        coderReleasePasswordAuthWithOidc,
        mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_DISABLE_PASSWORD_AUTH").value = value)),
      );
    });
  }

  for (const value of ["0", "F", "no", "yes", ""]) {
    it(`fails CODER_DISABLE_PASSWORD_AUTH ${JSON.stringify(value)}, which is not true to coderd`, async () => {
      await expectViolation(
        coderReleasePasswordAuthWithOidc,
        mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_DISABLE_PASSWORD_AUTH").value = value)),
        WHO,
        new RegExp(`CODER_DISABLE_PASSWORD_AUTH is "${value}"`),
      );
    });
  }

  it("passes password auth disabled by the flag", async () => {
    for (const flag of ["--disable-password-auth", "--disable-password-auth=true"])
      await expectPass(
        coderReleasePasswordAuthWithOidc,
        mutate(compliantCoderRelease(), (p) => {
          removeEnv(p, "CODER_DISABLE_PASSWORD_AUTH");
          p.values.coder.commandArgs = ["server", flag];
        }),
      );
  });

  it("fails a flag that turns password auth back on over the variable, and OIDC set by flag alone", async () => {
    await expectViolation(
      coderReleasePasswordAuthWithOidc,
      mutate(
        compliantCoderRelease(),
        (p) => (p.values.coder.commandArgs = ["server", "--disable-password-auth=false"]),
      ),
      WHO,
      /CODER_DISABLE_PASSWORD_AUTH is "false" \(coder\.commandArgs flag --disable-password-auth\).*; remove the flag --disable-password-auth from values\.coder\.commandArgs and set CODER_DISABLE_PASSWORD_AUTH to "true" in values\.coder\.env\.$/,
    );
    await expectViolation(
      coderReleasePasswordAuthWithOidc,
      mutate(compliantCoderRelease(), (p) => {
        removeEnv(p, "CODER_OIDC_ISSUER_URL");
        removeEnv(p, "CODER_DISABLE_PASSWORD_AUTH");
        p.values.coder.commandArgs = ["server", "--oidc-issuer-url", "https://idp.example.com"];
      }),
      WHO,
      /configures OIDC \(CODER_OIDC_ISSUER_URL\) but CODER_DISABLE_PASSWORD_AUTH is not set/,
    );
  });

  it("passes a release without OIDC", async () => {
    await expectPass(
      coderReleasePasswordAuthWithOidc,
      mutate(compliantCoderRelease(), (p) => {
        removeEnv(p, "CODER_OIDC_ISSUER_URL");
        removeEnv(p, "CODER_DISABLE_PASSWORD_AUTH");
      }),
    );
  });

  it("passes an empty issuer, which leaves OIDC off, and one only values.coder.envFrom could supply", async () => {
    await expectPass(
      coderReleasePasswordAuthWithOidc,
      mutate(compliantCoderRelease(), (p) => {
        envEntry(p, "CODER_OIDC_ISSUER_URL").value = "";
        removeEnv(p, "CODER_DISABLE_PASSWORD_AUTH");
      }),
    );
    await expectPass(
      coderReleasePasswordAuthWithOidc,
      mutate(compliantCoderRelease(), (p) => {
        removeEnv(p, "CODER_OIDC_ISSUER_URL");
        removeEnv(p, "CODER_DISABLE_PASSWORD_AUTH");
        p.values.coder.envFrom = [{ secretRef: { name: "coder-oidc-env" } }];
      }),
    );
  });

  it("fails OIDC with CODER_DISABLE_PASSWORD_AUTH unset", async () => {
    await expectViolation(
      coderReleasePasswordAuthWithOidc,
      mutate(compliantCoderRelease(), (p) => removeEnv(p, "CODER_DISABLE_PASSWORD_AUTH")),
      WHO,
      /configures OIDC \(CODER_OIDC_ISSUER_URL\) but CODER_DISABLE_PASSWORD_AUTH is not set.*set CODER_DISABLE_PASSWORD_AUTH to "true" in values\.coder\.env/,
    );
  });

  it("fails CODER_DISABLE_PASSWORD_AUTH false", async () => {
    await expectViolation(
      coderReleasePasswordAuthWithOidc,
      mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_DISABLE_PASSWORD_AUTH").value = "false")),
      WHO,
      /CODER_DISABLE_PASSWORD_AUTH is "false"/,
    );
  });

  it("fails a setting it cannot verify", async () => {
    const fromSecret = mutate(compliantCoderRelease(), (p) => {
      const e = envEntry(p, "CODER_DISABLE_PASSWORD_AUTH");
      delete e.value;
      e.valueFrom = secretRef("coder-flags", "disable-password");
    });
    await expectViolation(
      coderReleasePasswordAuthWithOidc,
      fromSecret,
      WHO,
      /read from a Secret or ConfigMap, which this policy cannot verify/,
    );
  });
});
