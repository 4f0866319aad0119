import * as assert from "assert";
import {
  globToRegExp,
  MANAGED_PUSH_POLICIES,
  managedPolicyName,
  pushActionsGranted,
  roleNameFromArn,
  statementsOf,
  trustsPods,
  wildcardPrincipals,
} from "../../lib/iam";

const ALL_PUSH = ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"];
const REPO = "arn:aws:ecr:eu-west-1:123456789012:repository/coder";
const doc = (...statements: Record<string, unknown>[]) => ({ Version: "2012-10-17", Statement: statements });
const allowPush = { Effect: "Allow", Action: "ecr:*", Resource: "*" };

describe("lib/iam", () => {
  describe("statementsOf", () => {
    it("reads a document given as an object or as JSON text", () => {
      const statement = { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" };
      assert.deepStrictEqual(statementsOf(doc(statement)), [statement]);
      assert.deepStrictEqual(statementsOf(JSON.stringify(doc(statement))), [statement]);
    });

    it("finds no statements in text that is not JSON, JSON null, or a value that is not a document", () => {
      for (const value of ["{not json", "null", "42", null, undefined, 42, true]) {
        assert.deepStrictEqual(statementsOf(value), [], JSON.stringify(value));
      }
    });
  });

  describe("globToRegExp", () => {
    it("matches * as any run and ? as exactly one character, whole and case-insensitively", () => {
      assert.ok(globToRegExp("ecr:Put?mage").test("ecr:PutImage"));
      assert.ok(!globToRegExp("ecr:Put?mage").test("ecr:Putmage"));
      assert.ok(globToRegExp("ECR:*").test("ecr:PutImage"));
      assert.ok(!globToRegExp("ecr:Put").test("ecr:PutImage"));
      assert.ok(!globToRegExp("Put*").test("ecr:PutImage"));
      assert.ok(!globToRegExp("ecr.Put*").test("ecrXPutImage"));
    });
  });

  describe("pushActionsGranted", () => {
    it("grants what an Allow's Action globs match, and what its NotAction leaves out", () => {
      assert.deepStrictEqual(pushActionsGranted(doc(allowPush)), ALL_PUSH);
      assert.deepStrictEqual(pushActionsGranted(doc({ ...allowPush, Action: "ecr:Put?mage" })), ["ecr:PutImage"]);
      assert.deepStrictEqual(pushActionsGranted(doc({ Effect: "Allow", NotAction: "ecr:*Layer*", Resource: "*" })), [
        "ecr:PutImage",
      ]);
    });

    it("skips action entries that are not strings instead of failing", () => {
      assert.deepStrictEqual(pushActionsGranted(doc({ ...allowPush, Action: [42, null, "ecr:PutImage"] })), [
        "ecr:PutImage",
      ]);
    });

    it("grants nothing from a Deny statement, even one scoped to a repository", () => {
      assert.deepStrictEqual(pushActionsGranted(doc({ Effect: "Deny", Action: "ecr:*", Resource: REPO })), []);
    });

    it("takes away only the actions a blanket Deny names", () => {
      const deny = { Effect: "Deny", Action: ["ecr:PutImage", "ecr:Upload*"], Resource: "*" };
      assert.deepStrictEqual(pushActionsGranted(doc(allowPush, deny)), [
        "ecr:InitiateLayerUpload",
        "ecr:CompleteLayerUpload",
      ]);
    });

    it("keeps the grant when the Deny has a condition or a narrower resource", () => {
      const deny = { Effect: "Deny", Action: "ecr:*", Resource: "*" };
      const conditional = { ...deny, Condition: { StringNotEquals: { "aws:PrincipalAccount": "123456789012" } } };
      assert.deepStrictEqual(pushActionsGranted(doc(allowPush, conditional)), ALL_PUSH);
      assert.deepStrictEqual(pushActionsGranted(doc(allowPush, { ...deny, Resource: REPO })), ALL_PUSH);
      assert.deepStrictEqual(pushActionsGranted(doc(allowPush, deny)), []);
    });
  });

  describe("trustsPods", () => {
    const oidc = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    const ci = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const webIdentity = (...federated: string[]) =>
      doc({ Effect: "Allow", Principal: { Federated: federated }, Action: "sts:AssumeRoleWithWebIdentity" });
    const podIdentity = (effect: string) =>
      doc({ Effect: effect, Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole"] });

    it("trusts pods through EKS Pod Identity or a cluster's OIDC issuer", () => {
      assert.ok(trustsPods(podIdentity("Allow")));
      assert.ok(trustsPods(webIdentity(oidc)));
      assert.ok(trustsPods(webIdentity(ci, oidc)));
    });

    it("does not trust pods through a CI issuer, another service, or a Deny", () => {
      assert.ok(!trustsPods(webIdentity(ci)));
      assert.ok(!trustsPods(doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" } })));
      assert.ok(!trustsPods(podIdentity("Deny")));
      assert.ok(!trustsPods(doc({ Effect: "Allow", Action: "sts:AssumeRole" })));
    });
  });

  describe("roleNameFromArn", () => {
    it("takes the name after any path, in any partition", () => {
      assert.strictEqual(roleNameFromArn("arn:aws:iam::123456789012:role/coder-node"), "coder-node");
      assert.strictEqual(roleNameFromArn("arn:aws-cn:iam::123456789012:role/service-role/team/coder"), "coder");
    });

    it("rejects ARNs that are not whole role ARNs", () => {
      for (const arn of [
        "xarn:aws:iam::123456789012:role/coder",
        "arn:aws:iam::123456789012:role/coder/",
        "arn:aws:iam::123456789012:user/coder",
        "arn::iam::123456789012:role/coder",
      ]) {
        assert.strictEqual(roleNameFromArn(arn), undefined, arn);
      }
    });
  });

  it("counts the broad AWS-managed policies as granting ECR push, and a read-only one not", () => {
    // AdministratorAccess and PowerUserAccess allow "*" on every service but IAM, ECR push included.
    for (const name of ["AdministratorAccess", "PowerUserAccess", "AmazonEC2ContainerRegistryFullAccess"]) {
      assert.ok(MANAGED_PUSH_POLICIES.has(name), name);
    }
    assert.ok(!MANAGED_PUSH_POLICIES.has("AmazonEC2ContainerRegistryReadOnly"));
  });

  describe("managedPolicyName", () => {
    it("names AWS-managed policies after any path", () => {
      assert.strictEqual(managedPolicyName("arn:aws:iam::aws:policy/PowerUserAccess"), "PowerUserAccess");
      assert.strictEqual(
        managedPolicyName("arn:aws:iam::aws:policy/service-role/team/AmazonEKSClusterPolicy"),
        "AmazonEKSClusterPolicy",
      );
    });

    it("rejects customer-managed policies and text that is not a whole policy ARN", () => {
      for (const arn of [
        "arn:aws:iam::123456789012:policy/PowerUserAccess",
        "xarn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess/",
      ]) {
        assert.strictEqual(managedPolicyName(arn), undefined, arn);
      }
    });
  });

  describe("wildcardPrincipals", () => {
    const allow = (principal: unknown) =>
      doc({ Effect: "Allow", Action: "kms:*", Resource: "*", Principal: principal });

    it("reports anyone, with blanks around it, and any-account ARNs", () => {
      assert.deepStrictEqual(wildcardPrincipals(allow(" * ")), ['" * "']);
      assert.deepStrictEqual(wildcardPrincipals(allow({ AWS: [" arn:aws:iam::*:root"] })), [
        'AWS: " arn:aws:iam::*:root"',
      ]);
    });

    it("passes named accounts, in the string and the object form, and ARNs that only contain a wildcard", () => {
      assert.deepStrictEqual(wildcardPrincipals(allow("arn:aws:iam::123456789012:root")), []);
      assert.deepStrictEqual(wildcardPrincipals(allow({ AWS: "arn:aws:iam::123456789012:root" })), []);
      assert.deepStrictEqual(wildcardPrincipals(allow({ AWS: "notarn:aws:iam::*:root" })), []);
    });

    it("reads a document inside up to three {value} wrappers, and no deeper", () => {
      const open = allow("*");
      assert.deepStrictEqual(wildcardPrincipals({ value: open }), ['"*"']);
      assert.deepStrictEqual(wildcardPrincipals({ value: { value: { value: JSON.stringify(open) } } }), ['"*"']);
      assert.deepStrictEqual(wildcardPrincipals({ value: { value: { value: { value: open } } } }), []);
    });

    it("reads a document that has its own statements as it is, even with a value field", () => {
      assert.deepStrictEqual(wildcardPrincipals({ ...allow("*"), value: doc() }), ['"*"']);
    });
  });
});
