import { coderReleaseOidcEmailUnverified } from "../policies/coder/coder-release-oidc-email-unverified";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantCoderRelease, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const VARIABLE = "CODER_OIDC_IGNORE_EMAIL_VERIFIED";
const withSetting = (entry: Record<string, unknown>) =>
  mutate(compliantCoderRelease(), (p) => p.values.coder.env.push({ name: VARIABLE, ...entry }));

describe("coder-release-oidc-email-unverified", () => {
  it("passes the setting unset, or set to any spelling of false", async () => {
    await expectPass(coderReleaseOidcEmailUnverified, compliantCoderRelease());
    for (const value of ["false", "0", "f", "FALSE", "False"])
      await expectPass(coderReleaseOidcEmailUnverified, withSetting({ value }));
  });

  for (const value of ["true", "1", "t", "T", "TRUE", "True"]) {
    it(`fails ${JSON.stringify(value)}, which coderd reads as true`, async () => {
      await expectViolation(
        coderReleaseOidcEmailUnverified,
        withSetting({ value }),
        WHO,
        new RegExp(`${VARIABLE} is "${value}", so Coder accepts OIDC logins whose email address .* remove ${VARIABLE}`),
      );
    });
  }

  it("fails a value from a Secret, which cannot be verified, and a value coderd would refuse", async () => {
    await expectViolation(
      coderReleaseOidcEmailUnverified,
      withSetting({ valueFrom: secretRef("coder-flags", "ignore") }),
      WHO,
      /read from a Secret or ConfigMap, which this policy cannot verify/,
    );
    await expectViolation(coderReleaseOidcEmailUnverified, withSetting({ value: "yes" }), WHO, /is "yes"/);
  });

  it("leaves a value unknown during preview to the preview gap", async () => {
    await expectPreviewGap(
      coderReleaseOidcEmailUnverified,
      withSetting({ value: unknown.string }),
      /\.values\.coder\.env\.\d+\.value can't be known during preview/,
    );
  });

  it("reads the flag over the variable, as coderd does", async () => {
    for (const flag of ["--oidc-ignore-email-verified", "--oidc-ignore-email-verified=t"])
      await expectViolation(
        coderReleaseOidcEmailUnverified,
        mutate(withSetting({ value: "false" }), (p) => (p.values.coder.commandArgs = ["server", flag])),
        WHO,
        /CODER_OIDC_IGNORE_EMAIL_VERIFIED is "(true|t)" \(coder\.commandArgs flag --oidc-ignore-email-verified\), so Coder accepts OIDC logins whose email address the identity provider never verified.*; remove the flag --oidc-ignore-email-verified from values\.coder\.commandArgs\.$/,
      );
    await expectPass(
      coderReleaseOidcEmailUnverified,
      mutate(
        withSetting({ value: "true" }),
        (p) => (p.values.coder.commandArgs = ["server", "--oidc-ignore-email-verified=false"]),
      ),
    );
  });
});
