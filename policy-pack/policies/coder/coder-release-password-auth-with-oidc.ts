// With OIDC configured, built-in password login is a second door that the identity provider's MFA and
// offboarding do not guard, and the way an admin can take over an OIDC user's account. Disabling it
// leaves only owners' break-glass passwords (recovery: `coder server create-admin-user`).
import { validateCoderChart } from "../../lib/coder";
import { parseCoderBool } from "../../lib/coder-bool";
import { coderSetting, setSettingFix, settingText } from "../../lib/coder-settings";
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
      // The issuer and the switch may each come from a flag in coder.commandArgs or the environment; the
      // switch is on in any form Go's ParseBool reads as true ("1", "t", "TRUE", ...).
      const issuer = coderSetting(coder, "CODER_OIDC_ISSUER_URL", gaps);
      if (!issuer || issuer.source === "values.coder.envFrom") return;
      gaps.judge(() => {
        if (!issuer.opaque && issuer.value === "") return;
        const setting = coderSetting(coder, "CODER_DISABLE_PASSWORD_AUTH", gaps, true);
        if (setting && !setting.opaque && parseCoderBool(setting.value) === true) return;
        const actual = !setting ? "not set" : settingText(setting);
        report(
          `${subject}: configures OIDC (CODER_OIDC_ISSUER_URL) but CODER_DISABLE_PASSWORD_AUTH is ${actual}, ` +
            "so password login bypasses the identity provider and lets admins convert OIDC users to passwords; " +
            `${setSettingFix(setting, "CODER_DISABLE_PASSWORD_AUTH", "true")}.`,
        );
      });
    }),
  },
);
