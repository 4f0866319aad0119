import { ecrPushFromClusterRole } from "../policies/aws/ecr-push-from-cluster-role";
import { AWS } from "../lib/types";
import { unknown, urnOf } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { ACCOUNT, compliantEksCluster, compliantIamStack, compliantKmsKey, KEY_ARN } from "./fixtures/aws";
import { mutate, resource } from "./fixtures/resources";

const push = (actions: string | string[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
const NODE_ROLE = 'IAM role "coder-node"';
const POWER_USER = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser";
const nodeRoleUrn = urnOf("test", AWS.iamRole, "coder-node-role");
const CLUSTER_URN = urnOf("test", AWS.eksCluster, "coder-eks");
const withRole = (name: string, change: (props: any) => void) =>
  compliantIamStack().map((r) => (r.type === AWS.iamRole && r.props.name === name ? mutate(r, change) : r));
/** An EKS pod identity association letting the coder service account assume the role named `role`. */
const podIdentity = (name: string, role: string) =>
  resource(AWS.eksPodIdentityAssociation, name, {
    clusterName: "coder",
    namespace: "coder",
    serviceAccount: "coder",
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
  });

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

  // AWS-managed policies that include ECR push (Administrator and PowerUser through "*" on every service but IAM;
  // the Image Builder instance profile pushes to the repositories Image Builder creates).
  for (const managed of [
    "AdministratorAccess",
    "PowerUserAccess",
    "AmazonEC2ContainerRegistryFullAccess",
    "AmazonEC2ContainerRegistryPowerUser",
    "EC2InstanceProfileForImageBuilderECRContainerBuilds",
  ]) {
    it(`fails the AWS-managed ${managed} attached to the node role`, async () => {
      const attach = resource(
        AWS.iamRolePolicyAttachment,
        "node-managed",
        { role: "coder-node", policyArn: `arn:aws:iam::aws:policy/${managed}` },
        { propertyDependencies: { role: [nodeRoleUrn] } },
      );
      await expectStackViolation(
        ecrPushFromClusterRole,
        [...compliantIamStack(), attach],
        'IAM role policy attachment "node-managed"',
        new RegExp(`grants all ECR push actions \\(AWS-managed ${managed}\\) to ${NODE_ROLE}`),
      );
    });
  }

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
    const assoc = podIdentity("assoc", "podid");
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

  it("links a role through its property dependency while the role's name is computed during preview", async () => {
    const attach = resource(
      AWS.iamRolePolicyAttachment,
      "node-ecr-power",
      { role: unknown.string, policyArn: POWER_USER },
      { propertyDependencies: { role: [nodeRoleUrn] } },
    );
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), attach],
      'IAM role policy attachment "node-ecr-power"',
      /to IAM role "coder-node" \(node role of EKS node group "workspaces"\)/,
    );
  });

  it("falls back to the role's name when the property depends only on resources that are not roles", async () => {
    const cluster = compliantEksCluster();
    const attach = resource(
      AWS.iamRolePolicyAttachment,
      "node-ecr-power",
      { role: "coder-node", policyArn: POWER_USER },
      { propertyDependencies: { role: [CLUSTER_URN] } },
    );
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), cluster, attach],
      'IAM role policy attachment "node-ecr-power"',
      /to IAM role "coder-node"/,
    );
  });

  it("matches a role ARN to the role's name while the role's own ARN is computed during preview", async () => {
    const role = resource(AWS.iamRole, "podid", { name: "podid", arn: unknown.string, assumeRolePolicy: "{}" });
    const assoc = podIdentity("assoc", "podid");
    const rp = resource(AWS.iamRolePolicy, "podid-push", { role: "podid", policy: push("ecr:PutImage") });
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), role, assoc, rp],
      'IAM role policy "podid-push"',
      /grants ecr:PutImage to IAM role "podid" \(assumed by pods through EKS pod identity association "assoc"\)/,
    );
  });

  it("passes push granted to a role the stack does not define", async () => {
    for (const role of ["ci-elsewhere", `arn:aws:iam::${ACCOUNT}:role/ci-elsewhere`]) {
      await expectStackPass(ecrPushFromClusterRole, [
        ...compliantIamStack(),
        resource(AWS.iamRolePolicy, "elsewhere-push", { role, policy: push("ecr:*") }),
      ]);
    }
  });

  it("names the first use found for a role that the cluster uses in two ways", async () => {
    const assoc = podIdentity("coderd-assoc", "coderd");
    const rp = resource(AWS.iamRolePolicy, "coderd-push", { role: "coderd", policy: push("ecr:PutImage") });
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), assoc, rp],
      'IAM role policy "coderd-push"',
      /to IAM role "coderd" \(its trust policy lets pods assume it \(IRSA\/Pod Identity\)\)/,
    );
  });

  it("fails a push policy in a cluster role's managedPolicyArns", async () => {
    await expectStackViolation(
      ecrPushFromClusterRole,
      withRole("coder-node", (p) => (p.managedPolicyArns = [POWER_USER])),
      NODE_ROLE,
      /grants all ECR push actions \(AWS-managed AmazonEC2ContainerRegistryPowerUser\) to IAM role "coder-node" \(node role/,
    );
  });

  it("fails a shared policy attachment that lists a cluster role among its roles", async () => {
    const attach = resource(AWS.iamPolicyAttachment, "ecr-full", {
      roles: ["ci-push", "coder-node"],
      policyArn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess",
    });
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), attach],
      'IAM policy attachment "ecr-full"',
      /grants all ECR push actions \(AWS-managed AmazonEC2ContainerRegistryFullAccess\) to IAM role "coder-node"/,
    );
  });

  it("reads a new customer-managed policy through the property dependency while its ARN is computed", async () => {
    const cluster = compliantEksCluster();
    const policy = resource(AWS.iamPolicy, "node-push", {
      name: "node-push",
      arn: unknown.string,
      policy: push("ecr:*"),
    });
    const attach = resource(
      AWS.iamRolePolicyAttachment,
      "node-push",
      { role: "coder-node", policyArn: unknown.string },
      {
        // The ARN is picked from several outputs; only the IAM policy's document counts.
        propertyDependencies: {
          role: [nodeRoleUrn],
          policyArn: [CLUSTER_URN, urnOf("test", AWS.iamPolicy, "node-push")],
        },
      },
    );
    await expectStackViolation(
      ecrPushFromClusterRole,
      [...compliantIamStack(), cluster, policy, attach],
      'IAM role policy attachment "node-push"',
      /grants ecr:PutImage, .* to IAM role "coder-node"/,
    );
  });

  it("reads attached documents only from IAM policies, not from another resource named by mistake", async () => {
    const key = mutate(compliantKmsKey(), (p) => ((p.arn = KEY_ARN), (p.policy = push("*"))));
    const attach = resource(AWS.iamRolePolicyAttachment, "node-key", { role: "coder-node", policyArn: KEY_ARN });
    await expectStackPass(ecrPushFromClusterRole, [...compliantIamStack(), key, attach]);
  });

  it("ignores computed policies on roles the cluster does not use, and in stacks without cluster roles", async () => {
    await expectStackPass(
      ecrPushFromClusterRole,
      withRole("ci-push", (p) => (p.inlinePolicies = [{ name: "computed", policy: unknown.string }])),
    );
    const ci = compliantIamStack().filter((r) => r.props.name === "ci-push" || r.props.role === "ci-push");
    await expectStackPass(ecrPushFromClusterRole, [
      ...ci,
      resource(AWS.iamRolePolicy, "computed", { role: "ci-push", policy: unknown.string }),
    ]);
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
