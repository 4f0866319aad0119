// The KMS key component without named roles: its policy is the account's and CloudWatch Logs' statements
// only, exactly what the policy builder writes for no roles.
import "./harness/mocks";
import * as assert from "assert";
import { Keys, KeysArgs } from "../components/aws/keys";
import { PolicyDocument } from "../components/aws/keys/policy";
import { keysArgs, NODE_ROLE, previewKeyPolicy } from "./fixtures/aws-components";
import { capturePreview } from "./harness/mocks";
import { ofType, single } from "./harness/resources";

async function policyOf(name: string, args: KeysArgs): Promise<PolicyDocument> {
  const resources = await capturePreview(() => new Keys(name, args));
  return JSON.parse(single(ofType(resources, "aws:kms/key:Key"), "KMS key").inputs.policy);
}

describe("aws keys: roles named in the key policy", () => {
  it("names the roles it is given", async () => {
    const doc = await policyOf("named", keysArgs());
    assert.deepStrictEqual(doc, previewKeyPolicy([NODE_ROLE]));
    assert.ok(doc.Statement.some((s) => s.Sid === "NamedRolesUseKey"));
  });

  it("names no role when none is given, or an empty list", async () => {
    const { userRoleArns: _omitted, ...withoutRoles } = keysArgs();
    const cases: [string, KeysArgs][] = [
      ["omitted", withoutRoles],
      ["empty", keysArgs({ userRoleArns: [] })],
    ];
    for (const [name, args] of cases) {
      const doc = await policyOf(name, args);
      assert.deepStrictEqual(doc, previewKeyPolicy([]), name);
      assert.deepStrictEqual(
        doc.Statement.map((s) => s.Sid),
        [
          "AccountAdministersKey",
          "AccountUsesKeyThroughServices",
          "AccountGrantsForAwsResources",
          "CloudWatchLogsEncryptsLogGroups",
        ],
        name,
      );
    }
  });
});
