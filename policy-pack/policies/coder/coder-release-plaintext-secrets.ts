// A Helm release stores its values in the cluster (and in Pulumi state) in plain text: anyone who can
// read the release, or `helm get values`, gets the database URL, the OIDC and Git OAuth client secrets,
// the provisioner PSK and the key that encrypts every user's Git tokens. Even a Pulumi secret ends up
// there. These variables must come from a Kubernetes Secret through valueFrom.secretKeyRef.
import { envOf, validateCoderChart } from "../../lib/coder";
import { definePolicy } from "../../lib/metadata";

export const SECRET_VARIABLES = new Set([
  "CODER_PG_CONNECTION_URL",
  "CODER_PROVISIONER_DAEMON_PSK",
  "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS",
  "CODER_OIDC_CLIENT_SECRET",
]);

export function isSecretVariable(name: string): boolean {
  return SECRET_VARIABLES.has(name) || name.endsWith("_CLIENT_SECRET");
}

export const coderReleasePlaintextSecrets = definePolicy(
  {
    responsibilities: ["auth-provider-settings", "git-oauth-linkage"],
    severity: "critical",
    forbids: "Secret env vars given as literal `value`",
    references: { cisEks: ["4.4.1", "4.4.2"], checkov: ["CKV_K8S_35"] },
  },
  {
    name: "coder-release-plaintext-secrets",
    description:
      "Secret-bearing variables in the Coder release's coder.env (database URL, client secrets, PSK, token " +
      "encryption keys) must use valueFrom, never value.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Store the value in a Kubernetes Secret and reference it with {name, valueFrom: {secretKeyRef: {name, key}}} " +
      "in values.coder.env.",
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      for (const entry of envOf(coder, gaps).values()) {
        if (!isSecretVariable(entry.name) || !entry.hasValue || entry.hasValueFrom) continue;
        report(
          `${subject}: sets ${entry.name} with a literal value, which Helm stores in plain text in the cluster and ` +
            `in Pulumi state; ` +
            `move it to a Kubernetes Secret and reference it with valueFrom.secretKeyRef in values.coder.env.`,
        );
      }
    }),
  },
);
