import { coderReleaseDuplicateGitProviders } from "../policies/coder/coder-release-duplicate-git-providers";
import * as assert from "assert";
import { mandatory, unknown } from "./harness/analyzer";
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
