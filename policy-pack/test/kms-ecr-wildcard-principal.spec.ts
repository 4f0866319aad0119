import { kmsEcrWildcardPrincipal } from "../policies/aws/kms-ecr-wildcard-principal";
import { secret, unknown } from "./harness/analyzer";
import { expectPass, expectPreviewGap, expectViolation } from "./expect";
import {
  ACCOUNT,
  compliantEcrRegistryPolicy,
  compliantEcrRepositoryPolicy,
  compliantKmsKey,
  compliantKmsKeyPolicy,
} from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const doc = (statement: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*", ...statement }],
  });
const withPolicy = (policy: unknown) => mutate(compliantKmsKeyPolicy(), (p) => (p.policy = policy));
const OPEN = /its policy allows .*every AWS account; name the account or role principals explicitly/;
const POLICY = 'KMS key policy "coder-key-policy"';

describe("kms-ecr-wildcard-principal", () => {
  it("passes account and role principals on keys, key policies, repository and registry policies", async () => {
    await expectPass(kmsEcrWildcardPrincipal, compliantKmsKey());
    await expectPass(kmsEcrWildcardPrincipal, compliantKmsKeyPolicy());
    await expectPass(kmsEcrWildcardPrincipal, compliantEcrRepositoryPolicy());
    await expectPass(kmsEcrWildcardPrincipal, compliantEcrRegistryPolicy());
  });

  it("passes a key without an inline policy, and service principals", async () => {
    await expectPass(
      kmsEcrWildcardPrincipal,
      mutate(compliantKmsKey(), (p) => delete p.policy),
    );
    await expectPass(
      kmsEcrWildcardPrincipal,
      withPolicy(doc({ Principal: { Service: "logs.eu-west-1.amazonaws.com" } })),
    );
  });

  it("passes a wildcard principal in a Deny statement", async () => {
    await expectPass(kmsEcrWildcardPrincipal, withPolicy(doc({ Effect: "Deny", Principal: "*" })));
  });

  it('fails Principal "*" and {AWS: "*"} in a key policy resource', async () => {
    await expectViolation(kmsEcrWildcardPrincipal, withPolicy(doc({ Principal: "*" })), POLICY, /allows "\*"/);
    await expectViolation(kmsEcrWildcardPrincipal, withPolicy(doc({ Principal: { AWS: "*" } })), POLICY, /AWS: "\*"/);
  });

  it('fails {AWS: ["*"]} among named principals, and an any-account root ARN', async () => {
    await expectViolation(
      kmsEcrWildcardPrincipal,
      withPolicy(doc({ Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, "*"] } })),
      POLICY,
      OPEN,
    );
    await expectViolation(
      kmsEcrWildcardPrincipal,
      withPolicy(doc({ Principal: { AWS: "arn:aws:iam::*:root" } })),
      POLICY,
      /AWS: "arn:aws:iam::\*:root"/,
    );
  });

  it("names every wildcard principal the policy allows", async () => {
    const statement = { Effect: "Allow", Action: "kms:*", Resource: "*" };
    await expectViolation(
      kmsEcrWildcardPrincipal,
      withPolicy({
        Statement: [
          { ...statement, Principal: "*" },
          { ...statement, Principal: { AWS: "*" } },
        ],
      }),
      POLICY,
      /its policy allows "\*", AWS: "\*", i\.e\. every AWS account/,
    );
  });

  it("fails NotPrincipal, which allows everyone but the few named", async () => {
    await expectViolation(
      kmsEcrWildcardPrincipal,
      withPolicy(doc({ NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/x` } })),
      POLICY,
      /allows NotPrincipal/,
    );
  });

  it("fails a wildcard even when a condition narrows it (the pack cannot prove the condition)", async () => {
    await expectViolation(
      kmsEcrWildcardPrincipal,
      withPolicy(doc({ Principal: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } } })),
      POLICY,
      OPEN,
    );
  });

  it("fails the policy as an object, as a secret Output, and as a single statement", async () => {
    const statement = { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" };
    await expectViolation(kmsEcrWildcardPrincipal, withPolicy({ Statement: [statement] }), POLICY, OPEN);
    await expectViolation(kmsEcrWildcardPrincipal, withPolicy(secret(doc({ Principal: "*" }))), POLICY, OPEN);
    await expectViolation(kmsEcrWildcardPrincipal, withPolicy(JSON.stringify({ Statement: statement })), POLICY, OPEN);
  });

  it("fails a wildcard in a key's inline policy", async () => {
    await expectViolation(
      kmsEcrWildcardPrincipal,
      mutate(compliantKmsKey(), (p) => (p.policy = doc({ Principal: { AWS: ["*"] } }))),
      'KMS key "coder-key"',
      OPEN,
    );
  });

  it("fails public pull in a repository policy and a wildcard in the registry policy", async () => {
    const pull = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Public", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"] }],
    });
    await expectViolation(
      kmsEcrWildcardPrincipal,
      mutate(compliantEcrRepositoryPolicy(), (p) => (p.policy = pull)),
      'ECR repository policy "workspace-images-policy"',
      OPEN,
    );
    await expectViolation(
      kmsEcrWildcardPrincipal,
      mutate(compliantEcrRegistryPolicy(), (p) => (p.policy = doc({ Principal: { AWS: "arn:aws:iam::*:root" } }))),
      'ECR registry policy "registry-policy"',
      OPEN,
    );
  });

  it("reports a policy unknown during preview as a preview gap, not a pass", async () => {
    await expectPreviewGap(kmsEcrWildcardPrincipal, withPolicy(unknown.string), /\.policy can't be known/);
  });
});
