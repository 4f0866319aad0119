import { eksClusterAdminAccess } from "../policies/aws/eks-cluster-admin-access";
import { expectPass, expectViolation } from "./expect";
import { ACCOUNT, BREAK_GLASS_ROLE, compliantAccessEntry, compliantAccessPolicyAssociation } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const CONFIG = { config: { "eks-cluster-admin-access": { breakGlassRoleArn: BREAK_GLASS_ROLE } } };
const ENTRY = 'EKS access entry "coder-operators"';
const ASSOCIATION = 'EKS access policy association "coder-operators-view"';
const ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const grant = (policyArn: string, principalArn?: string) =>
  mutate(compliantAccessPolicyAssociation(), (p) => {
    p.policyArn = policyArn;
    p.accessScope = { type: "cluster" };
    if (principalArn !== undefined) p.principalArn = principalArn;
  });
const masters = (principalArn?: string) =>
  mutate(compliantAccessEntry(), (p) => {
    p.kubernetesGroups = ["coder-operators", "system:masters"];
    if (principalArn) p.principalArn = principalArn;
  });

describe("eks-cluster-admin-access", () => {
  it("passes RBAC groups and narrower access policies", async () => {
    await expectPass(eksClusterAdminAccess, compliantAccessEntry(), CONFIG);
    await expectPass(eksClusterAdminAccess, compliantAccessPolicyAssociation(), CONFIG);
    await expectPass(
      eksClusterAdminAccess,
      grant("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"),
      CONFIG,
    );
    await expectPass(
      eksClusterAdminAccess,
      mutate(compliantAccessEntry(), (p) => delete p.kubernetesGroups),
    );
  });

  it("passes cluster-admin for the configured break-glass role", async () => {
    await expectPass(eksClusterAdminAccess, grant(ADMIN, BREAK_GLASS_ROLE), CONFIG);
    await expectPass(eksClusterAdminAccess, masters(BREAK_GLASS_ROLE), CONFIG);
  });

  it("fails AmazonEKSClusterAdminPolicy for any other principal", async () => {
    await expectViolation(
      eksClusterAdminAccess,
      grant(ADMIN),
      ASSOCIATION,
      /gives arn:aws:iam::123456789012:role\/coder-operators cluster-admin through .*AmazonEKSClusterAdminPolicy, and it is not the break-glass role \(arn:aws:iam::123456789012:role\/coder-break-glass\); grant a narrower access policy or an RBAC-bound group instead\.$/,
      CONFIG,
    );
  });

  it("fails every spelling of the cluster-admin policy ARN", async () => {
    for (const arn of [
      "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      "arn:aws:eks::aws:cluster-access-policy/amazoneksclusteradminpolicy",
      ` ${ADMIN} `,
      "AmazonEKSClusterAdminPolicy",
    ]) {
      await expectViolation(eksClusterAdminAccess, grant(arn), ASSOCIATION, /cluster-admin through/, CONFIG);
    }
  });

  it("fails system:masters in an access entry's Kubernetes groups", async () => {
    await expectViolation(
      eksClusterAdminAccess,
      masters(),
      ENTRY,
      /cluster-admin through the system:masters group/,
      CONFIG,
    );
  });

  it("passes access policies whose names only start with the cluster-admin policy's", async () => {
    await expectPass(
      eksClusterAdminAccess,
      grant("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicyReadOnly"),
      CONFIG,
    );
  });

  it("fails system:masters padded with spaces or listed beside entries that are not strings", async () => {
    for (const kubernetesGroups of [[" system:masters "], [null, "system:masters"], [7, "system:masters"]]) {
      await expectViolation(
        eksClusterAdminAccess,
        mutate(compliantAccessEntry(), (p) => (p.kubernetesGroups = kubernetesGroups)),
        ENTRY,
        /cluster-admin through the system:masters group/,
        CONFIG,
      );
    }
  });

  it("fails a role that only resembles the break-glass role", async () => {
    await expectViolation(
      eksClusterAdminAccess,
      grant(ADMIN, `arn:aws:iam::${ACCOUNT}:role/coder-break-glass-2`),
      ASSOCIATION,
      /not the break-glass role/,
      CONFIG,
    );
    await expectViolation(
      eksClusterAdminAccess,
      masters("arn:aws:iam::999999999999:role/coder-break-glass"),
      ENTRY,
      /not the break-glass role/,
      CONFIG,
    );
  });

  it("fails every cluster-admin grant when no break-glass role is configured", async () => {
    await expectViolation(
      eksClusterAdminAccess,
      grant(ADMIN, BREAK_GLASS_ROLE),
      ASSOCIATION,
      /breakGlassRoleArn unset/,
    );
    // An empty principal must not count as the unset break-glass role.
    await expectViolation(
      eksClusterAdminAccess,
      grant(ADMIN, ""),
      ASSOCIATION,
      /gives {2}cluster-admin through .* \(breakGlassRoleArn unset\)/,
    );
  });
});
