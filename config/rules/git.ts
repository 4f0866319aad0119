// Coder tells Git providers apart by id, and two of one type only by the URLs they serve.
import { ParsedBlueprintConfig } from "../schema";
import { Problem, problem } from "../problem";

export function gitProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const byType = new Map<string, Array<{ index: number; regex?: string }>>();
  cfg.gitProviders.forEach((provider, index) => {
    if (ids.has(provider.id)) {
      problems.push(
        problem(`gitProviders[${index}].id`, `"${provider.id}" is used twice; provider ids must be unique`),
      );
    }
    ids.add(provider.id);
    byType.set(provider.type, [...(byType.get(provider.type) ?? []), { index, regex: provider.regex }]);
    // Self-hosted Bitbucket has no public endpoints for Coder to default to.
    if (provider.type === "bitbucket-server" && (!provider.authUrl || !provider.tokenUrl)) {
      problems.push(
        problem(
          `gitProviders[${index}].authUrl`,
          "bitbucket-server is self-hosted; give authUrl and tokenUrl " +
            "(e.g. https://bitbucket.example.com/rest/oauth2/latest/authorize and …/token)",
        ),
      );
    }
  });
  for (const [type, providers] of byType) {
    if (providers.length < 2) continue;
    const regexes = providers.map((p) => p.regex);
    if (regexes.some((r) => !r) || new Set(regexes).size !== regexes.length) {
      problems.push(
        problem(
          `gitProviders[${providers[1].index}].regex`,
          `${providers.length} providers have type "${type}"; Coder can tell them apart only by URL, so give each ` +
            "a distinct regex (e.g. ^https://github\\.example\\.com/.*) or keep one provider per type",
        ),
      );
    }
  }
  return problems;
}
