// The KMS key component (components/aws/keys) under a mocked preview, and its key policy builder.
import "./harness/mocks";
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Keys } from "../components/aws/keys";
import {
  ADMIN_ACTIONS,
  autoScalingServiceLinkedRoleArn,
  GRANT_ACTIONS,
  keyPolicy,
  KeyPolicyInput,
  PolicyDocument,
  USE_ACTIONS,
} from "../components/aws/keys/policy";
import { keysArgs, NODE_ROLE, previewKeyPolicy } from "./fixtures/aws-components";
import { capturePreview, optionsRecorder, RecordedResource } from "./harness/mocks";
import { ofType, single } from "./harness/resources";

const scope: KeyPolicyInput = {
  partition: "aws",
  dnsSuffix: "amazonaws.com",
  accountId: "111122223333",
  region: "eu-west-1",
  userRoleArns: [],
};

function statement(doc: PolicyDocument, sid: string) {
  const found = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
}

function principals(doc: PolicyDocument): string[] {
  return doc.Statement.flatMap((s) => ("AWS" in s.Principal ? [s.Principal.AWS].flat() : [s.Principal.Service]));
}

describe("aws keys: key policy", () => {
  it("administers with the reviewed list of actions and uses with the reviewed list, and nothing else", () => {
    // Written out here, not read from the builder: a change to either list must show up as a change to this spec.
    assert.deepStrictEqual(ADMIN_ACTIONS, [
      "kms:Create*",
      "kms:Describe*",
      "kms:Enable*",
      "kms:List*",
      "kms:Put*",
      "kms:Update*",
      "kms:Revoke*",
      "kms:Disable*",
      "kms:Get*",
      "kms:Delete*",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
      "kms:RotateKeyOnDemand",
    ]);
    assert.deepStrictEqual(USE_ACTIONS, [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ]);
  });

  it("lets the account root administer the key and never use it outright", () => {
    const admin = statement(keyPolicy(scope), "AccountAdministersKey");
    assert.deepStrictEqual(admin.Principal, { AWS: "arn:aws:iam::111122223333:root" });
    assert.deepStrictEqual(admin.Action, ADMIN_ACTIONS);
    assert.strictEqual(admin.Condition, undefined);
    for (const action of admin.Action) {
      assert.doesNotMatch(action, /Encrypt|Decrypt|GenerateDataKey|ReEncrypt|Grant$/, action);
    }
  });

  it("lets the account use the key only through EKS, EC2 and RDS in its region, for itself", () => {
    const use = statement(keyPolicy(scope), "AccountUsesKeyThroughServices");
    assert.deepStrictEqual(use.Action, USE_ACTIONS);
    assert.deepStrictEqual(use.Condition, {
      StringEquals: {
        "kms:CallerAccount": "111122223333",
        "kms:ViaService": ["eks.eu-west-1.amazonaws.com", "ec2.eu-west-1.amazonaws.com", "rds.eu-west-1.amazonaws.com"],
      },
    });
  });

  it("grants only for AWS resources, through the same services", () => {
    const grants = statement(keyPolicy(scope), "AccountGrantsForAwsResources");
    assert.deepStrictEqual(grants.Action, GRANT_ACTIONS);
    assert.deepStrictEqual(grants.Condition?.Bool, { "kms:GrantIsForAWSResource": true });
    assert.strictEqual(grants.Condition?.StringEquals["kms:CallerAccount"], "111122223333");
  });

  it("admits CloudWatch Logs of this region for this account's log groups only", () => {
    const logs = statement(keyPolicy(scope), "CloudWatchLogsEncryptsLogGroups");
    assert.deepStrictEqual(logs.Principal, { Service: "logs.eu-west-1.amazonaws.com" });
    assert.deepStrictEqual(logs.Condition, {
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111122223333:log-group:*" },
    });
  });

  it("names roles from the arguments, use and AWS-resource grants only", () => {
    const slr = autoScalingServiceLinkedRoleArn("aws", "111122223333");
    const doc = keyPolicy({ ...scope, userRoleArns: [slr, NODE_ROLE] });
    assert.deepStrictEqual(statement(doc, "NamedRolesUseKey").Principal, { AWS: [NODE_ROLE, slr].sort() });
    assert.deepStrictEqual(statement(doc, "NamedRolesUseKey").Action, USE_ACTIONS);
    assert.deepStrictEqual(statement(doc, "NamedRolesGrantForAwsResources").Condition, {
      Bool: { "kms:GrantIsForAWSResource": true },
    });
    assert.ok(!keyPolicy(scope).Statement.some((s) => s.Sid.startsWith("NamedRoles")));
  });

  it("lists the named roles sorted, whatever order the arguments give them in", () => {
    const slr = autoScalingServiceLinkedRoleArn("aws", "111122223333");
    const doc = keyPolicy({ ...scope, userRoleArns: [NODE_ROLE, slr] });
    for (const sid of ["NamedRolesUseKey", "NamedRolesGrantForAwsResources"]) {
      assert.deepStrictEqual(statement(doc, sid).Principal, { AWS: [slr, NODE_ROLE] }, sid);
    }
  });

  it("never has a wildcard principal, and refuses what is not a role of the account", () => {
    const doc = keyPolicy({ ...scope, userRoleArns: [NODE_ROLE] });
    assert.ok(!principals(doc).some((p) => p.includes("*")), JSON.stringify(doc));
    assert.throws(() => keyPolicy({ ...scope, userRoleArns: ["*"] }), /"\*" is not an IAM role ARN/);
    assert.throws(
      () => keyPolicy({ ...scope, userRoleArns: ["arn:aws:iam::111122223333:user/alice"] }),
      /not an IAM role ARN/,
    );
    assert.throws(
      () => keyPolicy({ ...scope, userRoleArns: ["arn:aws:iam::999999999999:role/other"] }),
      /not in account 111122223333/,
    );
    assert.throws(
      () => keyPolicy({ ...scope, userRoleArns: ["arn:aws-cn:iam::111122223333:role/other-partition"] }),
      /not an IAM role ARN/,
    );
    assert.throws(() => keyPolicy({ ...scope, accountId: "*" }), /not an AWS account ID/);
  });
});

