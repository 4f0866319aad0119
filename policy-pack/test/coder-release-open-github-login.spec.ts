import { coderReleaseOpenGithubLogin } from "../policies/coder/coder-release-open-github-login";
import { expectPass, expectViolation } from "./expect";
import { compliantCoderRelease, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const VARIABLE = "CODER_OAUTH2_GITHUB_ALLOW_EVERYONE";
/** GitHub login through the operator's own OAuth app, limited to an organization. */
const githubLogin = (extra: Array<Record<string, unknown>> = []) =>
  mutate(compliantCoderRelease(), (p) =>
    p.values.coder.env.push(
      { name: "CODER_OAUTH2_GITHUB_CLIENT_ID", value: "Iv1.operator" },
      { name: "CODER_OAUTH2_GITHUB_CLIENT_SECRET", valueFrom: secretRef("coder-github", "secret") },
      { name: "CODER_OAUTH2_GITHUB_ALLOWED_ORGS", value: "example-org" },
      ...extra,
    ),
  );

describe("coder-release-open-github-login", () => {
  it("passes GitHub login limited to organizations, and allow-everyone off in any spelling", async () => {
    await expectPass(coderReleaseOpenGithubLogin, compliantCoderRelease());
    await expectPass(coderReleaseOpenGithubLogin, githubLogin());
    for (const value of ["false", "0", "F"])
      await expectPass(coderReleaseOpenGithubLogin, githubLogin([{ name: VARIABLE, value }]));
  });

  for (const value of ["true", "1", "t", "TRUE"]) {
    it(`fails allow-everyone ${JSON.stringify(value)}`, async () => {
      await expectViolation(
        coderReleaseOpenGithubLogin,
        githubLogin([{ name: VARIABLE, value }]),
        WHO,
        new RegExp(
          `${VARIABLE} is "${value}", so any GitHub account can sign in to Coder; remove ${VARIABLE} from values\\.coder\\.env and limit`,
        ),
      );
    });
  }

  it("fails allow-everyone from a Secret, even beside allowed organizations", async () => {
    await expectViolation(
      coderReleaseOpenGithubLogin,
      githubLogin([{ name: VARIABLE, valueFrom: secretRef("coder-flags", "everyone") }]),
      WHO,
      /read from a Secret or ConfigMap, which this policy cannot verify/,
    );
  });

  it("reads the flag over the variable, as coderd does", async () => {
    await expectViolation(
      coderReleaseOpenGithubLogin,
      mutate(githubLogin([{ name: VARIABLE, value: "false" }]), (p) => {
        p.values.coder.commandArgs = ["server", "--oauth2-github-allow-everyone"];
      }),
      WHO,
      /CODER_OAUTH2_GITHUB_ALLOW_EVERYONE is "true" \(coder\.commandArgs flag --oauth2-github-allow-everyone\), so any GitHub account can sign in to Coder; remove the flag --oauth2-github-allow-everyone from values\.coder\.commandArgs and limit/,
    );
    await expectPass(
      coderReleaseOpenGithubLogin,
      mutate(githubLogin([{ name: VARIABLE, value: "true" }]), (p) => {
        p.values.coder.commandArgs = ["server", "--oauth2-github-allow-everyone=0"];
      }),
    );
  });
});
