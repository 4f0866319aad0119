// With OIDC configured, built-in password login is a second door that the identity provider's MFA and
// offboarding do not guard, and the way an admin can take over an OIDC user's account. Disabling it
// leaves only owners' break-glass passwords (recovery: `coder server create-admin-user`).
import { parseCoderBool } from "../../lib/coder-bool";
import { envOf, literal, validateCoderChart } from "../../lib/coder";
import { definePolicy } from "../../lib/metadata";

export const coderReleasePasswordAuthWithOidc = definePolicy(
  {
    responsibilities: ["oidc-impersonation"],
    severity: "high",
    forbids: "OIDC configured while password auth stays on",
    references: { other: ["Coder CODER_DISABLE_PASSWORD_AUTH"] },
  },
  {
    name: "coder-release-password-auth-with-oidc",
    description:
      "When the Coder release configures OIDC (CODER_OIDC_ISSUER_URL), it must set CODER_DISABLE_PASSWORD_AUTH to " +
      '"true".',
    enforcementLevel: "mandatory",
    remediationSteps: 'Add {name: CODER_DISABLE_PASSWORD_AUTH, value: "true"} to values.coder.env.',
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      const env = envOf(coder, gaps);
      const issuer = env.get("CODER_OIDC_ISSUER_URL");
      if (!issuer) return;
      gaps.judge(() => {
        if (issuer.hasValue && literal(env, issuer.name) === "") return;
        const setting = env.get("CODER_DISABLE_PASSWORD_AUTH");
        const disabled = literal(env, "CODER_DISABLE_PASSWORD_AUTH");
        // Any spelling coderd reads as true ("1", "TRUE", "t", ...) turns password login off.
        if (parseCoderBool(disabled) === true) return;
        const actual = !setting
          ? "not set"
          : setting.hasValue
            ? JSON.stringify(disabled)
            : "read from a Secret or ConfigMap, which this policy cannot verify";
        report(
          `${subject}: configures OIDC (CODER_OIDC_ISSUER_URL) but CODER_DISABLE_PASSWORD_AUTH is ${actual}, ` +
            "so password login bypasses the identity provider and lets admins convert OIDC users to passwords; set " +
            'CODER_DISABLE_PASSWORD_AUTH to "true" in values.coder.env.',
        );
      });
    }),
  },
);
