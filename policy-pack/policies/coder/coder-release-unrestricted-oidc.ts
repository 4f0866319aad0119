// OIDC is only as narrow as its limits. An http:// issuer sends discovery and the token exchange in clear
// text, so whoever is on the path can mint logins. Coder allows sign-ups by default
// (CODER_OIDC_ALLOW_SIGNUPS unset is true): without CODER_OIDC_EMAIL_DOMAIN or CODER_OIDC_ALLOWED_GROUPS,
// every account of the identity provider (often including guests and contractors) can create a Coder
// user. Production stacks (production: true in the policy settings, as the shipped prod stack sets) must
// carry both limits, as the shipped prod stack does. Each setting is read as coderd resolves it (a
// `coder.commandArgs` flag over the environment); limits read from a Secret or ConfigMap cannot be seen
// and do not count.
import { validateCoderChart } from "../../lib/coder";
import { parseCoderBool } from "../../lib/coder-bool";
import { settingText, settingValue, visibleSetting } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const ISSUER = "CODER_OIDC_ISSUER_URL";
const SIGNUPS = "CODER_OIDC_ALLOW_SIGNUPS";
const EMAIL_DOMAIN = "CODER_OIDC_EMAIL_DOMAIN";
const ALLOWED_GROUPS = "CODER_OIDC_ALLOWED_GROUPS";

export interface CoderReleaseUnrestrictedOidcConfig {
  production: boolean;
}

/** A comma-separated list Coder reads, non-empty when written literally with at least one entry. */
const listed = (value: unknown) => typeof value === "string" && value.split(",").some((v) => v.trim() !== "");

export const coderReleaseUnrestrictedOidc = definePolicy(
  {
    responsibilities: ["auth-provider-settings"],
    severity: "high",
    forbids:
      "OIDC with a non-`https` issuer, or sign-ups (Coder's default) without an email-domain or group limit; " +
      "with `production`, OIDC without both limits",
    references: {
      other: [
        "Coder CODER_OIDC_ISSUER_URL, CODER_OIDC_ALLOW_SIGNUPS, CODER_OIDC_EMAIL_DOMAIN, CODER_OIDC_ALLOWED_GROUPS",
      ],
    },
  },
  {
    name: "coder-release-unrestricted-oidc",
    description:
      "The Coder release's OIDC login must use an https issuer and limit who gets in: sign-ups need " +
      `${EMAIL_DOMAIN} or ${ALLOWED_GROUPS}, and production stacks need both.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      "Use the issuer's https:// URL; set coder-blueprint:oidc.emailDomains and oidc.allowedGroups (with " +
      "groupField), or oidc.allowSignups: false.",
    configSchema: {
      properties: {
        production: {
          type: "boolean",
          default: false,
          description: "Require both the email-domain and the group limit, as production stacks ship them.",
        },
      },
    },
    validateResource: validateCoderChart(({ coder, subject, gaps, report, config }) => {
      const production = (config as CoderReleaseUnrestrictedOidcConfig).production;
      gaps.judge(() => {
        const issuer = visibleSetting(coder, ISSUER, gaps);
        const url = settingValue(issuer);
        if (!issuer || typeof url !== "string" || url === "" || /^https:\/\//i.test(url.trim())) return;
        report(
          `${subject}: ${ISSUER} is ${settingText(issuer)}, not an https:// URL, so OIDC discovery and the token ` +
            `exchange travel unencrypted and anyone on the path can forge logins; use the issuer's https:// URL.`,
        );
      });
      gaps.judge(() => {
        const issuer = visibleSetting(coder, ISSUER, gaps);
        if (!issuer || settingValue(issuer) === "") return;
        const domain = listed(settingValue(visibleSetting(coder, EMAIL_DOMAIN, gaps)));
        const groups = listed(settingValue(visibleSetting(coder, ALLOWED_GROUPS, gaps)));
        if (production) {
          const missing = [...(domain ? [] : [EMAIL_DOMAIN]), ...(groups ? [] : [ALLOWED_GROUPS])];
          if (missing.length === 0) return;
          report(
            `${subject}: a production stack's OIDC login is not limited by ${missing.join(" and ")}, so accounts ` +
              "of the identity provider outside the intended domain or groups get in; set " +
              "coder-blueprint:oidc.emailDomains and oidc.allowedGroups (with groupField).",
          );
          return;
        }
        const signupSetting = visibleSetting(coder, SIGNUPS, gaps, true);
        const signups = signupSetting ? parseCoderBool(settingValue(signupSetting)) : true;
        if (signups === false || domain || groups) return;
        const how = signupSetting ? `set to ${settingText(signupSetting)}` : "on (Coder's default)";
        report(
          `${subject}: OIDC sign-ups are ${how} ` +
            `with neither ${EMAIL_DOMAIN} nor ${ALLOWED_GROUPS}, so every account of the identity provider can ` +
            "create a Coder user; set coder-blueprint:oidc.emailDomains or oidc.allowedGroups, or " +
            "oidc.allowSignups: false.",
        );
      });
    }),
  },
);
