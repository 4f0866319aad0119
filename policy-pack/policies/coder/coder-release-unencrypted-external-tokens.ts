// Coder keeps each user's linked Git tokens (external auth) and OIDC/GitHub login tokens in its database,
// in plain text unless CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS is set: anyone with a database dump or a
// snapshot then holds every user's Git access. So a release that configures any token-issuing provider
// must set the keys (from a Secret; coder-release-plaintext-secrets judges how). The feature needs a
// Coder Premium licence; a stack without one says so with allowUnencryptedTokens in its policy settings.
// The login providers and the keys count as a `coder.commandArgs` flag or in the environment, as coderd
// reads them; Git providers exist only as environment variables.
import { externalAuthProviders, envOf, validateCoderChart } from "../../lib/coder";
import { settingValue, visibleSetting } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";
import { readOr } from "../../lib/unknowns";

const VARIABLE = "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS";
/** Login providers whose tokens Coder stores per user. */
const LOGIN_PROVIDERS: Array<[string, string]> = [
  ["CODER_OIDC_ISSUER_URL", "OIDC login"],
  ["CODER_OAUTH2_GITHUB_CLIENT_ID", "GitHub login"],
];

export interface CoderReleaseUnencryptedExternalTokensConfig {
  allowUnencryptedTokens: boolean;
}

export const coderReleaseUnencryptedExternalTokens = definePolicy(
  {
    responsibilities: ["git-oauth-linkage"],
    severity: "high",
    forbids:
      "Git providers or OIDC/GitHub login without `CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS` (tokens stored in plain " +
      "text), unless `allowUnencryptedTokens`",
    references: { other: ["Coder database encryption (CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS, Premium)"] },
  },
  {
    name: "coder-release-unencrypted-external-tokens",
    description:
      `A Coder release with Git providers or OIDC/GitHub login must set ${VARIABLE}, so that users' linked ` +
      "tokens are encrypted in Coder's database.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set coder-blueprint:externalTokenEncryption.keys as a secret (`openssl rand -base64 32`), which adds " +
      `${VARIABLE} from the credentials Secret; without a Coder Premium licence, set ` +
      '{"coder-release-unencrypted-external-tokens": {"allowUnencryptedTokens": true}} in the stack\'s policy ' +
      "settings.",
    configSchema: {
      properties: {
        allowUnencryptedTokens: {
          type: "boolean",
          default: false,
          description: "Accept users' tokens stored unencrypted (a deployment without a Coder Premium licence).",
        },
      },
    },
    validateResource: validateCoderChart(({ coder, subject, gaps, report, config }) => {
      if ((config as CoderReleaseUnencryptedExternalTokensConfig).allowUnencryptedTokens) return;
      const env = envOf(coder, gaps);
      const issuers = [
        ...externalAuthProviders(env).map((p) => `Git provider ${p.key}`),
        // A login flag whose value is unknown during preview names no issuer until it is known.
        ...LOGIN_PROVIDERS.filter(
          ([name]) => env.has(name) || readOr(() => visibleSetting(coder, name, gaps) !== undefined, false),
        ).map(([, what]) => what),
      ];
      if (issuers.length === 0) return;
      gaps.judge(() => {
        const keys = visibleSetting(coder, VARIABLE, gaps);
        if (keys && settingValue(keys) !== "") return;
        report(
          `${subject}: configures ${issuers.join(", ")} but ${VARIABLE} is ${keys ? "empty" : "not set"}, so ` +
            "every user's linked tokens are stored in plain text in Coder's database; set " +
            "coder-blueprint:externalTokenEncryption.keys (a Coder Premium feature), or accept it with " +
            "allowUnencryptedTokens in the stack's policy settings.",
        );
      });
    }),
  },
);
