import { nodeImdsExposed } from "../policies/aws/node-imds-exposed";
import { expectPass, expectViolation } from "./expect";
import { compliantLaunchTemplate, compliantNodeGroup } from "./fixtures/aws";
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
});
