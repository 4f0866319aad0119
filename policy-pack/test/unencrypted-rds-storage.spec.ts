import { unencryptedRdsStorage } from "../policies/aws/unencrypted-rds-storage";
import { expectNotApplicable, expectPass, expectViolation } from "./expect";
import { compliantRdsCluster, compliantRdsInstance } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

describe("unencrypted-rds-storage", () => {
  it("passes encrypted instances and clusters", async () => {
    await expectPass(unencryptedRdsStorage, compliantRdsInstance());
    await expectPass(unencryptedRdsStorage, compliantRdsCluster());
  });

  it("fails an unencrypted instance", async () => {
    await expectViolation(
      unencryptedRdsStorage,
      mutate(compliantRdsInstance(), (p) => delete p.storageEncrypted),
      'RDS instance "coder"',
      /storage is not encrypted \(storageEncrypted is null\); set storageEncrypted: true with a customer-managed kmsKeyId\.$/,
    );
  });

  it("fails an unencrypted Aurora cluster", async () => {
    await expectViolation(
      unencryptedRdsStorage,
      mutate(compliantRdsCluster(), (p) => (p.storageEncrypted = false)),
      'RDS cluster "coder"',
      /storageEncrypted is false/,
    );
  });

  it("does not judge read replicas, which inherit their source's encryption", async () => {
    await expectNotApplicable(
      unencryptedRdsStorage,
      mutate(compliantRdsInstance(), (p) => ((p.replicateSourceDb = "coder"), delete p.storageEncrypted)),
      /inherit/,
    );
  });
});
