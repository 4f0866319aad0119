// New Coder deployments turn on "Sign in with GitHub" through Coder's own shared GitHub OAuth app unless
// told otherwise. That is a second identity provider beside the operator's OIDC: anyone with a GitHub
// account is offered a way in, under an app the operator neither configures nor controls (its owner can
// change or disable it). Only the literal "false" is accepted: a value from a Secret or ConfigMap cannot
// be verified.
import { validateCoderChart } from "../../lib/coder";
import { parseCoderBool } from "../../lib/coder-bool";
import { coderSetting, setSettingFix, settingText } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const VARIABLE = "CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE";

export const coderReleaseManagedGithubLogin = definePolicy(
  {
    responsibilities: ["auth-provider-settings"],
    severity: "high",
    forbids:
      '`CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE` other than `"false"` (sign-in through Coder\'s shared GitHub app)',
    references: {
      other: [
        "Coder CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE (false in production, Coder's Kubernetes install docs)",
      ],
    },
  },
  {
    name: "coder-release-managed-github-login",
    description:
      `The Coder release must set ${VARIABLE} to "false", so that no one signs in through Coder's ` +
      `shared GitHub OAuth app.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Add {name: ${VARIABLE}, value: "false"} to values.coder.env; if users should sign in with ` +
      `GitHub, configure CODER_OAUTH2_GITHUB_CLIENT_ID/_CLIENT_SECRET with an OAuth app the operator owns, ` +
      `restricted by CODER_OAUTH2_GITHUB_ALLOWED_ORGS.`,
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      gaps.judge(() => {
        // Coder reads the flag before the variable, and any form Go's ParseBool reads as false turns it off.
        const setting = coderSetting(coder, VARIABLE, gaps, true);
        if (setting && !setting.opaque && parseCoderBool(setting.value) === false) return;
        const actual = !setting
          ? "not set (new deployments then enable it)"
          : setting.opaque
            ? settingText(setting)
            : `set to ${settingText(setting)}`;
        report(
          `${subject}: ${VARIABLE} is ${actual}, so Coder offers sign-in to any GitHub account through its own ` +
            `shared OAuth app, which the operator does not control and its owner can change or disable; ` +
            `${setSettingFix(setting, VARIABLE, "false")}.`,
        );
      });
    }),
  },
);
