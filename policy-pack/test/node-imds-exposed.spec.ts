import { nodeImdsExposed } from "../policies/aws/node-imds-exposed";
import { expectPass, expectViolation } from "./expect";
import {
  compliantInstance,
  compliantLaunchConfiguration,
  compliantLaunchTemplate,
  compliantNodeGroup,
} from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const LT = 'Launch template "coder-nodes"';

describe("node-imds-exposed", () => {
  it("passes IMDSv2-only with hop limit 1, a node group using it, and IMDS disabled", async () => {
    await expectPass(nodeImdsExposed, compliantLaunchTemplate());
    await expectPass(nodeImdsExposed, compliantNodeGroup());
    await expectPass(
      nodeImdsExposed,
      mutate(compliantLaunchTemplate(), (p) => (p.metadataOptions = { httpEndpoint: "disabled" })),
    );
  });

  it("fails httpTokens optional (IMDSv1)", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantLaunchTemplate(), (p) => (p.metadataOptions.httpTokens = "optional")),
      LT,
      /allows IMDSv1 \(metadataOptions\.httpTokens is "optional"\).*\(CKV_AWS_79\); set metadataOptions\.httpTokens: "required"/,
    );
  });

  it("fails a template without metadata options (EC2 defaults allow IMDSv1)", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantLaunchTemplate(), (p) => delete p.metadataOptions),
      LT,
      /unset, i\.e\. optional/,
    );
  });

  it("fails a hop limit above 1", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantLaunchTemplate(), (p) => (p.metadataOptions.httpPutResponseHopLimit = 2)),
      LT,
      /httpPutResponseHopLimit is 2.*\(CKV_AWS_341\); set it to 1/,
    );
  });

  it("fails a node group without a launch template", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantNodeGroup(), (p) => delete p.launchTemplate),
      'EKS node group "workspaces"',
      /has no launchTemplate.*give it a launch template with httpTokens "required"/,
    );
  });

  it("fails a template that leaves the hop limit unset", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantLaunchTemplate(), (p) => delete p.metadataOptions.httpPutResponseHopLimit),
      LT,
      /leaves metadataOptions\.httpPutResponseHopLimit unset.*\(CKV_AWS_341\); set it to 1/,
    );
  });

  it("passes self-managed nodes with IMDSv2 and hop limit 1, and an instance taking them from its template", async () => {
    await expectPass(nodeImdsExposed, compliantInstance());
    await expectPass(nodeImdsExposed, compliantLaunchConfiguration());
    await expectPass(
      nodeImdsExposed,
      mutate(compliantInstance(), (p) => {
        delete p.metadataOptions;
        p.launchTemplate = { id: "lt-0123456789", version: "1" };
      }),
    );
  });

  it("fails an EC2 instance without metadata options or with a hop limit of 2", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantInstance(), (p) => delete p.metadataOptions),
      'EC2 instance "coder-node-1"',
      /allows IMDSv1/,
    );
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantInstance(), (p) => (p.metadataOptions.httpPutResponseHopLimit = 2)),
      'EC2 instance "coder-node-1"',
      /httpPutResponseHopLimit is 2/,
    );
  });

  it("judges an instance's own metadata options even when it is launched from a template", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantInstance(), (p) => {
        p.launchTemplate = { id: "lt-0123456789", version: "1" };
        p.metadataOptions.httpTokens = "optional";
      }),
      'EC2 instance "coder-node-1"',
      /allows IMDSv1 \(metadataOptions\.httpTokens is "optional"\)/,
    );
  });

  it("fails a launch configuration with optional tokens", async () => {
    await expectViolation(
      nodeImdsExposed,
      mutate(compliantLaunchConfiguration(), (p) => (p.metadataOptions.httpTokens = "optional")),
      'Launch configuration "coder-nodes"',
      /allows IMDSv1 \(metadataOptions\.httpTokens is "optional"\)/,
    );
  });
});
