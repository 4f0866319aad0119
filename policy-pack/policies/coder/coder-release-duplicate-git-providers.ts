// Two providers that match the same URLs make Coder pick either one for a clone, so a user's token for one
// Git host can be offered to the other. Providers of one type must each carry a distinct, non-empty regex
// (without one, both fall back to the type's default host), and beside any other provider no regex may
// match every URL, which Coder's first-match lookup lets claim the other's hosts whatever its type.
// A provider without _TYPE takes its type from _ID, as Coder does; the legacy CODER_GITAUTH_ prefix
// counts too.
import { envOf, externalAuthProviders, providerField, providerType, validateCoderChart } from "../../lib/coder";
import { matchesEveryUrl } from "../../lib/git-provider-regex";
import { definePolicy } from "../../lib/metadata";

interface ProviderView {
  key: string;
  type: string;
  regex?: string;
}

export const coderReleaseDuplicateGitProviders = definePolicy(
  {
    responsibilities: ["git-duplicate-providers"],
    severity: "medium",
    forbids: "Same-type Git providers without distinct `_REGEX`; a `_REGEX` matching every URL beside another provider",
    references: { other: ["Coder CODER_EXTERNAL_AUTH_<n>_REGEX (several providers of one type, Premium)"] },
  },
  {
    name: "coder-release-duplicate-git-providers",
    description:
      "Git providers of the same type in the Coder release must each set a distinct, non-empty " +
      "CODER_EXTERNAL_AUTH_<n>_REGEX, and no provider beside another may set a regex that matches every URL.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Give each provider of the shared type a CODER_EXTERNAL_AUTH_<n>_REGEX matching only its own host (e.g. ^https://github\\.example\\.com/.*$), or remove the duplicate provider.",
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      const byType = new Map<string, ProviderView[]>();
      const providers = externalAuthProviders(envOf(coder, gaps));
      for (const provider of providers) {
        gaps.judge(() => {
          const p = { key: provider.key, type: providerType(provider), regex: providerField(provider, "REGEX") };
          if (p.type) byType.set(p.type, [...(byType.get(p.type) ?? []), p]);
          if (providers.length < 2 || !p.regex) return;
          const everything = matchesEveryUrl(p.regex);
          if (everything === undefined)
            report(
              `${subject}: ${p.key}_REGEX ${JSON.stringify(p.regex)} cannot be read as a regular expression here, ` +
                `so which URLs it claims is unknown; write it in the RE2 syntax JavaScript shares (no \\Q, ` +
                `\\p{Greek}-style classes or mid-pattern flags), matching only the provider's own host.`,
            );
          else if (everything)
            report(
              `${subject}: ${p.key}_REGEX ${JSON.stringify(p.regex)} matches every repository URL, so beside ` +
                `${providers.length - 1} other Git provider(s) Coder can offer ${p.key}'s tokens to any Git host; ` +
                `anchor it to the provider's own host (e.g. ^https://github\\.example\\.com/.*$).`,
            );
        });
      }
      for (const [type, group] of byType) {
        if (group.length < 2) continue;
        const seen = new Map<string, string>();
        for (const p of group) {
          if (!p.regex) {
            report(
              `${subject}: ${group.length} Git providers have type "${type}" but ${p.key} sets no ${p.key}_REGEX, ` +
                `so Coder cannot tell which one a repository belongs to; set a distinct ${p.key}_REGEX on each.`,
            );
            continue;
          }
          const twin = seen.get(p.regex);
          if (twin)
            report(
              `${subject}: Git providers ${twin} and ${p.key} (type "${type}") share the regex ` +
                `${JSON.stringify(p.regex)}; give each a regex matching only its own host.`,
            );
          else seen.set(p.regex, p.key);
        }
      }
    }),
  },
);
