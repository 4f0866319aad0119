// The KMS key component without named roles: its policy is the account's and CloudWatch Logs' statements
// only, exactly what the policy builder writes for no roles.
import "./harness/mocks";
import * as assert from "assert";
import { Keys, KeysArgs } from "../components/aws/keys";
import { keyPolicy, PolicyDocument } from "../components/aws/keys/policy";
import { capturePreview, PREVIEW_ACCOUNT } from "./harness/mocks";
import { ofType, single } from "./harness/resources";

const NODE_ROLE = `arn:aws:iam::${PREVIEW_ACCOUNT.accountId}:role/coder-nodes`;
const args: KeysArgs = {
  deletionWindowInDays: 30,
  protect: true,
  retainOnDelete: true,
  userRoleArns: [NODE_ROLE],
  ebsEncryptionByDefault: true,
};

async function policyOf(name: string, keysArgs: KeysArgs): Promise<PolicyDocument> {
  const resources = await capturePreview(() => new Keys(name, keysArgs));
  return JSON.parse(single(ofType(resources, "aws:kms/key:Key"), "KMS key").inputs.policy);
}

const expected = (userRoleArns: string[]) =>
  keyPolicy({
    partition: PREVIEW_ACCOUNT.partition,
    dnsSuffix: "amazonaws.com",
    accountId: PREVIEW_ACCOUNT.accountId,
    region: PREVIEW_ACCOUNT.region,
    userRoleArns,
  });

describe("aws keys: roles named in the key policy", () => {
  it("names the roles it is given", async () => {
    const doc = await policyOf("named", args);
    assert.deepStrictEqual(doc, expected([NODE_ROLE]));
    assert.ok(doc.Statement.some((s) => s.Sid === "NamedRolesUseKey"));
  });

  it("names no role when none is given, or an empty list", async () => {
    const { userRoleArns: _omitted, ...withoutRoles } = args;
    const cases: [string, KeysArgs][] = [
      ["omitted", withoutRoles],
      ["empty", { ...args, userRoleArns: [] }],
    ];
    for (const [name, keysArgs] of cases) {
      const doc = await policyOf(name, keysArgs);
      assert.deepStrictEqual(doc, expected([]), name);
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
