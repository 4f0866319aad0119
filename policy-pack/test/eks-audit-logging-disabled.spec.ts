import { eksAuditLoggingDisabled } from "../policies/aws/eks-audit-logging-disabled";
import { expectPass, expectViolation } from "./expect";
import { compliantEksCluster } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("eks-audit-logging-disabled", () => {
  it("passes a cluster sending audit logs", async () => {
    await expectPass(eksAuditLoggingDisabled, compliantEksCluster());
    await expectPass(
      eksAuditLoggingDisabled,
      mutate(compliantEksCluster(), (p) => (p.enabledClusterLogTypes = ["audit"])),
    );
  });

  it("fails a cluster without the audit log type", async () => {
    await expectViolation(
      eksAuditLoggingDisabled,
      mutate(compliantEksCluster(), (p) => (p.enabledClusterLogTypes = ["api", "authenticator"])),
      'EKS cluster "coder"',
      /does not enable the audit log type.*add "audit" to enabledClusterLogTypes/,
    );
  });

  it("fails a cluster with no control-plane logging", async () => {
    await expectViolation(
      eksAuditLoggingDisabled,
      mutate(compliantEksCluster(), (p) => delete p.enabledClusterLogTypes),
      'EKS cluster "coder"',
      /add "audit"/,
    );
  });
});
