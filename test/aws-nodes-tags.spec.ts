// The stack's tags on what the node groups component registers: the node role, each launch template (and
// the instances, volumes and interfaces it launches) and each node group, plus the pool tag per pool.
import "./harness/mocks";
import * as assert from "assert";
import { NodeGroups, NodeGroupsArgs } from "../components/aws/nodes";
import { POOL_SYSTEM, POOL_WORKSPACES } from "../policy-pack/contract";
import { capture, RecordedResource } from "./harness/mocks";
import { single } from "./harness/resources";

const STACK_TAGS = { "coder-blueprint/stack": "test", team: "platform" };

const args = (overrides: Partial<NodeGroupsArgs> = {}): NodeGroupsArgs => ({
  clusterName: "coder",
  kubernetesVersion: "1.33",
  privateSubnetIds: ["subnet-private-a", "subnet-private-b"],
  kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-000011112222",
  cniOnNodeRole: false,
  pools: [
    {
      name: "system",
      role: POOL_SYSTEM,
      amiType: "AL2023_x86_64_STANDARD",
      instanceTypes: ["m7i.large"],
      capacityType: "ON_DEMAND",
      minSize: 2,
      maxSize: 4,
      desiredSize: 2,
      volumeSizeGiB: 50,
      release: { channel: "pinned", releaseVersion: "1.33.0-20250101" },
      maxUnavailable: { count: 1 },
    },
    {
      name: "ws",
      role: POOL_WORKSPACES,
      amiType: "BOTTLEROCKET_ARM_64",
      instanceTypes: ["m7g.2xlarge"],
      capacityType: "ON_DEMAND",
      minSize: 1,
      maxSize: 10,
      desiredSize: 1,
      volumeSizeGiB: 200,
      release: { channel: "pinned", releaseVersion: "1.33.0-20250101" },
      maxUnavailable: { count: 1 },
    },
  ],
  tags: STACK_TAGS,
  ...overrides,
});

const named = (resources: RecordedResource[], name: string) =>
  single(
    resources.filter((r) => r.name === name),
    name,
  );

describe("aws node groups: tags", () => {
  it("tags the node role with the stack's tags", async () => {
    const resources = await capture(() => new NodeGroups("nodes", args()));
    assert.deepStrictEqual(named(resources, "nodes-role").inputs.tags, STACK_TAGS);
  });

  it("tags each node group and launch template with the stack's tags and its pool", async () => {
    const resources = await capture(() => new NodeGroups("nodes", args()));
    for (const [pool, role] of [
      ["system", POOL_SYSTEM],
      ["ws", POOL_WORKSPACES],
    ]) {
      const tags = { ...STACK_TAGS, "coder-blueprint/pool": role };
      assert.deepStrictEqual(named(resources, `nodes-${pool}`).inputs.tags, tags, pool);
      const template = named(resources, `nodes-${pool}-lt`).inputs;
      assert.deepStrictEqual(template.tags, tags, pool);
      for (const spec of template.tagSpecifications) {
        assert.deepStrictEqual(spec.tags, { ...tags, Name: `nodes-${pool}` }, `${pool} ${spec.resourceType}`);
      }
    }
  });

  it("tags with the pool alone when the stack gives no tags", async () => {
    const resources = await capture(() => new NodeGroups("nodes", args({ tags: undefined })));
    assert.deepStrictEqual(named(resources, "nodes-system").inputs.tags, { "coder-blueprint/pool": POOL_SYSTEM });
    assert.deepStrictEqual(named(resources, "nodes-ws-lt").inputs.tags, { "coder-blueprint/pool": POOL_WORKSPACES });
  });
});
