import { eksCreatorAdminBootstrap } from "../policies/aws/eks-creator-admin-bootstrap";
import { expectPass, expectViolation } from "./expect";
import { compliantEksCluster } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'EKS cluster "coder"';

describe("eks-creator-admin-bootstrap", () => {
  it("passes bootstrapClusterCreatorAdminPermissions: false", async () => {
    await expectPass(eksCreatorAdminBootstrap, compliantEksCluster());
  });

  it("fails true", async () => {
    await expectViolation(
      eksCreatorAdminBootstrap,
      mutate(compliantEksCluster(), (p) => (p.accessConfig.bootstrapClusterCreatorAdminPermissions = true)),
      WHO,
      /sets accessConfig\.bootstrapClusterCreatorAdminPermissions: true, making the deploying identity a hidden cluster-admin; set it to false and grant administrators through EKS access entries\.$/,
    );
  });

  it("fails unset, because EKS defaults it to true", async () => {
    await expectViolation(
      eksCreatorAdminBootstrap,
      mutate(compliantEksCluster(), (p) => delete p.accessConfig),
      WHO,
      /unset \(EKS defaults to true\)/,
    );
  });
});