describe("aws keys: component", () => {
  const args = keysArgs();
  let resources: RecordedResource[];
  let recorder: ReturnType<typeof optionsRecorder>;
  let keys: Keys;
  before(async () => {
    recorder = optionsRecorder();
    resources = await capturePreview(() => {
      keys = new Keys("coder", args, { transformations: recorder.transformations });
    });
  });

  it("registers a rotating symmetric key with the configured deletion window", () => {
    const key = single(ofType(resources, "aws:kms/key:Key"), "KMS key");
    assert.strictEqual(key.name, "coder-key");
    assert.strictEqual(key.inputs.enableKeyRotation, true);
    assert.strictEqual(key.inputs.deletionWindowInDays, 30);
    assert.strictEqual(key.inputs.keyUsage, "ENCRYPT_DECRYPT");
    assert.strictEqual(key.inputs.bypassPolicyLockoutSafetyCheck, false);
    assert.strictEqual(key.inputs.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
    // A single-region key: its material never leaves the region the stack runs in.
    assert.strictEqual(key.inputs.multiRegion, false);
  });

  it("describes the key by the component's name and what it encrypts, unless told otherwise", async () => {
    const key = single(ofType(resources, "aws:kms/key:Key"), "KMS key");
    assert.strictEqual(key.inputs.description, "coder-blueprint coder: EKS secrets, EBS volumes, RDS, log groups");
    const described = await capturePreview(() => new Keys("logs", { ...args, description: "Coder's log groups" }));
    assert.strictEqual(
      single(ofType(described, "aws:kms/key:Key"), "KMS key").inputs.description,
      "Coder's log groups",
    );
  });

  it("writes the builder's policy for the account the preview reads", () => {
    const key = single(ofType(resources, "aws:kms/key:Key"), "KMS key");
    assert.deepStrictEqual(JSON.parse(key.inputs.policy), previewKeyPolicy([NODE_ROLE]));
  });

  it("protects and retains the key as the arguments say", async () => {
    assert.strictEqual(recorder.of("aws:kms/key:Key", "coder-key")?.protect, true);
    assert.strictEqual(recorder.of("aws:kms/key:Key", "coder-key")?.retainOnDelete, true);
    const loose = optionsRecorder();
    await capturePreview(
      () =>
        new Keys(
          "loose",
          { ...args, protect: false, retainOnDelete: false },
          { transformations: loose.transformations },
        ),
    );
    assert.strictEqual(loose.of("aws:kms/key:Key", "loose-key")?.protect, false);
    assert.strictEqual(loose.of("aws:kms/key:Key", "loose-key")?.retainOnDelete, false);
  });

  it("aliases the key by its computed ID, never an invented one", () => {
    const alias = single(ofType(resources, "aws:kms/alias:Alias"), "alias");
    assert.strictEqual(alias.inputs.name, "alias/coder");
    assert.ok(pulumi.isUnknown(alias.inputs.targetKeyId), `targetKeyId ${String(alias.inputs.targetKeyId)}`);
  });

  it("turns on EBS encryption by default with this key when asked, and leaves the account alone otherwise", async () => {
    assert.strictEqual(
      single(ofType(resources, "aws:ebs/encryptionByDefault:EncryptionByDefault"), "EBS default").inputs.enabled,
      true,
    );
    const dflt = single(ofType(resources, "aws:ebs/defaultKmsKey:DefaultKmsKey"), "EBS default key");
    assert.ok(pulumi.isUnknown(dflt.inputs.keyArn));
    // The default key is set only once encryption by default is on.
    const deps = recorder.of("aws:ebs/defaultKmsKey:DefaultKmsKey", "coder-ebs-default-key")?.dependsOn;
    assert.ok(Array.isArray(deps) && deps.length === 1, "depends on one resource");
    assert.ok(deps[0] instanceof aws.ebs.EncryptionByDefault, "waits for EBS encryption by default");
    const without = await capturePreview(() => new Keys("plain", { ...args, ebsEncryptionByDefault: false }));
    assert.deepStrictEqual(ofType(without, "aws:ebs/encryptionByDefault:EncryptionByDefault"), []);
    assert.deepStrictEqual(ofType(without, "aws:ebs/defaultKmsKey:DefaultKmsKey"), []);
  });

  it("exposes the key ARN and ID as values the cloud computes", async () => {
    const known = await new Promise<boolean>((resolve) => {
      let ran = false;
      keys.keyArn.apply(() => (ran = true));
      setTimeout(() => resolve(ran), 50);
    });
    assert.strictEqual(known, false, "keyArn resolved to an invented value during a preview");
  });

  it("refuses a deletion window KMS does not accept", () => {
    assert.throws(() => new Keys("bad", { ...args, deletionWindowInDays: 6 }), /7 to 30, not 6/);
    assert.throws(() => new Keys("bad", { ...args, deletionWindowInDays: 31 }), /7 to 30, not 31/);
    assert.throws(() => new Keys("bad", { ...args, deletionWindowInDays: 7.5 }), /7 to 30, not 7.5/);
  });

  it("accepts both ends of the deletion window KMS allows", async () => {
    for (const deletionWindowInDays of [7, 30]) {
      const registered = await capturePreview(
        () => new Keys(`w${deletionWindowInDays}`, { ...args, deletionWindowInDays }),
      );
      assert.strictEqual(
        single(ofType(registered, "aws:kms/key:Key"), "KMS key").inputs.deletionWindowInDays,
        deletionWindowInDays,
      );
    }
  });
});
