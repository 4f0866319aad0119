// Seed bullets: Kubernetes and networking › Storage › "Encryption"; Kubernetes roles › "Cloud access to
// the control plane".
// Reference IDs: Checkov CKV_AWS_58 (EKS secrets encryption); CIS EKS 1.8.0 5.3.1 (encrypt Kubernetes
// secrets with KMS CMKs).
//
// Kubernetes Secrets hold coderd's database URL, OAuth client secrets and service-account tokens. With
// envelope encryption under a customer-managed key, reading them from etcd or backups also requires KMS
// access, which is separately audited and revocable.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { eachOf, PreviewGaps } from "../../lib/unknowns";

export const eksSecretsUnencrypted: ResourceValidationPolicy = {
  name: "eks-secrets-unencrypted",
  description:
    'EKS clusters must envelope-encrypt Kubernetes secrets with a KMS key (encryptionConfig with resources ["secrets"] and provider.keyArn).',
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    'Set encryptionConfig: {resources: ["secrets"], provider: {keyArn: <customer-managed KMS key ARN>}} on the cluster.',
  validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
    const who = subjectOfArgs(args);
    const config = props.encryptionConfig;
    if (!config) {
      report(
        `${who}: has no encryptionConfig, so Kubernetes secrets are not encrypted with a key you control; set encryptionConfig {resources: ["secrets"], provider: {keyArn: <KMS key ARN>}}.`,
      );
      return;
    }
    const gaps = new PreviewGaps();
    let secrets = false;
    eachOf(config.resources as string[] | undefined, (r) => (secrets ||= r === "secrets"), gaps);
    gaps.settle();
    if (!secrets)
      report(
        `${who}: encryptionConfig.resources does not include "secrets"; add "secrets" to encryptionConfig.resources.`,
      );
    // `in` does not read the value, so a key ARN that is unknown during preview still counts as set.
    if (!config.provider || !("keyArn" in config.provider)) {
      report(
        `${who}: encryptionConfig names no KMS key; set encryptionConfig.provider.keyArn to a customer-managed key ARN.`,
      );
    }
  }),
};
