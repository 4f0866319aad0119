import { publicRdsDatabase } from "../policies/aws/public-rds-database";
import { expectPass, expectViolation } from "./expect";
import { compliantRdsClusterInstance, compliantRdsInstance } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("public-rds-database", () => {
  it("passes private databases", async () => {
    await expectPass(publicRdsDatabase, compliantRdsInstance());
    await expectPass(publicRdsDatabase, compliantRdsClusterInstance());
  });

  it("fails a publicly accessible instance", async () => {
    await expectViolation(
      publicRdsDatabase,
      mutate(compliantRdsInstance(), (p) => (p.publiclyAccessible = true)),
      'RDS instance "coder"',
      /is publicly accessible.*set publiclyAccessible: false/,
    );
  });

  it("fails a publicly accessible Aurora instance", async () => {
    await expectViolation(
      publicRdsDatabase,
      mutate(compliantRdsClusterInstance(), (p) => (p.publiclyAccessible = true)),
      'RDS cluster instance "coder-1"',
      /publicly accessible/,
    );
  });
});
