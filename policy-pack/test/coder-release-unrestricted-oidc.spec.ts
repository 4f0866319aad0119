import { coderReleaseUnrestrictedOidc } from "../policies/coder/coder-release-unrestricted-oidc";
import { expectPass, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const PRODUCTION = { config: { "coder-release-unrestricted-oidc": { production: true } } };
const release = (change: (p: any) => void) => mutate(compliantCoderRelease(), change);
const withoutLimits = (extra: Array<Record<string, unknown>> = []) =>
  release((p) => {
    removeEnv(p, "CODER_OIDC_EMAIL_DOMAIN");
    removeEnv(p, "CODER_OIDC_ALLOWED_GROUPS");
    p.values.coder.env.push(...extra);
  });

describe("coder-release-unrestricted-oidc", () => {
  it("passes an https issuer with both limits, in every stack", async () => {
    await expectPass(coderReleaseUnrestrictedOidc, compliantCoderRelease());
    await expectPass(coderReleaseUnrestrictedOidc, compliantCoderRelease(), PRODUCTION);
  });

  it("passes either limit alone, or sign-ups off in any spelling, outside production", async () => {
    await expectPass(
      coderReleaseUnrestrictedOidc,
      release((p) => removeEnv(p, "CODER_OIDC_ALLOWED_GROUPS")),
    );
    await expectPass(
      coderReleaseUnrestrictedOidc,
      release((p) => removeEnv(p, "CODER_OIDC_EMAIL_DOMAIN")),
    );
    for (const value of ["false", "0", "F"])
      await expectPass(coderReleaseUnrestrictedOidc, withoutLimits([{ name: "CODER_OIDC_ALLOW_SIGNUPS", value }]));
  });

  for (const url of ["http://login.example.com", "HTTP://login.example.com/", "  http://idp.internal"]) {
    it(`fails the issuer ${JSON.stringify(url)}`, async () => {
      await expectViolation(
        coderReleaseUnrestrictedOidc,
        release((p) => (envEntry(p, "CODER_OIDC_ISSUER_URL").value = url)),
        WHO,
        /CODER_OIDC_ISSUER_URL is .*, not an https:\/\/ URL, so OIDC discovery and the token exchange travel unencrypted/,
      );
    });
  }

  const openForms: Array<[string, Array<Record<string, unknown>>]> = [
    ["left to Coder's default", []],
    ["set to true", [{ name: "CODER_OIDC_ALLOW_SIGNUPS", value: "true" }]],
    ["set to 1", [{ name: "CODER_OIDC_ALLOW_SIGNUPS", value: "1" }]],
    [
      "with empty limits",
      [
        { name: "CODER_OIDC_EMAIL_DOMAIN", value: " , " },
        { name: "CODER_OIDC_ALLOWED_GROUPS", value: "" },
      ],
    ],
    [
      "with limits read from a Secret, which cannot be seen",
      [{ name: "CODER_OIDC_EMAIL_DOMAIN", valueFrom: { secretKeyRef: { name: "oidc", key: "domain" } } }],
    ],
  ];
  for (const [what, extra] of openForms) {
    it(`fails sign-ups ${what} without an email-domain or group limit`, async () => {
      await expectViolation(
        coderReleaseUnrestrictedOidc,
        withoutLimits(extra),
        WHO,
        /OIDC sign-ups are .* with neither CODER_OIDC_EMAIL_DOMAIN nor CODER_OIDC_ALLOWED_GROUPS, so every account of the identity provider can create a Coder user/,
      );
    });
  }

  it("fails a production stack missing either limit, even with sign-ups off", async () => {
    await expectViolation(
      coderReleaseUnrestrictedOidc,
      release((p) => removeEnv(p, "CODER_OIDC_ALLOWED_GROUPS")),
      WHO,
      /a production stack's OIDC login is not limited by CODER_OIDC_ALLOWED_GROUPS, so accounts of the identity provider outside the intended domain or groups get in; set coder-blueprint:oidc\.emailDomains and oidc\.allowedGroups \(with groupField\)\.$/,
      PRODUCTION,
    );
    await expectViolation(
      coderReleaseUnrestrictedOidc,
      withoutLimits([{ name: "CODER_OIDC_ALLOW_SIGNUPS", value: "false" }]),
      WHO,
      /not limited by CODER_OIDC_EMAIL_DOMAIN and CODER_OIDC_ALLOWED_GROUPS/,
      PRODUCTION,
    );
  });

  it("names Coder's default when sign-ups are left unset, and the fix", async () => {
    await expectViolation(
      coderReleaseUnrestrictedOidc,
      withoutLimits(),
      WHO,
      /OIDC sign-ups are on \(Coder's default\) with neither CODER_OIDC_EMAIL_DOMAIN nor CODER_OIDC_ALLOWED_GROUPS, so every account of the identity provider can create a Coder user; set coder-blueprint:oidc\.emailDomains or oidc\.allowedGroups, or oidc\.allowSignups: false\.$/,
    );
  });

  it("passes a limit list with an empty entry beside a real one", async () => {
    await expectPass(
      coderReleaseUnrestrictedOidc,
      withoutLimits([{ name: "CODER_OIDC_EMAIL_DOMAIN", value: "example.com," }]),
    );
  });

  it("passes an https issuer padded with spaces, and fails https only later in an http URL", async () => {
    await expectPass(
      coderReleaseUnrestrictedOidc,
      release((p) => (envEntry(p, "CODER_OIDC_ISSUER_URL").value = "  https://login.example.com")),
    );
    await expectViolation(
      coderReleaseUnrestrictedOidc,
      release(
        (p) => (envEntry(p, "CODER_OIDC_ISSUER_URL").value = "http://idp.internal/?next=https://login.example.com"),
      ),
      WHO,
      /CODER_OIDC_ISSUER_URL is "http:\/\/idp\.internal\/\?next=https:\/\/login\.example\.com", not an https:\/\/ URL/,
    );
  });

  it("does not judge an empty issuer, which leaves OIDC off", async () => {
    const emptyIssuer = mutate(withoutLimits(), (p) => (envEntry(p, "CODER_OIDC_ISSUER_URL").value = ""));
    await expectPass(coderReleaseUnrestrictedOidc, emptyIssuer);
    await expectPass(coderReleaseUnrestrictedOidc, emptyIssuer, PRODUCTION);
  });

  it("does not judge a release without OIDC", async () => {
    const withoutOidc = withoutLimits([]);
    withoutOidc.props.values.coder.env = withoutOidc.props.values.coder.env.filter(
      (e: any) => !e.name.startsWith("CODER_OIDC_"),
    );
    await expectPass(coderReleaseUnrestrictedOidc, withoutOidc, PRODUCTION);
  });

  it("reads flags over the variables, as coderd does", async () => {
    await expectViolation(
      coderReleaseUnrestrictedOidc,
      release((p) => (p.values.coder.commandArgs = ["server", "--oidc-issuer-url=http://idp.internal"])),
      WHO,
      /CODER_OIDC_ISSUER_URL is "http:\/\/idp\.internal" \(coder\.commandArgs flag --oidc-issuer-url\), not an https:\/\/ URL/,
    );
    await expectViolation(
      coderReleaseUnrestrictedOidc,
      mutate(withoutLimits([{ name: "CODER_OIDC_ALLOW_SIGNUPS", value: "false" }]), (p) => {
        p.values.coder.commandArgs = ["server", "--oidc-allow-signups"];
      }),
      WHO,
      /OIDC sign-ups are set to "true" \(coder\.commandArgs flag --oidc-allow-signups\) with neither/,
    );
    await expectPass(
      coderReleaseUnrestrictedOidc,
      mutate(withoutLimits(), (p) => (p.values.coder.commandArgs = ["server", "--oidc-email-domain", "example.com"])),
    );
  });
});
