import * as assert from "assert";
import { goRegExp } from "../../lib/git-provider-regex";

/** Which of the inputs a Go regex matches, as JavaScript reads it. */
const matches = (pattern: string, inputs: string[]) => inputs.filter((s) => goRegExp(pattern)?.test(s));

describe("lib/git-provider-regex goRegExp", () => {
  it("reads leading inline flags only at the start; elsewhere (?i) is text inside a class", () => {
    assert.deepStrictEqual(matches("(?i)^https://GITHUB\\.com/", ["https://github.com/x", "https://gitlab.com/x"]), [
      "https://github.com/x",
    ]);
    assert.deepStrictEqual(matches("[(?i)]", ["?", "x"]), ["?"]);
  });

  it("reads \\Q...\\E as a literal, to the end when \\E is missing", () => {
    assert.deepStrictEqual(
      matches("^https://\\Qgithub.com/a+b\\E/", ["https://github.com/a+b/x", "https://githubxcom/aab/x"]),
      ["https://github.com/a+b/x"],
    );
    assert.deepStrictEqual(matches("\\Q.\\E", [".", "x"]), ["."]);
    assert.deepStrictEqual(matches("^\\Qgit.example.com/", ["git.example.com/x", "gitxexample.com/x"]), [
      "git.example.com/x",
    ]);
  });

  it("reads \\A and \\z as anchors", () => {
    assert.deepStrictEqual(
      matches("\\Ahttps://github\\.com/coder\\z", [
        "https://github.com/coder",
        "x-https://github.com/coder",
        "https://github.com/coder/x",
      ]),
      ["https://github.com/coder"],
    );
  });
});
