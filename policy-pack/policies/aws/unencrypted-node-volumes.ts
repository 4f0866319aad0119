// Node root volumes hold container images, emptyDir volumes and the writable layers of every workspace on
// the node. A launch template without block device mappings inherits the AMI's (unencrypted) snapshot
// settings, so encryption has to be declared. Node groups without a launch template get EKS's default,
// which the program cannot make encrypted. Self-managed nodes (EC2 instances, launch configurations behind
// an Auto Scaling group) must encrypt their root and EBS block devices explicitly; an unset `encrypted`
// leaves it to the account's default, which another stack can switch off.
import { forTypes, isTrue, Props, subjectOfArgs } from "../../lib/policy";
import { requireLaunchTemplate, takesFromLaunchTemplate } from "../../lib/nodes";
import { AWS } from "../../lib/types";
import { eachOf, PreviewGaps, readOr } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const TYPES = [AWS.launchTemplate, AWS.eksNodeGroup, AWS.ec2Instance, AWS.launchConfiguration];

/** Instances and launch configurations: `rootBlockDevice` and each of `ebsBlockDevices` set encrypted: true. */
function selfManagedVolumes(props: Props, type: string, who: string, report: (message: string) => void): void {
  if (takesFromLaunchTemplate(type, props, "rootBlockDevice")) return;
  const gaps = new PreviewGaps();
  gaps.judge(() => {
    if (isTrue(props.rootBlockDevice?.encrypted)) return;
    report(
      `${who}: its root volume is not encrypted (rootBlockDevice.encrypted is ` +
        `${JSON.stringify(props.rootBlockDevice?.encrypted ?? null)}); set rootBlockDevice.encrypted: true.`,
    );
  });
  eachOf(
    props.ebsBlockDevices as Props[] | undefined,
    (d, i) => {
      if (isTrue(d.encrypted)) return;
      report(
        `${who}: EBS block device ${readOr(() => d.deviceName, String(i))} is not encrypted (encrypted is ` +
          `${JSON.stringify(d.encrypted ?? null)}); set encrypted: true.`,
      );
    },
    gaps,
  );
  gaps.settle();
}

export const unencryptedNodeVolumes = definePolicy(
  {
    responsibilities: ["storage-encryption", "node-cloud-access"],
    severity: "high",
    forbids:
      "Unencrypted or undeclared block devices on launch templates, instances and launch configurations; node " +
      "groups without a launch template",
    references: {
      checkov: ["CKV_AWS_8 (launch configurations)"],
      other: [
        "EKS Best Practices data encryption",
        "terraform-aws-eks hardened node-group test (encrypted block device mappings)",
      ],
    },
  },
  {
    name: "unencrypted-node-volumes",
    description:
      'Launch templates must declare encrypted EBS block devices (ebs.encrypted "true"), EC2 instances and launch ' +
      "configurations must encrypt their root and EBS block devices, and EKS node groups must use a launch " +
      "template.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Add blockDeviceMappings to the launch template for the root device (e.g. /dev/xvda) with ebs: {encrypted: " +
      '"true", kmsKeyId, volumeType: "gp3"}; reference the template from the node group.',
    validateResource: forTypes(TYPES, (props, args, report) => {
      const who = subjectOfArgs(args);
      if (args.type === AWS.ec2Instance || args.type === AWS.launchConfiguration) {
        selfManagedVolumes(props, args.type, who, report);
        return;
      }
      if (args.type === AWS.eksNodeGroup) {
        requireLaunchTemplate(
          props,
          who,
          report,
          "its root volumes use EKS defaults the program cannot encrypt; give it a launch template with " +
            "encrypted block device mappings.",
        );
        return;
      }
      const mappings: Props[] = props.blockDeviceMappings ?? [];
      if (mappings.length === 0) {
        report(
          `${who}: declares no blockDeviceMappings, so node root volumes inherit the AMI's unencrypted snapshot ` +
            `settings; add a mapping for the root device with ebs.encrypted: "true".`,
        );
        return;
      }
      const gaps = new PreviewGaps();
      eachOf(
        mappings,
        (m, i) => {
          if (!m.ebs) return;
          if (m.ebs.encrypted === "true") return;
          report(
            `${who}: block device ${readOr(() => m.deviceName, String(i))} is not encrypted (ebs.encrypted is ` +
              `${JSON.stringify(m.ebs.encrypted ?? null)}); set ebs.encrypted: "true".`,
          );
        },
        gaps,
      );
      gaps.settle();
    }),
  },
);
