// Skipping the issuer check lets ID tokens from an issuer other than the configured one log users in,
// i.e. token confusion across identity providers. Only the literal "false" is accepted: a value from a
// Secret or ConfigMap cannot be verified.
import { envOf, literal, validateCoderChart } from "../../lib/coder";
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
      const env = envOf(coder, gaps);
      const entry = env.get(VARIABLE);
      if (!entry) return;
      const value = entry.hasValue ? literal(env, VARIABLE) : undefined;
      if (value === "false") return;
      report(
        `${subject}: sets ${VARIABLE} to ` +
          `${entry.hasValue ? JSON.stringify(value) : "a value from a Secret or ConfigMap"}, which lets ID tokens ` +
          `from other issuers log users in; ` +
          `remove ${VARIABLE} from values.coder.env and make CODER_OIDC_ISSUER_URL match the provider's issuer.`,
      );
    }),
  },
);
