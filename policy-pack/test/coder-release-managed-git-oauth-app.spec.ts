import { coderReleaseManagedGitOauthApp } from "../policies/coder/coder-release-managed-git-oauth-app";
import * as assert from "assert";
import { advisory, unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const VAR = "CODER_EXTERNAL_AUTH_GITHUB_DEFAULT_PROVIDER_ENABLE";

/** The compliant release with its two github providers turned into other types. */
const withoutGithub = () =>
  mutate(compliantCoderRelease(), (p) => {
    envEntry(p, "CODER_EXTERNAL_AUTH_0_TYPE").value = "gitlab";
    envEntry(p, "CODER_EXTERNAL_AUTH_1_TYPE").value = "bitbucket-cloud";
  });
const withoutProviders = () =>
  mutate(
    compliantCoderRelease(),
    (p) => (p.values.coder.env = p.values.coder.env.filter((e: any) => !e.name.startsWith("CODER_EXTERNAL_AUTH_"))),
  );

describe("coder-release-managed-git-oauth-app", () => {
  it("is advisory: an availability concern, not a boundary", () => {
    assert.strictEqual(coderReleaseManagedGitOauthApp.enforcementLevel, "advisory");
  });

  it("passes a release with a github provider of its own", async () => {
    await expectPass(coderReleaseManagedGitOauthApp, compliantCoderRelease());
  });

  it("counts a provider typed github by its ID", async () => {
    const byId = mutate(withoutGithub(), (p) => {
      removeEnv(p, "CODER_EXTERNAL_AUTH_1_TYPE");
      envEntry(p, "CODER_EXTERNAL_AUTH_1_ID").value = "github";
    });
    await expectPass(coderReleaseManagedGitOauthApp, byId);
  });

  it('passes a release that turns the managed app off with "false"', async () => {
    await expectPass(
      coderReleaseManagedGitOauthApp,
      mutate(withoutProviders(), (p) => p.values.coder.env.push({ name: VAR, value: "false" })),
    );
  });

  it("flags a release without any Git provider, suggesting an operator-owned app", async () => {
    await expectViolation(
      coderReleaseManagedGitOauthApp,
      withoutProviders(),
      WHO,
      /configures no github external-auth provider and leaves CODER_EXTERNAL_AUTH_GITHUB_DEFAULT_PROVIDER_ENABLE unset \(it defaults to true\), so GitHub linking in workspaces depends on Coder's managed OAuth app, which its owner can disable.*; configure coder-blueprint:gitProviders with a github provider whose OAuth app the operator owns\./,
    );
  });

  it("flags providers of other types only, and a default left on explicitly", async () => {
    await expectViolation(
      coderReleaseManagedGitOauthApp,
      withoutGithub(),
      WHO,
      /configures no github external-auth provider/,
    );
    await expectViolation(
      coderReleaseManagedGitOauthApp,
      mutate(withoutGithub(), (p) => p.values.coder.env.push({ name: VAR, value: "true" })),
      WHO,
      /leaves CODER_EXTERNAL_AUTH_GITHUB_DEFAULT_PROVIDER_ENABLE "true"/,
    );
    // A flag wins over the variable, and the report says where the value came from.
    await expectViolation(
      coderReleaseManagedGitOauthApp,
      mutate(withoutGithub(), (p) => {
        p.values.coder.env.push({ name: VAR, value: "false" });
        p.values.coder.commandArgs = ["--external-auth-github-default-provider-enable"];
      }),
      WHO,
      /leaves CODER_EXTERNAL_AUTH_GITHUB_DEFAULT_PROVIDER_ENABLE "true" \(coder\.commandArgs flag --external-auth-github-default-provider-enable\)/,
    );
  });

  it("cannot judge a provider type computed during preview, unless another provider is github", async () => {
    const computed = mutate(withoutGithub(), (p) => (envEntry(p, "CODER_EXTERNAL_AUTH_0_TYPE").value = unknown.string));
    const o = await expectPreviewGap(
      coderReleaseManagedGitOauthApp,
      computed,
      /\.values\.coder\.env\.\d+\.value can't be known during preview/,
    );
    assert.strictEqual(advisory(o).length, 1, "only the gap: an unknown type may be github");
    await expectPass(
      coderReleaseManagedGitOauthApp,
      mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_EXTERNAL_AUTH_0_TYPE").value = unknown.string)),
    );
  });
});
