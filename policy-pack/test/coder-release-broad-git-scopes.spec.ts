import { coderReleaseBroadGitScopes } from "../policies/coder/coder-release-broad-git-scopes";
import * as assert from "assert";
import { escapeRegExp } from "../contract";
import { mandatory, unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const ENTRA = "499b84ac-1321-427f-aa17-267ca6975798";

/** The compliant release with its second provider changed to `type` and `scopes`. */
const withProvider = (type: string, scopes: string) =>
  mutate(compliantCoderRelease(), (p) => {
    envEntry(p, "CODER_EXTERNAL_AUTH_1_TYPE").value = type;
    envEntry(p, "CODER_EXTERNAL_AUTH_1_SCOPES").value = scopes;
  });
const withScopes = (scopes: string) => withProvider("github", scopes);

describe("coder-release-broad-git-scopes", () => {
  it("passes providers pinned to repository scopes", async () => {
    await expectPass(coderReleaseBroadGitScopes, compliantCoderRelease());
    await expectPass(coderReleaseBroadGitScopes, withScopes("repo read:user user:email"));
    await expectPass(coderReleaseBroadGitScopes, withScopes("public_repo"));
  });

  it("passes the blueprint's minimal scopes for every provider type", async () => {
    const minimal: Array<[string, string]> = [
      ["gitlab", "write_repository"],
      ["gitlab", "read_api read_user write_repository"],
      ["gitea", "write:repository read:user"],
      ["bitbucket-cloud", "account repository:write"],
      ["bitbucket-server", "PUBLIC_REPOS REPO_READ REPO_WRITE"],
      ["azure-devops", "vso.code_write"],
      ["azure-devops-entra", `${ENTRA}/vso.code_write`],
      ["jfrog", "applied-permissions/user"],
    ];
    for (const [type, scopes] of minimal) await expectPass(coderReleaseBroadGitScopes, withProvider(type, scopes));
  });

  it("fails a provider that does not pin its scopes", async () => {
    await expectViolation(
      coderReleaseBroadGitScopes,
      mutate(compliantCoderRelease(), (p) => removeEnv(p, "CODER_EXTERNAL_AUTH_0_SCOPES")),
      WHO,
      /Git provider "github-public" \(CODER_EXTERNAL_AUTH_0\) sets no CODER_EXTERNAL_AUTH_0_SCOPES, so Coder requests its built-in default scopes for the type.*can widen with a Coder upgrade; pin CODER_EXTERNAL_AUTH_0_SCOPES to repository read\/write scopes \(coder-blueprint:gitProviders\[\]\.scopes, or the blueprint's minimal scopes for the type\)\.$/,
    );
  });

  it("fails an org-admin scope, naming the provider, the scope and the fix", async () => {
    await expectViolation(
      coderReleaseBroadGitScopes,
      withScopes("repo admin:org"),
      WHO,
      /Git provider "github-enterprise" \(CODER_EXTERNAL_AUTH_1\) \(type "github"\) requests "admin:org" in CODER_EXTERNAL_AUTH_1_SCOPES, beyond repository read\/write.*act as that user on the Git host; remove "admin:org" from CODER_EXTERNAL_AUTH_1_SCOPES \(coder-blueprint:gitProviders\[\]\.scopes\) and keep only repository read\/write scopes\.$/,
    );
  });

  it("fails every type's scopes beyond repository read/write", async () => {
    // One entry of each type's denylist, or a scope its glob covers, per line.
    const forbidden: Array<[string, string]> = [
      ["github", "admin:repo_hook"],
      ["github", "delete_repo"],
      ["github", "write:org"],
      ["github", "user"],
      ["github", "write:packages"],
      ["github", "delete:packages"],
      ["github", "site_admin"],
      ["github", "workflow"],
      ["github", "manage_runners:org"],
      ["github", "manage_billing:copilot"],
      ["github", "write:public_key"],
      ["github", "write:gpg_key"],
      ["github", "write:ssh_signing_key"],
      ["github", "codespace"],
      ["github", "codespace:secrets"],
      ["gitlab", "api"],
      ["gitlab", "sudo"],
      ["gitlab", "admin_mode"],
      ["gitlab", "write_registry"],
      ["gitlab", "create_runner"],
      ["gitlab", "manage_runner"],
      ["gitlab", "k8s_proxy"],
      ["gitea", "write:admin"],
      ["gitea", "sudo"],
      ["gitea", "write:organization"],
      ["gitea", "write:user"],
      ["gitea", "write:package"],
      ["gitea", "all"],
      ["bitbucket-cloud", "account:write"],
      ["bitbucket-cloud", "team:write"],
      ["bitbucket-cloud", "repository:admin"],
      ["bitbucket-cloud", "repository:delete"],
      ["bitbucket-cloud", "project:admin"],
      ["bitbucket-cloud", "webhook"],
      ["bitbucket-cloud", "pipeline:variable"],
      ["bitbucket-cloud", "runner:write"],
      ["bitbucket-cloud", "admin:project:bitbucket"],
      ["bitbucket-cloud", "delete:repository:bitbucket"],
      ["bitbucket-server", "REPO_ADMIN"],
      ["bitbucket-server", "PROJECT_ADMIN"],
      ["bitbucket-server", "ADMIN"],
      ["bitbucket-server", "SYSTEM_ADMIN"],
      ["azure-devops", "vso.code_manage"],
      ["azure-devops", "vso.project_manage"],
      ["azure-devops", "vso.code_full"],
      ["azure-devops", "vso.profile_write"],
      ["azure-devops", "vso.tokens"],
      ["azure-devops", "vso.tokenadministration"],
      ["azure-devops-entra", `${ENTRA}/vso.code_manage`],
      ["azure-devops-entra", `${ENTRA}/vso.code_full`],
      ["azure-devops-entra", `${ENTRA}/vso.profile_write`],
      ["azure-devops-entra", `${ENTRA}/.default`],
      ["azure-devops-entra", `${ENTRA}/user_impersonation`],
    ];
    for (const [type, scope] of forbidden) {
      const escaped = escapeRegExp(scope);
      await expectViolation(
        coderReleaseBroadGitScopes,
        withProvider(type, `${scope} other`),
        WHO,
        new RegExp(`\\(type "${type}"\\) requests "${escaped}" in CODER_EXTERNAL_AUTH_1_SCOPES`),
      );
    }
  });

  it("lists every offending scope, whichever separator the value uses", async () => {
    await expectViolation(
      coderReleaseBroadGitScopes,
      withScopes("repo,delete_repo, workflow"),
      WHO,
      /requests "delete_repo", "workflow" in CODER_EXTERNAL_AUTH_1_SCOPES/,
    );
    await expectViolation(coderReleaseBroadGitScopes, withScopes("repo\tADMIN:ORG"), WHO, /requests "ADMIN:ORG"/);
    await expectViolation(
      coderReleaseBroadGitScopes,
      withScopes(" repo,  admin:org ,\t,delete_repo\n\nworkflow, "),
      WHO,
      /requests "admin:org", "delete_repo", "workflow" in CODER_EXTERNAL_AUTH_1_SCOPES/,
    );
  });

  it("fails the broader aliases of forbidden scopes, in any case and between any separators", async () => {
    const broader: Array<[string, string, string]> = [
      ["github", "repo Admin:Org", "Admin:Org"],
      ["github", "repo,write:public_key", "write:public_key"],
      ["github", "public_repo  USER", "USER"],
      ["github", "repo\nWorkflow", "Workflow"],
      ["github", "repo codespace:secrets", "codespace:secrets"],
      ["gitlab", "read_repository,API", "API"],
      ["gitlab", "write_repository\tSudo", "Sudo"],
      ["gitea", "write:repository write:user", "write:user"],
      ["bitbucket-cloud", "repository:write,,REPOSITORY:ADMIN", "REPOSITORY:ADMIN"],
      ["bitbucket-cloud", "account Account:Write", "Account:Write"],
      ["bitbucket-cloud", "repository:write pipeline:variable", "pipeline:variable"],
      ["bitbucket-cloud", "read:repository:bitbucket admin:repository:bitbucket", "admin:repository:bitbucket"],
      ["azure-devops", "vso.code_write VSO.CODE_FULL", "VSO.CODE_FULL"],
      ["azure-devops", "vso.code_write,vso.code_manage", "vso.code_manage"],
      ["azure-devops", "vso.code_write vso.tokens", "vso.tokens"],
      ["azure-devops-entra", `${ENTRA}/vso.code_write ${ENTRA}/VSO.CODE_FULL`, `${ENTRA}/VSO.CODE_FULL`],
    ];
    for (const [type, scopes, scope] of broader) {
      const escaped = escapeRegExp(scope);
      await expectViolation(
        coderReleaseBroadGitScopes,
        withProvider(type, scopes),
        WHO,
        new RegExp(`\\(type "${type}"\\) requests "${escaped}" in CODER_EXTERNAL_AUTH_1_SCOPES`),
      );
    }
  });

  it("passes the narrow forms in any case and between any separators", async () => {
    const narrow: Array<[string, string]> = [
      ["github", "public_repo,read:user,user:email"],
      ["github", "REPO  read:org"],
      ["gitlab", "READ_REPOSITORY write_repository,read_user"],
      ["gitea", "read:repository,write:repository"],
      ["bitbucket-cloud", "account,repository:write pullrequest"],
      ["bitbucket-cloud", "read:repository:bitbucket write:repository:bitbucket"],
      ["azure-devops", "VSO.CODE_WRITE,vso.profile"],
    ];
    for (const [type, scopes] of narrow) await expectPass(coderReleaseBroadGitScopes, withProvider(type, scopes));
  });

  it("takes the type from the ID when _TYPE is absent, and knows the legacy bitbucket type and prefix", async () => {
    const byId = mutate(withScopes("repo delete_repo"), (p) => {
      removeEnv(p, "CODER_EXTERNAL_AUTH_1_TYPE");
      envEntry(p, "CODER_EXTERNAL_AUTH_1_ID").value = "GitHub";
    });
    await expectViolation(
      coderReleaseBroadGitScopes,
      byId,
      WHO,
      /Git provider "GitHub" \(CODER_EXTERNAL_AUTH_1\) \(type "github"\) requests "delete_repo"/,
    );
    await expectViolation(
      coderReleaseBroadGitScopes,
      withProvider("bitbucket", "repository:admin"),
      WHO,
      /\(type "bitbucket-cloud"\) requests "repository:admin"/,
    );
    const legacy = mutate(compliantCoderRelease(), (p) =>
      p.values.coder.env.push(
        { name: "CODER_GITAUTH_0_ID", value: "gitlab" },
        { name: "CODER_GITAUTH_0_TYPE", value: "gitlab" },
        { name: "CODER_GITAUTH_0_SCOPES", value: "api" },
      ),
    );
    await expectViolation(
      coderReleaseBroadGitScopes,
      legacy,
      WHO,
      /Git provider "gitlab" \(CODER_GITAUTH_0\) \(type "gitlab"\) requests "api" in CODER_GITAUTH_0_SCOPES/,
    );
  });

  it("fails an empty value and one it cannot read", async () => {
    await expectViolation(
      coderReleaseBroadGitScopes,
      withScopes(" "),
      WHO,
      /sets CODER_EXTERNAL_AUTH_1_SCOPES to " ", which pins nothing; pin CODER_EXTERNAL_AUTH_1_SCOPES to repository read\/write scopes \(coder-blueprint:gitProviders\[\]\.scopes, or the blueprint's minimal scopes for the type\)\.$/,
    );
    // A YAML "value:" left blank is null, which pins nothing either.
    await expectViolation(
      coderReleaseBroadGitScopes,
      mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_EXTERNAL_AUTH_1_SCOPES").value = null)),
      WHO,
      /sets CODER_EXTERNAL_AUTH_1_SCOPES to "", which pins nothing/,
    );
    await expectViolation(
      coderReleaseBroadGitScopes,
      mutate(compliantCoderRelease(), (p) => {
        const scopes = envEntry(p, "CODER_EXTERNAL_AUTH_0_SCOPES");
        delete scopes.value;
        scopes.valueFrom = secretRef("coder-git", "scopes");
      }),
      WHO,
      /reads CODER_EXTERNAL_AUTH_0_SCOPES from a Secret or ConfigMap, which this policy cannot verify; write CODER_EXTERNAL_AUTH_0_SCOPES inline/,
    );
  });

  it("cannot judge scopes computed during preview: advisory, not a pass", async () => {
    const o = await expectPreviewGap(
      coderReleaseBroadGitScopes,
      withScopes(unknown.string),
      /\.values\.coder\.env\.\d+\.value can't be known during preview/,
    );
    assert.deepStrictEqual(mandatory(o), [], "unknown scopes are not missing scopes");
  });
});
