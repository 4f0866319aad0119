// Kubernetes Secrets hold coderd's database URL, OAuth client secrets and service-account tokens. With
// envelope encryption under a customer-managed key, reading them from etcd or backups also requires KMS
// access, which is separately audited and revocable.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { member, PreviewGaps, valueSet } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export const eksSecretsUnencrypted = definePolicy(
  {
    responsibilities: ["storage-encryption", "control-plane-access"],
    severity: "high",
    forbids: "EKS without secrets envelope encryption",
    references: { cisEks: ["5.3.1"], checkov: ["CKV_AWS_58"] },
  },
  {
    name: "eks-secrets-unencrypted",
    description:
      "EKS clusters must envelope-encrypt Kubernetes secrets with a KMS key (encryptionConfig with resources " +
      '["secrets"] and provider.keyArn).',
    enforcementLevel: "mandatory",
    remediationSteps:
      'Set encryptionConfig: {resources: ["secrets"], provider: {keyArn: <customer-managed KMS key ARN>}} on the ' +
      "cluster.",
    validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
      const who = subjectOfArgs(args);
      const config = props.encryptionConfig;
      if (!config) {
        report(
          `${who}: has no encryptionConfig, so Kubernetes secrets are not encrypted with a key you control; set ` +
            `encryptionConfig {resources: ["secrets"], provider: {keyArn: <KMS key ARN>}}.`,
        );
        return;
      }
      // A resources list unknown during preview leaves that verdict open, not the key's: the gap is
      // raised once the key has been judged.
      const gaps = new PreviewGaps();
      gaps.judge(() => {
        if (member(valueSet(config.resources), "secrets")) return;
        report(
          `${who}: encryptionConfig.resources does not include "secrets"; add "secrets" to encryptionConfig.resources.`,
        );
      });
      // `in` does not read the value, so a key ARN that is unknown during preview still counts as set.
      if (!config.provider || !("keyArn" in config.provider)) {
        report(
          `${who}: encryptionConfig names no KMS key; set encryptionConfig.provider.keyArn to a customer-managed ` +
            `key ARN.`,
        );
      }
      gaps.settle();
    }),
  },
);
