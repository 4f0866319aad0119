// Seed bullet: External tie-ins › Authentication provider › "Changing the authentication provider
// settings can render Coder insecure".
// Reference IDs: none in CIS/Kyverno/Checkov; Coder's CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE (set it
// to false in production, docs/install/kubernetes.md).
//
// New Coder deployments turn on "Sign in with GitHub" through Coder's own shared GitHub OAuth app unless
// told otherwise. That is a second identity provider beside the operator's OIDC: anyone with a GitHub
// account is offered a way in, under an app the operator neither configures nor controls (its owner can
// change or disable it). Only the literal "false" is accepted: a value from a Secret or ConfigMap cannot
// be verified.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { envOf, literal, validateCoderChart } from "../../lib/coder";

const VARIABLE = "CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE";

export const coderReleaseManagedGithubLogin: ResourceValidationPolicy = {
  name: "coder-release-managed-github-login",
  description: `The Coder release must set ${VARIABLE} to "false", so that no one signs in through Coder's shared GitHub OAuth app.`,
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: `Add {name: ${VARIABLE}, value: "false"} to values.coder.env; if users should sign in with GitHub, configure CODER_OAUTH2_GITHUB_CLIENT_ID/_CLIENT_SECRET with an OAuth app the operator owns, restricted by CODER_OAUTH2_GITHUB_ALLOWED_ORGS.`,
  validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
    const env = envOf(coder, gaps);
    gaps.judge(() => {
      const setting = env.get(VARIABLE);
      const value = literal(env, VARIABLE);
      if (value === "false") return;
      const actual = !setting
        ? "not set (new deployments then enable it)"
        : setting.hasValue
          ? `set to ${JSON.stringify(value)}`
          : "read from a Secret or ConfigMap, which this policy cannot verify";
      report(
        `${subject}: ${VARIABLE} is ${actual}, so Coder offers sign-in to any GitHub account through its own shared OAuth app, which the operator does not control and its owner can change or disable; ` +
          `set ${VARIABLE} to "false" in values.coder.env.`,
      );
    });
  }),
};
