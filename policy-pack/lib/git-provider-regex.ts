// Which repository URLs a Git provider's CODER_EXTERNAL_AUTH_<n>_REGEX claims. Coder offers a workspace the
// token of the first provider whose regex matches the clone URL, whatever the provider's type, so a regex
// that matches every URL hands that provider's tokens to hosts it was never meant for. The regex is judged
// by effect: tried against a table of repository URLs on different hosts, it matches everything when it
// matches them all (`.*`, `^.*$`, `.+`, `(?s).*`, `^https?://.*`, `github\.com|`...).
import { escapeRegExp } from "../contract";

/** Clone URLs on unrelated hosts, schemes, ports and path shapes, as Coder's Git helper passes them. */
const PROBE_URLS: readonly string[] = [
  "https://github.com/coder/coder.git",
  "https://gitlab.example.com/group/subgroup/project.git",
  "http://git.internal:8080/scm/team/repo.git",
  "https://dev.azure.com/org/project/_git/repo",
  "https://bitbucket.org/workspace/repo",
  "https://evil.example.net/x",
];

/**
 * A Go (RE2) regex as a JavaScript RegExp: leading inline flags (`(?i)`, `(?s)`, `(?is)`) become
 * RegExp flags (RE2's `U`, ungreedy, changes no match's existence and is dropped), `\A` and `\z`
 * become `^` and `$`, `\Q...\E` a literal, `(?P<name>` a named group. Undefined when JavaScript cannot
 * read it (flags mid-pattern, RE2-only classes).
 */
export function goRegExp(pattern: string): RegExp | undefined {
  let source = pattern;
  let flags = "";
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    flags = [...new Set(inline[1].replace(/U/g, ""))].join("");
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\\Q(.*?)(?:\\E|$)/g, (_, text: string) => escapeRegExp(text))
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "$")
    .replace(/\(\?P</g, "(?<");
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** True when the regex matches every probe URL; undefined when it cannot be read. */
export function matchesEveryUrl(pattern: string): boolean | undefined {
  const re = goRegExp(pattern);
  return re && PROBE_URLS.every((url) => re.test(url));
}
