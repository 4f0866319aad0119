import { coderReleaseDuplicateGitProviders } from "../policies/coder/coder-release-duplicate-git-providers";
import * as assert from "assert";
import { mandatory, runResourcePolicy, unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';

describe("coder-release-duplicate-git-providers", () => {
  it("passes two GitHub providers told apart by distinct regexes", async () => {
    await expectPass(coderReleaseDuplicateGitProviders, compliantCoderRelease());
  });

  it("passes providers of different types without regexes", async () => {
    const mixed = mutate(compliantCoderRelease(), (p) => {
      envEntry(p, "CODER_EXTERNAL_AUTH_1_TYPE").value = "gitlab";
      removeEnv(p, "CODER_EXTERNAL_AUTH_0_REGEX");
      removeEnv(p, "CODER_EXTERNAL_AUTH_1_REGEX");
    });
    await expectPass(coderReleaseDuplicateGitProviders, mixed);
  });

  it("does not group providers that name neither a type nor an ID as one type", async () => {
    const untyped = mutate(compliantCoderRelease(), (p) => {
      for (const field of ["ID", "TYPE", "REGEX"])
        for (const n of [0, 1]) removeEnv(p, `CODER_EXTERNAL_AUTH_${n}_${field}`);
    });
    await expectPass(coderReleaseDuplicateGitProviders, untyped);
  });

  it("fails a same-type provider without a regex", async () => {
    await expectViolation(
      coderReleaseDuplicateGitProviders,
      mutate(compliantCoderRelease(), (p) => removeEnv(p, "CODER_EXTERNAL_AUTH_1_REGEX")),
      WHO,
      /2 Git providers have type "github" but CODER_EXTERNAL_AUTH_1 sets no CODER_EXTERNAL_AUTH_1_REGEX.*set a distinct CODER_EXTERNAL_AUTH_1_REGEX on each/,
    );
  });

  it("fails an empty regex", async () => {
    await expectViolation(
      coderReleaseDuplicateGitProviders,
      mutate(compliantCoderRelease(), (p) => (envEntry(p, "CODER_EXTERNAL_AUTH_0_REGEX").value = "")),
      WHO,
      /CODER_EXTERNAL_AUTH_0 sets no CODER_EXTERNAL_AUTH_0_REGEX/,
    );
  });

  it("fails two providers with the same regex", async () => {
    const same = mutate(
      compliantCoderRelease(),
      (p) => (envEntry(p, "CODER_EXTERNAL_AUTH_1_REGEX").value = envEntry(p, "CODER_EXTERNAL_AUTH_0_REGEX").value),
    );
    await expectViolation(
      coderReleaseDuplicateGitProviders,
      same,
      WHO,
      /Git providers CODER_EXTERNAL_AUTH_0 and CODER_EXTERNAL_AUTH_1 \(type "github"\) share the regex.*give each a regex matching only its own host/,
    );
  });

  it("fails two same-type providers whose distinct regexes both match every URL, in each spelling", async () => {
    const everything: Array<[string, string]> = [
      [".*", "^.*$"],
      [".+", "(?s).*"],
      ["^https?://.*", "(?i)^HTTPS?://"],
      ["[\\s\\S]*", "\\A.*\\z"],
      ["github\\.com|", "(?is).*"],
      ["^(https?://)?.*$", "(?U)^.+?$"],
    ];
    for (const [first, second] of everything) {
      const both = mutate(compliantCoderRelease(), (p) => {
        envEntry(p, "CODER_EXTERNAL_AUTH_0_REGEX").value = first;
        envEntry(p, "CODER_EXTERNAL_AUTH_1_REGEX").value = second;
      });
      await expectViolation(
        coderReleaseDuplicateGitProviders,
        both,
        WHO,
        /CODER_EXTERNAL_AUTH_0_REGEX .* matches every repository URL, so beside 1 other Git provider\(s\) Coder can offer CODER_EXTERNAL_AUTH_0's tokens to any Git host; anchor it to the provider's own host/,
      );
      const o = await runResourcePolicy(coderReleaseDuplicateGitProviders, both);
      assert.ok(
        o.violations.some((v) =>
          v.detail.includes(`CODER_EXTERNAL_AUTH_1_REGEX ${JSON.stringify(second)} matches every`),
        ),
        `${second} matches every URL too`,
      );
    }
  });

  it("fails a regex matching every URL beside a provider of another type, which it would shadow", async () => {
    const shadow = mutate(compliantCoderRelease(), (p) => {
      envEntry(p, "CODER_EXTERNAL_AUTH_1_TYPE").value = "gitlab";
      envEntry(p, "CODER_EXTERNAL_AUTH_0_REGEX").value = "^https?://.*";
      removeEnv(p, "CODER_EXTERNAL_AUTH_1_REGEX");
    });
    await expectViolation(
      coderReleaseDuplicateGitProviders,
      shadow,
      WHO,
      /CODER_EXTERNAL_AUTH_0_REGEX "\^https\?:\/\/\.\*" matches every repository URL/,
    );
  });

  it("passes a lone provider matching every URL, and host-anchored regexes in RE2 spellings", async () => {
    const lone = mutate(compliantCoderRelease(), (p) => {
      for (const field of ["ID", "TYPE", "CLIENT_SECRET", "REGEX", "SCOPES"])
        removeEnv(p, `CODER_EXTERNAL_AUTH_1_${field}`);
      envEntry(p, "CODER_EXTERNAL_AUTH_0_REGEX").value = ".*";
    });
    await expectPass(coderReleaseDuplicateGitProviders, lone);
    const anchored = mutate(compliantCoderRelease(), (p) => {
      envEntry(p, "CODER_EXTERNAL_AUTH_0_REGEX").value = "(?i)^https://github\\.com/";
      envEntry(p, "CODER_EXTERNAL_AUTH_1_REGEX").value = "\\Ahttps://\\Qgithub.example.com\\E(?P<path>/.*)?\\z";
    });
    await expectPass(coderReleaseDuplicateGitProviders, anchored);
  });

  it("fails a regex it cannot read rather than guess what it claims", async () => {
    await expectViolation(
      coderReleaseDuplicateGitProviders,
      mutate(
        compliantCoderRelease(),
        (p) => (envEntry(p, "CODER_EXTERNAL_AUTH_1_REGEX").value = "github\\.com(?i)/.*"),
      ),
      WHO,
      /CODER_EXTERNAL_AUTH_1_REGEX "github\\\\\.com\(\?i\)\/\.\*" cannot be read as a regular expression here, so which URLs it claims is unknown; write it in the RE2 syntax JavaScript shares \(no \\Q, \\p\{Greek\}-style classes or mid-pattern flags\), matching only the provider's own host\.$/,
    );
  });

  it("takes the type from the ID when _TYPE is absent, as Coder does", async () => {
    const byId = mutate(compliantCoderRelease(), (p) => {
      removeEnv(p, "CODER_EXTERNAL_AUTH_0_TYPE");
      removeEnv(p, "CODER_EXTERNAL_AUTH_1_TYPE");
      envEntry(p, "CODER_EXTERNAL_AUTH_0_ID").value = "github";
      envEntry(p, "CODER_EXTERNAL_AUTH_1_ID").value = "GitHub";
      removeEnv(p, "CODER_EXTERNAL_AUTH_0_REGEX");
    });
    await expectViolation(
      coderReleaseDuplicateGitProviders,
      byId,
      WHO,
      /type "github" but CODER_EXTERNAL_AUTH_0 sets no/,
    );
  });

  it("cannot judge a regex computed during preview: advisory, not a missing regex", async () => {
    const computed = mutate(
      compliantCoderRelease(),
      (p) => (envEntry(p, "CODER_EXTERNAL_AUTH_1_REGEX").value = unknown.string),
    );
    const o = await expectPreviewGap(
      coderReleaseDuplicateGitProviders,
      computed,
      /\.values\.coder\.env\.\d+\.value can't be known during preview/,
    );
    assert.deepStrictEqual(mandatory(o), [], "an unknown regex is not a missing one");
  });
});
