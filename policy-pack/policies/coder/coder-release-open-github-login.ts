// "Login with GitHub" through an OAuth app the operator owns is limited to members of
// CODER_OAUTH2_GITHUB_ALLOWED_ORGS (and _ALLOWED_TEAMS); CODER_OAUTH2_GITHUB_ALLOW_EVERYONE lifts that
// limit, so any of GitHub's accounts can sign in (and, with sign-ups allowed, create an account). Any
// spelling coderd reads as true counts; a value from a Secret or ConfigMap cannot be verified. Coder's own
// shared app (the default provider) is coder-release-managed-github-login's concern.
import { validateCoderChart } from "../../lib/coder";
import { switchNotOff } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const VARIABLE = "CODER_OAUTH2_GITHUB_ALLOW_EVERYONE";

export const coderReleaseOpenGithubLogin = definePolicy(
  {
    responsibilities: ["auth-provider-settings"],
    severity: "critical",
    forbids: "`CODER_OAUTH2_GITHUB_ALLOW_EVERYONE` in any spelling Coder reads as true (GitHub login for any account)",
    references: { other: ["Coder CODER_OAUTH2_GITHUB_ALLOW_EVERYONE, CODER_OAUTH2_GITHUB_ALLOWED_ORGS"] },
  },
  {
    name: "coder-release-open-github-login",
    description: `The Coder release must not set ${VARIABLE}: GitHub login must stay limited to allowed organizations.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Remove ${VARIABLE} from values.coder.env and list the organizations (and teams) allowed to sign in with ` +
      "CODER_OAUTH2_GITHUB_ALLOWED_ORGS and CODER_OAUTH2_GITHUB_ALLOWED_TEAMS.",
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      gaps.judge(() => {
        const actual = switchNotOff(coder, VARIABLE, gaps);
        if (actual === undefined) return;
        report(
          `${subject}: ${VARIABLE} is ${actual.shown}, so any GitHub account can sign in to Coder; ${actual.fix} ` +
            "and limit GitHub login with CODER_OAUTH2_GITHUB_ALLOWED_ORGS (and _ALLOWED_TEAMS).",
        );
      });
    }),
  },
);
