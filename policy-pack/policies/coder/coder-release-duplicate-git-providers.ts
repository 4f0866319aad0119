// Seed bullet: External tie-ins › Git provider › "Coder doesn't allow the linking of multiple Git
// providers of the same type".
// Reference IDs: none in CIS/Kyverno/Checkov. Coder v2 allows several providers of one type only when
// each has a CODER_EXTERNAL_AUTH_<n>_REGEX that tells their repositories apart (Premium).
//
// Two providers of one type that match the same URLs make Coder pick either one for a clone, so a user's
// token for one Git host can be offered to the other. Each must carry a distinct, non-empty regex.
// A provider without _TYPE takes its type from _ID, as Coder does; the legacy CODER_GITAUTH_ prefix
// counts too.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { envOf, externalAuthProviders, providerField, providerType, validateCoderChart } from "../../lib/coder";

interface ProviderView {
  key: string;
  type: string;
  regex?: string;
}

export const coderReleaseDuplicateGitProviders: ResourceValidationPolicy = {
  name: "coder-release-duplicate-git-providers",
  description:
    "Git providers of the same type in the Coder release must each set a distinct, non-empty CODER_EXTERNAL_AUTH_<n>_REGEX.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    "Give each provider of the shared type a CODER_EXTERNAL_AUTH_<n>_REGEX matching only its own host (e.g. ^https://github\\.example\\.com/.*$), or remove the duplicate provider.",
  validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
    const byType = new Map<string, ProviderView[]>();
    for (const provider of externalAuthProviders(envOf(coder, gaps))) {
      gaps.judge(() => {
        const p = { key: provider.key, type: providerType(provider), regex: providerField(provider, "REGEX") };
        if (p.type) byType.set(p.type, [...(byType.get(p.type) ?? []), p]);
      });
    }
    for (const [type, group] of byType) {
      if (group.length < 2) continue;
      const seen = new Map<string, string>();
      for (const p of group) {
        if (!p.regex) {
          report(
            `${subject}: ${group.length} Git providers have type "${type}" but ${p.key} sets no ${p.key}_REGEX, so Coder cannot tell which one a repository belongs to; set a distinct ${p.key}_REGEX on each.`,
          );
          continue;
        }
        const twin = seen.get(p.regex);
        if (twin)
          report(
            `${subject}: Git providers ${twin} and ${p.key} (type "${type}") share the regex ${JSON.stringify(p.regex)}; give each a regex matching only its own host.`,
          );
        else seen.set(p.regex, p.key);
      }
    }
  }),
};
