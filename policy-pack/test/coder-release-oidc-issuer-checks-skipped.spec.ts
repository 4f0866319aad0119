import { coderReleaseOidcIssuerChecksSkipped } from "../policies/coder/coder-release-oidc-issuer-checks-skipped";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantCoderRelease, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const VAR = "CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS";
const withSkip = (entry: Record<string, unknown>) =>
  mutate(compliantCoderRelease(), (p) => p.values.coder.env.push({ name: VAR, ...entry }));

describe("coder-release-oidc-issuer-checks-skipped", () => {
  it('passes when the variable is absent or "false"', async () => {
    await expectPass(coderReleaseOidcIssuerChecksSkipped, compliantCoderRelease());
    await expectPass(coderReleaseOidcIssuerChecksSkipped, withSkip({ value: "false" }));
  });

  it("passes every spelling Go's ParseBool reads as false", async () => {
    for (const value of ["0", "f", "F", "FALSE", "False"])
      await expectPass(coderReleaseOidcIssuerChecksSkipped, withSkip({ value }));
  });

  it("fails the flag, bare or with a true value, whatever the variable says", async () => {
    for (const flag of ["--dangerous-oidc-skip-issuer-checks", "--dangerous-oidc-skip-issuer-checks=t"])
      await expectViolation(
        coderReleaseOidcIssuerChecksSkipped,
        mutate(withSkip({ value: "false" }), (p) => (p.values.coder.commandArgs = ["server", flag])),
        WHO,
        /sets CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS to "(true|t)" \(coder\.commandArgs flag --dangerous-oidc-skip-issuer-checks\), which lets ID tokens from other issuers log users in; remove the flag --dangerous-oidc-skip-issuer-checks from values\.coder\.commandArgs and make CODER_OIDC_ISSUER_URL match/,
      );
  });

  it('fails "true"', async () => {
    await expectViolation(
      coderReleaseOidcIssuerChecksSkipped,
      withSkip({ value: "true" }),
      WHO,
      /sets CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS to "true", which lets ID tokens from other issuers log users in; remove CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS from values\.coder\.env/,
    );
  });

  it("fails any other spelling and a value it cannot see", async () => {
    await expectViolation(coderReleaseOidcIssuerChecksSkipped, withSkip({ value: "1" }), WHO, /to "1"/);
    await expectViolation(
      coderReleaseOidcIssuerChecksSkipped,
      withSkip({ valueFrom: secretRef("flags", "skip") }),
      WHO,
      /read from a Secret or ConfigMap, which this policy cannot verify/,
    );
  });

  it("cannot judge a value computed during preview: advisory, not a pass", async () => {
    await expectPreviewGap(
      coderReleaseOidcIssuerChecksSkipped,
      withSkip({ value: unknown.string }),
      /\.values\.coder\.env\.\d+\.value can't be known during preview/,
    );
  });
});
