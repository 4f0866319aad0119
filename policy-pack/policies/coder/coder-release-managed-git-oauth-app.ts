// Without a github provider of its own, Coder links users' GitHub accounts through a default OAuth app
// that Coder manages. Workspaces then clone and push only for as long as that app's owner keeps it
// enabled, with limits the operator does not set. An availability concern, not a security boundary, so
// advisory. A provider whose type is github (by _TYPE, or by _ID when _TYPE is unset) replaces the
// default; so does turning the default off when GitHub linking is not wanted.
import { envOf, externalAuthProviders, providerType, validateCoderChart } from "../../lib/coder";
import { PreviewGaps } from "../../lib/unknowns";
import { parseCoderBool } from "../../lib/coder-bool";
import { coderSetting, settingText } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const VARIABLE = "CODER_EXTERNAL_AUTH_GITHUB_DEFAULT_PROVIDER_ENABLE";

export const coderReleaseManagedGitOauthApp = definePolicy(
  {
    responsibilities: ["git-oauth-availability"],
    severity: "low",
    forbids: "No github external-auth provider of the operator's own while Coder's managed GitHub app stays on",
    references: { other: ["Coder CODER_EXTERNAL_AUTH_GITHUB_DEFAULT_PROVIDER_ENABLE (default true)"] },
  },
  {
    name: "coder-release-managed-git-oauth-app",
    description:
      `A Coder release without a github external-auth provider of its own must set ${VARIABLE} to ` +
      `"false", rather than depend on Coder's managed GitHub app for Git linking.`,
    enforcementLevel: "advisory",
    remediationSteps:
      `Add a github entry to coder-blueprint:gitProviders with an OAuth app the operator owns ` +
      `(CODER_EXTERNAL_AUTH_<n>_TYPE=github); if workspaces need no GitHub linking, set ${VARIABLE} to "false" ` +
      `instead.`,
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      const env = envOf(coder, gaps);
      gaps.judge(() => {
        const resolved = coderSetting(coder, VARIABLE, gaps, true);
        if (resolved && !resolved.opaque && parseCoderBool(resolved.value) === false) return;
        // A type unknown during preview may be github: it cannot count as absent unless another one is github.
        const types = new PreviewGaps();
        let github = false;
        for (const p of externalAuthProviders(env)) types.judge(() => (github ||= providerType(p) === "github"));
        if (github) return;
        types.settle();
        const actual = resolved ? settingText(resolved) : "unset (it defaults to true)";
        report(
          `${subject}: configures no github external-auth provider and leaves ${VARIABLE} ${actual}, so GitHub ` +
            `linking in workspaces depends on Coder's managed OAuth app, which its owner can disable (a denial of ` +
            `service for every clone and push); ` +
            "configure coder-blueprint:gitProviders with a github provider whose OAuth app the operator owns.",
        );
      });
    }),
  },
);
