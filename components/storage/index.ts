import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_CLASS_ANNOTATION,
  ENCRYPTED_AT_REST_ANNOTATION,
  PATCH_FORCE_ANNOTATION,
} from "../../policy-pack/contract";

export type WorkspaceClass =
  | {
      driver: "ebs";
      name: string;
      kmsKeyId?: pulumi.Input<string>;
      volumeType: "gp3" | "io2" | "io1";
      reclaimPolicy: "Retain" | "Delete";
      makeDefault: boolean;
    }
  | {
      driver: "custom";
      name: string;
      provisioner: string;
      parameters: Record<string, string>;
      encryptedAtRest: boolean;
      reclaimPolicy: "Retain" | "Delete";
      volumeBindingMode: "WaitForFirstConsumer" | "Immediate";
      allowVolumeExpansion: boolean;
      makeDefault: boolean;
    };

export interface EncryptedStorageArgs {
  /** The StorageClass workspace home volumes land on. */
  readonly workspaceClass: WorkspaceClass;
  /** Pre-existing classes (EKS's unencrypted gp2) that must stop being the cluster default. */
  readonly demoteDefaultClasses: string[];
}

export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";

/**
 * The StorageClass workspace home volumes land on. Coder's Kubernetes template omits storageClassName,
 * so whichever class is default decides whether home directories are encrypted: this component makes
 * the encrypted class the default and strips the flag from any class that is not.
 */
export class EncryptedStorage extends pulumi.ComponentResource {
  /** The encrypted class for workspace volumes. */
  readonly workspaceClass: k8s.storage.v1.StorageClass;
  /** Its name, resolved once it exists. */
  readonly className: pulumi.Output<string>;

  constructor(name: string, args: EncryptedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:storage:EncryptedStorage", name, {}, opts);
    const wc = args.workspaceClass;
    const childOpts = { parent: this };

    const annotations: Record<string, string> = {};
    if (wc.makeDefault) annotations[DEFAULT_CLASS_ANNOTATION] = "true";
    if (wc.driver === "custom" && wc.encryptedAtRest) annotations[ENCRYPTED_AT_REST_ANNOTATION] = "true";

    const demotions = args.demoteDefaultClasses.map(
      (cls) =>
        new k8s.storage.v1.StorageClassPatch(
          `${name}-demote-${cls}`,
          {
            metadata: {
              name: cls,
              // The flag belongs to whoever created the class (EKS, kind): take it over.
              annotations: { [DEFAULT_CLASS_ANNOTATION]: "false", [PATCH_FORCE_ANNOTATION]: "true" },
            },
          },
          childOpts,
        ),
    );

    const spec =
      wc.driver === "ebs"
        ? {
            provisioner: EBS_CSI_PROVISIONER,
            parameters: {
              type: wc.volumeType,
              encrypted: "true",
              "csi.storage.k8s.io/fstype": "ext4",
              ...(wc.kmsKeyId ? { kmsKeyId: wc.kmsKeyId } : {}),
            },
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
          }
        : {
            provisioner: wc.provisioner,
            parameters: wc.parameters,
            volumeBindingMode: wc.volumeBindingMode,
            allowVolumeExpansion: wc.allowVolumeExpansion,
          };

    this.workspaceClass = new k8s.storage.v1.StorageClass(
      `${name}-${wc.name}`,
      { metadata: { name: wc.name, annotations }, reclaimPolicy: wc.reclaimPolicy, ...spec },
      // Two default classes make PVC binding ambiguous: demote the old default first.
      { ...childOpts, dependsOn: demotions },
    );
    this.className = this.workspaceClass.metadata.name;

    this.registerOutputs({ workspaceClass: this.workspaceClass, className: this.className });
  }
}
