import { rdsWithoutDeletionProtection } from "../policies/aws/rds-without-deletion-protection";
import { expectPass, expectViolation } from "./expect";
import { compliantRdsCluster, compliantRdsInstance } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const PRODUCTION = { config: { "rds-without-deletion-protection": { production: true } } };

describe("rds-without-deletion-protection", () => {
  it("passes protected databases in production", async () => {
    await expectPass(rdsWithoutDeletionProtection, compliantRdsInstance(), PRODUCTION);
    await expectPass(rdsWithoutDeletionProtection, compliantRdsCluster(), PRODUCTION);
  });

  it("does not require protection outside production", async () => {
    await expectPass(
      rdsWithoutDeletionProtection,
      mutate(compliantRdsInstance(), (p) => delete p.deletionProtection),
    );
  });

  it("fails an unprotected database in production", async () => {
    await expectViolation(
      rdsWithoutDeletionProtection,
      mutate(compliantRdsInstance(), (p) => delete p.deletionProtection),
      'RDS instance "coder"',
      /no deletion protection in a production stack.*set deletionProtection: true/,
      PRODUCTION,
    );
    await expectViolation(
      rdsWithoutDeletionProtection,
      mutate(compliantRdsCluster(), (p) => (p.deletionProtection = false)),
      'RDS cluster "coder"',
      /set deletionProtection: true/,
      PRODUCTION,
    );
  });
});
