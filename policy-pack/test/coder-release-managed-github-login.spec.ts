import { coderReleaseManagedGithubLogin } from "../policies/coder/coder-release-managed-github-login";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const VAR = "CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE";
const withValue = (entry: Record<string, unknown>) =>
  mutate(compliantCoderRelease(), (p) => {
    removeEnv(p, VAR);
    p.values.coder.env.push({ name: VAR, ...entry });
  });

describe("coder-release-managed-github-login", () => {
  it('passes a release that turns the default GitHub login off with "false"', async () => {
    await expectPass(coderReleaseManagedGithubLogin, compliantCoderRelease());
  });

  it("fails a release that leaves the variable unset, since new deployments then enable it", async () => {
    await expectViolation(
      coderReleaseManagedGithubLogin,
      mutate(compliantCoderRelease(), (p) => removeEnv(p, VAR)),
      WHO,
      /CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE is not set \(new deployments then enable it\), so Coder offers sign-in to any GitHub account through its own shared OAuth app.*; set CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE to "false" in values\.coder\.env\./,
    );
  });

  it('fails "true" and any other spelling', async () => {
    await expectViolation(
      coderReleaseManagedGithubLogin,
      mutate(compliantCoderRelease(), (p) => (envEntry(p, VAR).value = "true")),
      WHO,
      /is set to "true", so Coder offers sign-in/,
    );
    // Go's ParseBool rejects "no" and "off", so coderd does not read them as false.
    await expectViolation(coderReleaseManagedGithubLogin, withValue({ value: "no" }), WHO, /is set to "no"/);
    await expectViolation(coderReleaseManagedGithubLogin, withValue({ value: "1" }), WHO, /is set to "1"/);
  });

  it("passes every spelling Go's ParseBool reads as false, in the environment or as a flag", async () => {
    for (const value of ["0", "f", "F", "FALSE", "False"])
      await expectPass(coderReleaseManagedGithubLogin, withValue({ value }));
    await expectPass(
      coderReleaseManagedGithubLogin,
      mutate(
        withValue({ value: "true" }),
        (p) => (p.values.coder.commandArgs = ["server", `--oauth2-github-default-provider-enable=false`]),
      ),
    );
  });

  it("fails the flag turning it back on over a false variable (coderd reads flags first)", async () => {
    await expectViolation(
      coderReleaseManagedGithubLogin,
      mutate(
        compliantCoderRelease(),
        (p) => (p.values.coder.commandArgs = ["server", "--oauth2-github-default-provider-enable"]),
      ),
      WHO,
      /is set to "true" \(coder\.commandArgs flag --oauth2-github-default-provider-enable\).*; remove the flag --oauth2-github-default-provider-enable from values\.coder\.commandArgs and set CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE to "false" in values\.coder\.env\.$/,
    );
  });

  it("fails a value it cannot see", async () => {
    await expectViolation(
      coderReleaseManagedGithubLogin,
      withValue({ valueFrom: secretRef("flags", "github") }),
      WHO,
      /is read from a Secret or ConfigMap, which this policy cannot verify/,
    );
  });

  it("cannot judge a value computed during preview: advisory, not a pass", async () => {
    await expectPreviewGap(
      coderReleaseManagedGithubLogin,
      withValue({ value: unknown.string }),
      /\.values\.coder\.env\.\d+\.value can't be known during preview/,
    );
  });
});
