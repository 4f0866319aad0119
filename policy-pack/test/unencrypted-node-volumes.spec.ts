import { unencryptedNodeVolumes } from "../policies/aws/unencrypted-node-volumes";
import { unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import {
  compliantInstance,
  compliantLaunchConfiguration,
  compliantLaunchTemplate,
  compliantNodeGroup,
} from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const LT = 'Launch template "coder-nodes"';

describe("unencrypted-node-volumes", () => {
  it("passes encrypted block devices and a node group using the template", async () => {
    await expectPass(unencryptedNodeVolumes, compliantLaunchTemplate());
    await expectPass(unencryptedNodeVolumes, compliantNodeGroup());
    // An instance-store mapping has no EBS volume to encrypt.
    await expectPass(
      unencryptedNodeVolumes,
      mutate(compliantLaunchTemplate(), (p) =>
        p.blockDeviceMappings.push({ deviceName: "/dev/sdb", virtualName: "ephemeral0" }),
      ),
    );
  });

  it("reports a preview gap, not a pass, when a volume's encryption is unknown", async () => {
    await expectPreviewGap(
      unencryptedNodeVolumes,
      mutate(compliantLaunchTemplate(), (p) => (p.blockDeviceMappings[0].ebs.encrypted = unknown.string)),
      /encrypted/,
    );
    await expectPreviewGap(
      unencryptedNodeVolumes,
      mutate(compliantInstance(), (p) => (p.ebsBlockDevices[0].encrypted = unknown.boolean)),
      /encrypted/,
    );
  });

  it("judges an instance's own root volume even when it is launched from a template", async () => {
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantInstance(), (p) => {
        p.launchTemplate = { id: "lt-0123456789", version: "1" };
        p.rootBlockDevice.encrypted = false;
      }),
      'EC2 instance "coder-node-1"',
      /root volume is not encrypted \(rootBlockDevice\.encrypted is false\)/,
    );
  });

  it("fails an unencrypted block device", async () => {
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantLaunchTemplate(), (p) => (p.blockDeviceMappings[0].ebs.encrypted = "false")),
      LT,
      /block device \/dev\/xvda is not encrypted \(ebs\.encrypted is "false"\); set ebs\.encrypted: "true"/,
    );
  });

  it("fails a block device that leaves encryption unset", async () => {
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantLaunchTemplate(), (p) => delete p.blockDeviceMappings[0].ebs.encrypted),
      LT,
      /is not encrypted \(ebs\.encrypted is null\)/,
    );
  });

  it("fails a template without block device mappings", async () => {
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantLaunchTemplate(), (p) => delete p.blockDeviceMappings),
      LT,
      /declares no blockDeviceMappings.*add a mapping for the root device with ebs\.encrypted: "true"/,
    );
  });

  it("fails a node group without a launch template", async () => {
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantNodeGroup(), (p) => delete p.launchTemplate),
      'EKS node group "workspaces"',
      /root volumes use EKS defaults.*encrypted block device mappings/,
    );
  });

  it("passes self-managed nodes with encrypted volumes, and an instance whose template declares them", async () => {
    await expectPass(unencryptedNodeVolumes, compliantInstance());
    await expectPass(unencryptedNodeVolumes, compliantLaunchConfiguration());
    await expectPass(
      unencryptedNodeVolumes,
      mutate(compliantInstance(), (p) => {
        delete p.rootBlockDevice;
        p.launchTemplate = { id: "lt-0123456789", version: "1" };
      }),
    );
  });

  it("fails an instance whose root volume leaves encryption unset or off", async () => {
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantInstance(), (p) => delete p.rootBlockDevice),
      'EC2 instance "coder-node-1"',
      /root volume is not encrypted \(rootBlockDevice\.encrypted is null\); set rootBlockDevice\.encrypted: true/,
    );
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantInstance(), (p) => (p.rootBlockDevice.encrypted = false)),
      'EC2 instance "coder-node-1"',
      /rootBlockDevice\.encrypted is false/,
    );
  });

  it("fails an unencrypted EBS block device on an instance or launch configuration", async () => {
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantInstance(), (p) => delete p.ebsBlockDevices[0].encrypted),
      'EC2 instance "coder-node-1"',
      /EBS block device \/dev\/xvdb is not encrypted \(encrypted is null\); set encrypted: true\.$/,
    );
    await expectViolation(
      unencryptedNodeVolumes,
      mutate(compliantLaunchConfiguration(), (p) => {
        p.ebsBlockDevices = [{ deviceName: "/dev/xvdb", encrypted: false }];
      }),
      'Launch configuration "coder-nodes"',
      /EBS block device \/dev\/xvdb is not encrypted \(encrypted is false\)/,
    );
  });
});
