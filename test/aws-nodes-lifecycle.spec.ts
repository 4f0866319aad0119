// How the node groups change after the first deploy: a tracked pool takes the release SSM recommends, the
// cluster autoscaler owns the desired size, each new launch template version becomes the one launched, and
// the node group resources are handed to whatever needs nodes before it can become healthy.
import "./harness/mocks";
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { NodeGroups } from "../components/aws/nodes";
import { releaseParameterName } from "../components/aws/nodes/pools";
import { nodeGroupsArgs } from "./fixtures/aws-components";
import { withInvokes } from "./harness/invokes";
import { capture, optionsRecorder, RecordedResource } from "./harness/mocks";
import { named, ofType } from "./harness/resources";
import { valueOf } from "./harness/outputs";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const RECOMMENDED = "1.33.4-20250815";

describe("aws node groups: lifecycle", () => {
  let resources: RecordedResource[];
  let nodes: NodeGroups;
  let recorder: ReturnType<typeof optionsRecorder>;
  const asked: string[] = [];
  before(async () => {
    recorder = optionsRecorder();
    // SSM answers the tracked pool's parameter with the release it recommends today.
    const ssm = (token: string, inputs: any) => {
      if (token !== "aws:ssm/getParameter:getParameter") return undefined;
      asked.push(inputs.name);
      return { name: inputs.name, value: RECOMMENDED, type: "String", arn: "arn", version: 1, id: inputs.name };
    };
    resources = await withInvokes(ssm, () =>
      capture(() => {
        nodes = new NodeGroups("nodes", nodeGroupsArgs(), { transformations: recorder.transformations });
        return nodes.nodeRoleArn;
      }),
    );
  });

  it("runs a tracked pool on the release SSM recommends for its AMI type and the cluster's minor", () => {
    assert.deepStrictEqual(asked, [releaseParameterName("BOTTLEROCKET_ARM_64", "1.33")]);
    assert.strictEqual(named(resources, "nodes-ws").inputs.releaseVersion, RECOMMENDED);
    assert.strictEqual(named(resources, "nodes-system").inputs.releaseVersion, "1.33.0-20250101");
  });

  it("leaves the desired size to the cluster autoscaler after the first deploy", () => {
    for (const group of ofType(resources, NODE_GROUP)) {
      assert.deepStrictEqual(recorder.of(NODE_GROUP, group.name)?.ignoreChanges, ["scalingConfig.desiredSize"]);
    }
  });

  it("hands every node group resource to what needs nodes, in pool order", async () => {
    assert.ok(nodes.resources.every((r) => r instanceof aws.eks.NodeGroup));
    const urns = await Promise.all(nodes.resources.map((r) => valueOf(r.urn)));
    assert.deepStrictEqual(
      urns.map((urn) => urn.split("::").pop()),
      ["nodes-system", "nodes-coderd", "nodes-ws"],
    );
  });

  it("launches each new template version, and says what the template enforces", () => {
    for (const pool of ["system", "coderd", "ws"]) {
      const template = named(resources, `nodes-${pool}-lt`).inputs;
      assert.strictEqual(template.updateDefaultVersion, true, pool);
      assert.strictEqual(
        template.description,
        `Nodes of nodes-${pool}: IMDSv2 only, encrypted data volume, no SSH key`,
        pool,
      );
    }
  });
});
