// The refusals of the node-pool and upgrade planners, each with the message that names what to fix.
import * as assert from "assert";
import { maxNodeSkew, planUpgrade } from "../components/aws/cluster/upgrades";
import { AmiType } from "../components/aws/nodes";
import { checkPools, releaseParameterName } from "../components/aws/nodes/pools";
import { nodePool } from "./fixtures/aws-components";

describe("aws node pools and upgrades: refused input", () => {
  it("refuses pool names that are not lower-case letters, digits and dashes", () => {
    for (const name of ["System", "-system", "system-", "sys_tem", "a".repeat(33)]) {
      assert.throws(
        () => checkPools([nodePool({ name })]),
        new RegExp(`pool name ${JSON.stringify(name)} must be lower-case letters, digits and dashes`),
        name,
      );
    }
  });

  it("refuses a pool without instance types", () => {
    assert.throws(() => checkPools([nodePool({ instanceTypes: [] })]), /^Error: pool system: instanceTypes is empty$/);
  });

  it("names the sizes of a pool whose sizes are out of order", () => {
    assert.throws(() => checkPools([nodePool({ minSize: 3, desiredSize: 2, maxSize: 4 })]), {
      message: "pool system: sizes must satisfy 0 <= min <= desired <= max, max >= 1 (got 3/2/4)",
    });
  });

  it("names the AMI type it has no release parameter for", () => {
    assert.throws(
      () => releaseParameterName("WINDOWS_CORE_2022_x86_64" as AmiType, "1.35"),
      /no release parameter known for AMI type WINDOWS_CORE_2022_x86_64/,
    );
  });

  it("refuses a control-plane version it cannot read, and a pin for an undeclared node group", () => {
    assert.throws(() => maxNodeSkew("latest"), /"latest" is not a Kubernetes version/);
    assert.throws(
      () => planUpgrade("absent", { version: "1.35", nodeGroups: ["system"], nodeGroupPins: { gpu: "1.34" } }),
      /pinned node group gpu is not declared/,
    );
  });
});
