// The stack's tags on what the node groups component registers: the node role, each launch template (and
// the instances, volumes and interfaces it launches) and each node group, plus the pool tag per pool.
import "./harness/mocks";
import * as assert from "assert";
import { NodeGroups, NodeGroupsArgs } from "../components/aws/nodes";
import { POOL_SYSTEM, POOL_WORKSPACES } from "../policy-pack/contract";
import { nodeGroupsArgs, nodePool, workspacesPool } from "./fixtures/aws-components";
import { capture } from "./harness/mocks";
import { named } from "./harness/resources";

const STACK_TAGS = { "coder-blueprint/stack": "test", team: "platform" };

const args = (overrides: Partial<NodeGroupsArgs> = {}): NodeGroupsArgs =>
  nodeGroupsArgs({
    pools: [nodePool(), workspacesPool({ minSize: 1, maxSize: 10, desiredSize: 1 })],
    tags: STACK_TAGS,
    ...overrides,
  });

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
