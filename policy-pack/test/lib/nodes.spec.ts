import * as assert from "assert";
import { takesFromLaunchTemplate } from "../../lib/nodes";
import { AWS } from "../../lib/types";

describe("lib/nodes takesFromLaunchTemplate", () => {
  const instance = { launchTemplate: { id: "lt-0123" } };

  it("is true for an instance with a launch template and no setting of its own", () => {
    assert.strictEqual(takesFromLaunchTemplate(AWS.ec2Instance, instance, "metadataOptions"), true);
  });

  it("is false for an instance's own setting, an instance without a template, and other types", () => {
    const own = { ...instance, metadataOptions: { httpTokens: "required" } };
    assert.strictEqual(takesFromLaunchTemplate(AWS.ec2Instance, own, "metadataOptions"), false);
    assert.strictEqual(takesFromLaunchTemplate(AWS.ec2Instance, {}, "metadataOptions"), false);
    assert.strictEqual(
      takesFromLaunchTemplate("aws:ec2/launchTemplate:LaunchTemplate", instance, "metadataOptions"),
      false,
    );
  });
});
