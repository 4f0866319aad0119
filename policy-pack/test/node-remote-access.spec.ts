import { nodeRemoteAccess } from "../policies/aws/node-remote-access";
import { expectPass, expectViolation } from "./expect";
import { compliantLaunchTemplate, compliantNodeGroup } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("node-remote-access", () => {
  it("passes node groups and templates without SSH", async () => {
    await expectPass(nodeRemoteAccess, compliantNodeGroup());
    await expectPass(nodeRemoteAccess, compliantLaunchTemplate());
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
});
