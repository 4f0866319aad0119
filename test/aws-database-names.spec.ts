// coderd's RDS database refuses names it would write into SQL, and says which argument is wrong: the
// database, the master user or coderd's user. It also refuses to build without the private subnets' ranges,
// which coderd's egress rule needs.
import "./harness/mocks";
import * as assert from "assert";
import { Database, DatabaseArgs } from "../components/aws/database";

const compliant = (): DatabaseArgs => ({
  accountId: "123456789012",
  region: "eu-west-1",
  vpcId: "vpc-1",
  privateSubnetIds: ["subnet-a", "subnet-b"],
  privateSubnetCidrs: ["10.0.32.0/20", "10.0.48.0/20"],
  clientSecurityGroupIds: ["sg-nodes"],
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1111-2222",
  engineVersion: "16",
  instanceClass: "db.t4g.medium",
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  multiAz: true,
  backupRetentionDays: 14,
  performanceInsights: true,
  databaseName: "coder",
  masterUsername: "coder_admin",
  coderUsername: "coder",
  caCertIdentifier: "rds-ca-rsa2048-g1",
  caBundlePem: "-----BEGIN CERTIFICATE-----\nrds-ca\n-----END CERTIFICATE-----\n",
  protect: true,
  retainOnDelete: true,
});

const refusal = (name: string, change: Partial<DatabaseArgs>): string => {
  try {
    new Database(name, { ...compliant(), ...change });
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail(`expected ${JSON.stringify(change)} to be refused`);
};

describe("aws database: names and ranges it refuses", () => {
  it("builds from the compliant arguments", () => {
    assert.doesNotThrow(() => new Database("ok", compliant()));
  });

  it("names the argument whose SQL name is wrong", () => {
    const cases: [Partial<DatabaseArgs>, string][] = [
      [{ databaseName: "Coder" }, 'database name "Coder" must be a lowercase SQL name (a-z, 0-9, _)'],
      [{ databaseName: "coder; drop" }, 'database name "coder; drop" must be a lowercase SQL name (a-z, 0-9, _)'],
      [{ masterUsername: "admin-user" }, 'master user "admin-user" must be a lowercase SQL name (a-z, 0-9, _)'],
      [{ masterUsername: "" }, 'master user "" must be a lowercase SQL name (a-z, 0-9, _)'],
      [{ coderUsername: "Coder" }, 'database user "Coder" must be a lowercase SQL name (a-z, 0-9, _)'],
      [{ coderUsername: "coder'--" }, `database user "coder'--" must be a lowercase SQL name (a-z, 0-9, _)`],
    ];
    cases.forEach(([change, message], i) => assert.strictEqual(refusal(`n${i}`, change), message));
  });

  it("refuses to build without the private subnets' ranges", () => {
    assert.strictEqual(
      refusal("no-ranges", { privateSubnetCidrs: [] }),
      "the private subnets' CIDRs are needed for egress",
    );
  });
});
