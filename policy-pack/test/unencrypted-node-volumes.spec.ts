import { unencryptedNodeVolumes } from "../policies/aws/unencrypted-node-volumes";
import { expectPass, expectViolation } from "./expect";
import { compliantLaunchTemplate, compliantNodeGroup } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const LT = 'Launch template "coder-nodes"';

describe("unencrypted-node-volumes", () => {
  it("passes encrypted block devices and a node group using the template", async () => {
    await expectPass(unencryptedNodeVolumes, compliantLaunchTemplate());
    await expectPass(unencryptedNodeVolumes, compliantNodeGroup());
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
});
