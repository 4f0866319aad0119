// Coder signs OIDC users in by their email address. With CODER_OIDC_IGNORE_EMAIL_VERIFIED on, an
// identity-provider account whose address was never verified (self-service sign-up, a typo, someone
// else's address) is accepted, and matched to an existing Coder user with that email: account takeover.
// Any spelling coderd reads as true counts; a value from a Secret or ConfigMap cannot be verified.
import { validateCoderChart } from "../../lib/coder";
import { switchNotOff } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const VARIABLE = "CODER_OIDC_IGNORE_EMAIL_VERIFIED";

export const coderReleaseOidcEmailUnverified = definePolicy(
  {
    responsibilities: ["auth-provider-settings", "oidc-impersonation"],
    severity: "critical",
    forbids: "`CODER_OIDC_IGNORE_EMAIL_VERIFIED` in any spelling Coder reads as true, or from a Secret/ConfigMap",
    references: { other: ["Coder CODER_OIDC_IGNORE_EMAIL_VERIFIED (OIDC Ignore Email Verified)"] },
  },
  {
    name: "coder-release-oidc-email-unverified",
    description: `The Coder release must not set ${VARIABLE}: Coder must refuse OIDC logins whose email is unverified.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Remove ${VARIABLE} from values.coder.env (or set it to "false") and have the identity provider verify ` +
      "email addresses.",
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      gaps.judge(() => {
        const actual = switchNotOff(coder, VARIABLE, gaps);
        if (actual === undefined) return;
        report(
          `${subject}: ${VARIABLE} is ${actual.shown}, so Coder accepts OIDC logins whose email address the ` +
            `identity provider never verified and matches them to existing users by that address; ${actual.fix}.`,
        );
      });
    }),
  },
);
