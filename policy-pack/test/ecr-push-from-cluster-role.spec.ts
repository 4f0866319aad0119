import { ecrPushFromClusterRole } from "../policies/aws/ecr-push-from-cluster-role";
import { AWS } from "../lib/types";
import { unknown, urnOf } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { ACCOUNT, compliantIamStack } from "./fixtures/aws";
import { mutate, resource } from "./fixtures/resources";

const push = (actions: string | string[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
const NODE_ROLE = 'IAM role "coder-node"';

describe("ecr-push-from-cluster-role", () => {
  it("passes cluster roles that only pull, while a CI role outside the cluster may push", async () => {
    await expectStackPass(ecrPushFromClusterRole, compliantIamStack());
  });

  it("fails PowerUser attached to the node role (linked through property dependencies)", async () => {
    const attach = resource(
      AWS.iamRolePolicyAttachment,
      "node-ecr-power",
      { role: "coder-node", policyArn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser" },
      { propertyDependencies: { role: [urnOf("test", AWS.iamRole, "coder-node-role")] } },
    );
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), attach],
      'IAM role policy attachment "node-ecr-power"',
      new RegExp(
        `grants all ECR push actions \\(AWS-managed AmazonEC2ContainerRegistryPowerUser\\) to ${NODE_ROLE} \\(node role of EKS node group "workspaces"\\).*grant this role only pull actions`,
      ),
    );
  });

  it("fails an inline ecr:PutImage on the IRSA role", async () => {
    const stack = compliantIamStack().map((r) =>
      r.props.name === "coderd" && r.type === AWS.iamRole
        ? mutate(r, (p) => p.inlinePolicies.push({ name: "push", policy: push("ecr:PutImage") }))
        : r,
    );
    await expectStackViolation(
      ecrPushFromClusterRole,
      stack,
      'IAM role "coderd"',
      /grants ecr:PutImage to IAM role "coderd" \(its trust policy lets pods assume it/,
    );
  });

  it("fails a role policy with ecr:* matched by name", async () => {
    const rp = resource(AWS.iamRolePolicy, "node-wild", { role: "coder-node", policy: push("ecr:*") });
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), rp],
      'IAM role policy "node-wild"',
      /grants ecr:PutImage, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload to IAM role "coder-node"/,
    );
  });

  it("fails a customer-managed policy with * attached to a pod identity role, and Allow/NotAction", async () => {
    const role = resource(AWS.iamRole, "podid", {
      name: "podid",
      arn: `arn:aws:iam::${ACCOUNT}:role/podid`,
      assumeRolePolicy: "{}",
    });
    const assoc = resource(AWS.eksPodIdentityAssociation, "assoc", {
      clusterName: "coder",
      namespace: "coder",
      serviceAccount: "coder",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/podid`,
    });
    const policy = resource(AWS.iamPolicy, "everything", {
      name: "everything",
      arn: `arn:aws:iam::${ACCOUNT}:policy/everything`,
      policy: JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }),
    });
    const attach = resource(AWS.iamRolePolicyAttachment, "podid-everything", {
      role: "podid",
      policyArn: `arn:aws:iam::${ACCOUNT}:policy/everything`,
    });
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), role, assoc, policy, attach],
      'IAM role policy attachment "podid-everything"',
      /to IAM role "podid" \(assumed by pods through EKS pod identity association "assoc"\)/,
    );
  });

  it("honours an unconditional Deny", async () => {
    const doc = JSON.stringify({
      Statement: [
        { Effect: "Allow", Action: "ecr:*", Resource: "*" },
        { Effect: "Deny", Action: ["ecr:PutImage", "ecr:*Layer*"], Resource: "*" },
      ],
    });
    await expectStackPass(ecrPushFromClusterRole, [
      ...compliantIamStack(),
      resource(AWS.iamRolePolicy, "denied", { role: "coder-node", policy: doc }),
    ]);
  });

  it("cannot judge a policy document computed during preview: advisory, not a pass", async () => {
    const rp = resource(AWS.iamRolePolicy, "computed", { role: "coder-node", policy: unknown.string });
    await expectStackPreviewGap(
      ecrPushFromClusterRole,
      [...compliantIamStack(), rp],
      /\.policy can't be known during preview/,
    );
  });
});
