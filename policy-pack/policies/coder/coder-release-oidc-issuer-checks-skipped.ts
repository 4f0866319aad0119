// Skipping the issuer check lets ID tokens from an issuer other than the configured one log users in,
// i.e. token confusion across identity providers. Only the literal "false" is accepted: a value from a
// Secret or ConfigMap cannot be verified.
import { validateCoderChart } from "../../lib/coder";
import { switchNotOff } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const VARIABLE = "CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS";

export const coderReleaseOidcIssuerChecksSkipped = definePolicy(
  {
    responsibilities: ["tls-applications", "auth-provider-settings"],
    severity: "critical",
    forbids: '`CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS` other than `"false"`',
    references: { other: ["Coder CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS"] },
  },
  {
    name: "coder-release-oidc-issuer-checks-skipped",
    description: `The Coder release must not set ${VARIABLE} to anything but "false".`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Remove ${VARIABLE} from values.coder.env (or set it to "false") and fix the issuer URL ` + `mismatch instead.`,
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      // The flag wins over the variable; any form Go's ParseBool reads as false keeps the checks.
      const actual = switchNotOff(coder, VARIABLE, gaps);
      if (actual === undefined) return;
      report(
        `${subject}: sets ${VARIABLE} to ${actual.shown}, which lets ID tokens from other issuers log users in; ` +
          `${actual.fix} and make CODER_OIDC_ISSUER_URL match the provider's issuer.`,
      );
    }),
  },
);
