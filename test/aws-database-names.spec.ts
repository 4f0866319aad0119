// coderd's RDS database refuses names it would write into SQL, and says which argument is wrong: the
// database, the master user or coderd's user. It also refuses to build without the private subnets' ranges,
// which coderd's egress rule needs.
import "./harness/mocks";
import * as assert from "assert";
import { Database, DatabaseArgs } from "../components/aws/database";
import { databaseArgs } from "./fixtures/aws-components";

const refusal = (name: string, change: Partial<DatabaseArgs>): string => {
  try {
    new Database(name, { ...databaseArgs(), ...change });
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail(`expected ${JSON.stringify(change)} to be refused`);
};

describe("aws database: names and ranges it refuses", () => {
  it("builds from the compliant arguments", () => {
    assert.doesNotThrow(() => new Database("ok", databaseArgs()));
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
