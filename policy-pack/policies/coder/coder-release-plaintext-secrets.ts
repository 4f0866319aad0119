// A Helm release stores its values in the cluster (and in Pulumi state) in plain text: anyone who can
// read the release, or `helm get values`, gets the database URL, the OIDC and Git OAuth client secrets,
// the provisioner PSK and the key that encrypts every user's Git tokens. Even a Pulumi secret ends up
// there. A ConfigMap, or a pod field, is no better: anyone who can read ConfigMaps or pods in coderd's
// namespace reads it. So each secret-bearing variable (lib/coder-options.ts, taken from Coder's own list
// of secret options) must come from a Kubernetes Secret through valueFrom.secretKeyRef.
import {
  CODER_SECRET_OPTIONS_SOURCE,
  isSecretVariable,
  SecretOption,
  secretOptionOfFlag,
  secretOptionOfVariable,
} from "../../lib/coder-options";
import { envOf, validateCoderChart } from "../../lib/coder";
import { readOr } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const FIX = "move it to a Kubernetes Secret and reference it with valueFrom.secretKeyRef in values.coder.env.";

// What the leaked value opens, for an option of Coder's table; a secret matched by pattern is named by its variable.
const stakes = (option: SecretOption | undefined) => (option ? `, and it is the key to ${option.what}` : "");

export const coderReleasePlaintextSecrets = definePolicy(
  {
    responsibilities: ["auth-provider-settings", "git-oauth-linkage"],
    severity: "critical",
    forbids:
      "Secret-bearing Coder options (Coder's own list: database URL, client secrets, PSK, SCIM key, SMTP " +
      "passwords, token encryption keys, AI Bridge keys) given as a literal `value` or from a ConfigMap",
    references: { cisEks: ["4.4.1", "4.4.2"], checkov: ["CKV_K8S_35"], other: [CODER_SECRET_OPTIONS_SOURCE] },
  },
  {
    name: "coder-release-plaintext-secrets",
    description:
      "Secret-bearing variables in the Coder release's coder.env (database URL, client secrets, PSK, SCIM key, " +
      "SMTP passwords, token encryption keys, AI Bridge keys) must use valueFrom.secretKeyRef, never a literal " +
      "value or a ConfigMap.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Store the value in a Kubernetes Secret and reference it with {name, valueFrom: {secretKeyRef: {name, key}}} " +
      "in values.coder.env.",
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      // A flag in coder.commandArgs is a literal in the Helm values too, whichever way it is written.
      const args: unknown = coder.commandArgs;
      for (const arg of Array.isArray(args) ? args : []) {
        if (typeof arg !== "string" || !arg.startsWith("--")) continue;
        const flag = arg.slice(2).split("=")[0];
        const option = secretOptionOfFlag(flag);
        if (!option && !isSecretVariable(`CODER_${flag.toUpperCase().replaceAll("-", "_")}`)) continue;
        report(
          `${subject}: passes --${flag} in coder.commandArgs, so its value is a literal that Helm stores in plain ` +
            `text in the cluster and in Pulumi state${stakes(option)}; drop the flag and ${FIX}`,
        );
      }
      for (const entry of envOf(coder, gaps).values()) {
        if (!isSecretVariable(entry.name)) continue;
        // A literal beside valueFrom is still written into the release (Kubernetes then rejects the pod); only
        // an empty one writes nothing. A literal unknown during preview is written all the same.
        const literal =
          entry.hasValue && (!entry.hasValueFrom || readOr<unknown>(() => entry.entry.value ?? "", "(unknown)") !== "");
        if (literal) {
          report(
            `${subject}: sets ${entry.name} with a literal value, which Helm stores in plain text in the cluster ` +
              `and in Pulumi state${stakes(secretOptionOfVariable(entry.name))}; ${FIX}`,
          );
          continue;
        }
        // Which source it names is known even when the names inside it are not; an entry with neither a value
        // nor a source has no source here and writes nothing.
        const source = readOr<unknown>(() => entry.entry.valueFrom, undefined);
        if (!source || typeof source !== "object" || "secretKeyRef" in source) continue;
        const kind = "configMapKeyRef" in source ? "a ConfigMap" : "a pod field";
        report(
          `${subject}: reads ${entry.name} from ${kind}, which is stored in plain text and readable by anyone ` +
            `who can read ConfigMaps or pods in the namespace${stakes(secretOptionOfVariable(entry.name))}; ${FIX}`,
        );
      }
    }),
  },
);
