// Coder's Kubernetes template creates home-directory PVCs without a storageClassName, so the default
// class decides whether every workspace's disk is encrypted. An EBS class encrypts only when asked to
// (`encrypted` defaults to false); other provisioners cannot be read, so a default class built on them
// must carry the operator's attestation annotation instead.
import { DEFAULT_CLASS_ANNOTATION, DEFAULT_CLASS_ANNOTATION_BETA, ENCRYPTED_AT_REST_ANNOTATION } from "../../contract";
import { annotationsOf } from "../../lib/kubernetes";
import { forTypes, isTrue, subjectOfArgs } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

// The EBS CSI driver, the in-tree plugin it replaced, and EKS Auto Mode's built-in driver.
export const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs", "ebs.csi.eks.amazonaws.com"];

export interface UnencryptedStorageClassConfig {
  requireKmsKey?: boolean;
}

export const unencryptedStorageClass = definePolicy(
  {
    responsibilities: ["storage-encryption", "storage-cloud-access"],
    severity: "high",
    forbids: 'EBS classes without `encrypted: "true"` (and `kmsKeyId` if required); any other class unattested',
    references: { cisEks: ["5.3.1 (context)"], other: ["EBS CSI driver parameters encrypted and kmsKeyId"] },
  },
  {
    name: "unencrypted-storage-class",
    description:
      "Every StorageClass must encrypt the volumes it provisions: EBS classes (EKS Auto Mode's included) need " +
      `parameters.encrypted "true"; any other class needs the ${ENCRYPTED_AT_REST_ANNOTATION} attestation, default ` +
      "or not.",
    enforcementLevel: "mandatory",
    remediationSteps:
      'For EBS classes set parameters.encrypted: "true" (and parameters.kmsKeyId to a customer-managed key when ' +
      "requireKmsKey is on). " +
      `For another provisioner, annotate ${ENCRYPTED_AT_REST_ANNOTATION}: "true" only if its backing disks are ` +
      "encrypted, or remove the class.",
    configSchema: {
      properties: {
        requireKmsKey: {
          type: "boolean",
          default: false,
          description: "Also require EBS classes to name a customer-managed KMS key (parameters.kmsKeyId).",
        },
      },
    },
    validateResource: forTypes([K8S.storageClass, K8S.storageClassPatch], (props, args, report) => {
      const { requireKmsKey } = args.getConfig<UnencryptedStorageClassConfig>();
      const who = subjectOfArgs(args);
      const annotations = annotationsOf(props);
      // Either spelling makes a class the default.
      const isDefault = [DEFAULT_CLASS_ANNOTATION, DEFAULT_CLASS_ANNOTATION_BETA].some((key) =>
        isTrue(annotations[key]),
      );
      const attested = isTrue(annotations[ENCRYPTED_AT_REST_ANNOTATION]);
      const provisioner: unknown = props.provisioner;
      const parameters: Record<string, unknown> = props.parameters ?? {};
      const ebs = typeof provisioner === "string" && EBS_PROVISIONERS.includes(provisioner);

      if (ebs || "encrypted" in parameters) {
        if (parameters.encrypted !== "true") {
          report(
            `${who}: EBS volumes it provisions are unencrypted (parameters.encrypted is ` +
              `${JSON.stringify(parameters.encrypted ?? null)}, EBS defaults to false); ` +
              `set parameters.encrypted: ` +
              `"true"${requireKmsKey ? " and parameters.kmsKeyId to your customer-managed key ARN" : ""}.`,
          );
        } else if (requireKmsKey && !("kmsKeyId" in parameters)) {
          report(
            `${who}: encrypts with the account's default aws/ebs key, but this pack requires a customer-managed ` +
              `key (requireKmsKey); ` +
              `set parameters.kmsKeyId to the key's ARN.`,
          );
        }
        return;
      }
      if (isDefault && !attested) {
        const what =
          provisioner === undefined
            ? "a patch makes an existing class the default"
            : `provisioner ${JSON.stringify(provisioner)} cannot be shown to encrypt`;
        report(
          `${who}: is the default class, so it receives every workspace home volume, but ${what}; ` +
            `make an encrypted class the default instead, or annotate ${ENCRYPTED_AT_REST_ANNOTATION}: "true" if ` +
            `its disks are encrypted at rest.`,
        );
        return;
      }
      // A class that is not the default is one storageClassName away from use, so it must encrypt too.
      if (provisioner !== undefined && !attested) {
        report(
          `${who}: provisioner ${JSON.stringify(provisioner)} cannot be shown to encrypt, and any claim can name ` +
            `this class; use an encrypted EBS class, or annotate ${ENCRYPTED_AT_REST_ANNOTATION}: "true" if its ` +
            "disks are encrypted at rest.",
        );
      }
    }),
  },
);
