import { nodeRemoteAccess } from "../policies/aws/node-remote-access";
import { expectPass, expectViolation } from "./expect";
import {
  compliantInstance,
  compliantLaunchConfiguration,
  compliantLaunchTemplate,
  compliantNodeGroup,
} from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("node-remote-access", () => {
  it("passes node groups and templates without SSH", async () => {
    await expectPass(nodeRemoteAccess, compliantNodeGroup());
    await expectPass(nodeRemoteAccess, compliantLaunchTemplate());
    await expectPass(
      nodeRemoteAccess,
      mutate(compliantNodeGroup(), (p) => (p.remoteAccess = null)),
    );
    await expectPass(
      nodeRemoteAccess,
      mutate(compliantLaunchTemplate(), (p) => (p.keyName = "")),
    );
  });

  it("fails a node group with remoteAccess", async () => {
    await expectViolation(
      nodeRemoteAccess,
      mutate(compliantNodeGroup(), (p) => (p.remoteAccess = { ec2SshKey: "ops" })),
      'EKS node group "workspaces"',
      /configures remoteAccess \(SSH key "ops"\), opening SSH to its nodes; remove remoteAccess and use SSM Session Manager/,
    );
  });

  it("fails a launch template with keyName", async () => {
    await expectViolation(
      nodeRemoteAccess,
      mutate(compliantLaunchTemplate(), (p) => (p.keyName = "ops")),
      'Launch template "coder-nodes"',
      /sets keyName, installing an SSH key on every node; remove keyName/,
    );
  });

  it("fails an SSH key on a self-managed instance or launch configuration", async () => {
    await expectPass(nodeRemoteAccess, compliantInstance());
    await expectPass(nodeRemoteAccess, compliantLaunchConfiguration());
    await expectViolation(
      nodeRemoteAccess,
      mutate(compliantInstance(), (p) => (p.keyName = "ops")),
      'EC2 instance "coder-node-1"',
      /sets keyName/,
    );
    await expectViolation(
      nodeRemoteAccess,
      mutate(compliantLaunchConfiguration(), (p) => (p.keyName = "ops")),
      'Launch configuration "coder-nodes"',
      /sets keyName/,
    );
  });

  it("fails remoteAccess with only source security groups, or empty", async () => {
    await expectViolation(
      nodeRemoteAccess,
      mutate(compliantNodeGroup(), (p) => (p.remoteAccess = { sourceSecurityGroupIds: ["sg-0123"] })),
      'EKS node group "workspaces"',
      /configures remoteAccess/,
    );
    await expectViolation(
      nodeRemoteAccess,
      mutate(compliantNodeGroup(), (p) => (p.remoteAccess = {})),
      'EKS node group "workspaces"',
      /configures remoteAccess \(SSH key "unset"\)/,
    );
  });
});
