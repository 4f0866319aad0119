// The one IAM role ARN parser the key policy and the registry's pull policy share (components/aws/arns.ts).
import * as assert from "assert";
import { roleAccount } from "../components/aws/arns";

const ROLE = "arn:aws:iam::111122223333:role/platform/coder-nodes";

describe("aws ARNs: role accounts", () => {
  it("reads the account of a role, with or without a path, in the given partition only", () => {
    assert.strictEqual(roleAccount(ROLE, "aws"), "111122223333");
    assert.strictEqual(roleAccount("arn:aws:iam::111122223333:role/coder", "aws"), "111122223333");
    assert.strictEqual(roleAccount("arn:aws-us-gov:iam::111122223333:role/coder", "aws-us-gov"), "111122223333");
    assert.strictEqual(roleAccount(ROLE, "aws-cn"), undefined);
  });

  it("takes the whole text as the ARN: nothing before it, nothing after the role name", () => {
    for (const text of [`x${ROLE}`, ` ${ROLE}`, `${ROLE} `, `${ROLE}*`, `${ROLE}\n`])
      assert.strictEqual(roleAccount(text, "aws"), undefined, JSON.stringify(text));
  });

  it("refuses what is not a role: users, short accounts, no name", () => {
    for (const text of [
      "arn:aws:iam::111122223333:user/coder",
      "arn:aws:iam::11112222333:role/coder",
      "arn:aws:iam::111122223333:role/",
    ])
      assert.strictEqual(roleAccount(text, "aws"), undefined, text);
  });
});
