// coderd's RDS database: its settings builders with hand-written expectations (including the derivations from
// what RDS computes: the URL from the address, the grant from the resource ID, the master secret's ARN), then
// the component previewed under the engine's mocks, starting from a compliant database and changing one
// argument at a time. A preview has no address, resource ID or secret yet, so the outputs derived from them
// must stay unknown there: a component that invented them would show a value.
import "./harness/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Database, DatabaseArgs } from "../components/aws/database";
import {
  checkBackupRetention,
  connectionUrl,
  DATABASE_PARAMETERS,
  finalSnapshotIdentifier,
  iamUserBootstrapSql,
  masterUserSecretArn,
  parameterGroupFamily,
  rdsConnectPolicy,
  rdsDbUserArn,
} from "../components/aws/database/settings";
import {
  CA_PEM,
  DATABASE_ACCOUNT as ACCOUNT,
  DATABASE_KEY as KEY,
  DATABASE_REGION as REGION,
  databaseArgs,
} from "./fixtures/aws-components";
import { capture, capturePreview, optionsRecorder, RecordedResource } from "./harness/mocks";
import { named, ofType, single } from "./harness/resources";

describe("aws database: settings builders", () => {
  it("derives the parameter group family from the major version", () => {
    assert.strictEqual(parameterGroupFamily("16"), "postgres16");
    assert.strictEqual(parameterGroupFamily("17.4"), "postgres17");
    assert.throws(() => parameterGroupFamily("latest"), /not a Postgres version/);
    assert.throws(() => parameterGroupFamily("16.4.1"), /not a Postgres version/);
    // Minor versions past 9 have two digits, as RDS's PostgreSQL 16.10 and 17.10 do.
    assert.strictEqual(parameterGroupFamily("16.10"), "postgres16");
  });

  it("forces TLS 1.2 or later and logs connections", () => {
    const byName = Object.fromEntries(DATABASE_PARAMETERS.map((p) => [p.name, p.value]));
    assert.deepStrictEqual(byName, {
      "rds.force_ssl": "1",
      ssl_min_protocol_version: "TLSv1.2",
      log_connections: "1",
      log_disconnections: "1",
    });
    // rds.force_ssl and the TLS floor are static parameters in some engine versions, and RDS refuses an
    // immediate apply of a static one: every parameter waits for the next reboot (a new instance starts with them).
    assert.deepStrictEqual(
      DATABASE_PARAMETERS.map((p) => p.applyMethod),
      DATABASE_PARAMETERS.map(() => "pending-reboot"),
    );
  });

  it("keeps backups 7 to 35 days", () => {
    assert.doesNotThrow(() => checkBackupRetention(7));
    assert.doesNotThrow(() => checkBackupRetention(35));
    assert.throws(() => checkBackupRetention(6), /7 to 35/);
    assert.throws(() => checkBackupRetention(36), /7 to 35/);
    assert.throws(() => checkBackupRetention(7.5), /7 to 35/);
  });

  it("names the final snapshot within RDS's identifier rules", () => {
    assert.strictEqual(finalSnapshotIdentifier("coder-db"), "coder-db-final");
    assert.strictEqual(finalSnapshotIdentifier("Coder_DB--prod"), "coder-db-prod-final");
    assert.throws(() => finalSnapshotIdentifier("1db"), /no valid final snapshot/);
  });

  it("takes a final snapshot identifier of up to 255 characters, as RDS does", () => {
    // "-final" adds 6 characters: 249 + 6 = 255.
    assert.strictEqual(finalSnapshotIdentifier("a".repeat(249)), `${"a".repeat(249)}-final`);
    const long = "a".repeat(250);
    assert.throws(() => finalSnapshotIdentifier(long), {
      message: `"${long}" gives no valid final snapshot identifier`,
    });
  });

  it("writes a URL without a password that verifies the server's certificate and name", () => {
    assert.strictEqual(
      connectionUrl({ user: "coder", host: "db.abc.eu-west-1.rds.amazonaws.com", port: 5432, database: "coder" }),
      "postgres://coder@db.abc.eu-west-1.rds.amazonaws.com:5432/coder?sslmode=verify-full",
    );
    assert.throws(
      () => connectionUrl({ user: "coder:secret", host: "h", port: 5432, database: "coder" }),
      /lowercase SQL name/,
    );
  });

  it("names the user or the database whose name the URL cannot carry", () => {
    assert.throws(() => connectionUrl({ user: "coder:secret", host: "h", port: 5432, database: "coder" }), {
      message: 'database user "coder:secret" must be a lowercase SQL name (a-z, 0-9, _)',
    });
    assert.throws(() => connectionUrl({ user: "coder", host: "h", port: 5432, database: "coder/x" }), {
      message: 'database name "coder/x" must be a lowercase SQL name (a-z, 0-9, _)',
    });
  });

  it("names one database user of one instance by its resource ID in the rds-db ARN", () => {
    assert.strictEqual(
      rdsDbUserArn({ region: "us-east-2", accountId: "210987654321", resourceId: "db-XYZ789", user: "coderd" }),
      "arn:aws:rds-db:us-east-2:210987654321:dbuser:db-XYZ789/coderd",
    );
    assert.throws(
      () => rdsDbUserArn({ region: REGION, accountId: ACCOUNT, resourceId: "coder-db-postgres", user: "coder" }),
      /not an RDS resource ID/,
    );
    assert.throws(
      () => rdsDbUserArn({ region: REGION, accountId: ACCOUNT, resourceId: "db-ABC123", user: "Coder" }),
      /lowercase SQL name/,
    );
  });

  it("takes a whole resource ID (db-, then upper-case letters and digits), and names the user it refuses", () => {
    for (const resourceId of ["cluster-db-ABC123", "db-ABC123/other", "db-ABC123x"]) {
      assert.throws(
        () => rdsDbUserArn({ region: REGION, accountId: ACCOUNT, resourceId, user: "coder" }),
        { message: `"${resourceId}" is not an RDS resource ID (db-…)` },
        resourceId,
      );
    }
    assert.throws(() => rdsDbUserArn({ region: REGION, accountId: ACCOUNT, resourceId: "db-ABC123", user: "Coder" }), {
      message: 'database user "Coder" must be a lowercase SQL name (a-z, 0-9, _)',
    });
  });

  it("grants rds-db:connect as exactly one user of exactly one instance", () => {
    const doc = JSON.parse(
      rdsConnectPolicy({ region: REGION, accountId: ACCOUNT, resourceId: "db-ABC123", user: "coder" }),
    );
    assert.strictEqual(doc.Version, "2012-10-17");
    assert.deepStrictEqual(doc.Statement, [
      {
        Sid: "ConnectAsCoderd",
        Effect: "Allow",
        Action: ["rds-db:connect"],
        Resource: "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABC123/coder",
      },
    ]);
    assert.throws(
      () => rdsConnectPolicy({ region: REGION, accountId: ACCOUNT, resourceId: "*", user: "coder" }),
      /not an RDS resource ID/,
    );
    assert.throws(
      () => rdsConnectPolicy({ region: REGION, accountId: ACCOUNT, resourceId: "db-ABC123", user: "*" }),
      /lowercase SQL name/,
    );
  });

  it("reads the master secret's ARN from what RDS reports, and nothing when it reports none", () => {
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0a1b2c-AbCdEf`;
    assert.strictEqual(masterUserSecretArn([{ secretArn: arn }]), arn);
    assert.strictEqual(masterUserSecretArn([]), undefined);
    assert.strictEqual(masterUserSecretArn(undefined), undefined);
  });

  it("bootstraps coderd's login for IAM tokens", () => {
    assert.strictEqual(
      iamUserBootstrapSql("coder", "coder"),
      "CREATE ROLE coder WITH LOGIN;\nGRANT rds_iam TO coder;\n" +
        "GRANT ALL PRIVILEGES ON DATABASE coder TO coder;\nALTER DATABASE coder OWNER TO coder;",
    );
  });

  it("writes no bootstrap SQL for a user or database name it would have to quote, and names which is wrong", () => {
    assert.throws(() => iamUserBootstrapSql("coder; drop role x", "coder"), {
      message: 'database user "coder; drop role x" must be a lowercase SQL name (a-z, 0-9, _)',
    });
    assert.throws(() => iamUserBootstrapSql("coder", "Coder"), {
      message: 'database name "Coder" must be a lowercase SQL name (a-z, 0-9, _)',
    });
  });
});

interface Previewed {
  resources: RecordedResource[];
  options: ReturnType<typeof optionsRecorder>;
  db: Database;
}

/** A resource that takes the database's outputs, as coderd's release would. */
class Consumer extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs) {
    super("test:index:Consumer", name, props);
  }
}

/** Previews the component next to a Consumer: its inputs are what coderd sees before the database exists. */
async function preview(args: DatabaseArgs): Promise<Previewed> {
  const options = optionsRecorder();
  let db: Database | undefined;
  const resources = await capturePreview(() => {
    db = new Database("coder-db", args, { transformations: options.transformations });
    new Consumer("coderd", {
      address: db.address,
      port: db.port,
      url: db.connectionUrl,
      pem: db.caBundlePem,
      secret: db.masterUserSecretArn,
      connectPolicyArn: db.connectPolicyArn,
      addressRanges: db.addressRanges,
    });
  });
  return { resources, options, db: db! };
}

const INSTANCE = "aws:rds/instance:Instance";
const instanceOf = (p: Previewed) => single(ofType(p.resources, INSTANCE), "RDS instance");
const consumerOf = (p: Previewed) => single(ofType(p.resources, "test:index:Consumer"), "consumer").inputs;

describe("aws database: component", () => {
  let deployed: Previewed;
  before(async () => {
    deployed = await preview(databaseArgs());
  });

  it("describes its subnet group and security group for whoever reads the console", () => {
    const described = (type: string) => single(ofType(deployed.resources, type), type).inputs.description;
    assert.strictEqual(described("aws:rds/subnetGroup:SubnetGroup"), "Private subnets for Coder's database");
    assert.strictEqual(
      described("aws:rds/parameterGroup:ParameterGroup"),
      "Coder's database: TLS only, connections logged",
    );
    assert.strictEqual(
      described("aws:ec2/securityGroup:SecurityGroup"),
      "Coder's database: Postgres from the named security groups only",
    );
  });

  it("encrypts storage, Performance Insights and the master secret with the CMK", () => {
    const db = instanceOf(deployed).inputs;
    assert.strictEqual(db.storageEncrypted, true);
    assert.strictEqual(db.kmsKeyId, KEY);
    assert.strictEqual(db.performanceInsightsEnabled, true);
    assert.strictEqual(db.performanceInsightsKmsKeyId, KEY);
    assert.strictEqual(db.manageMasterUserPassword, true);
    assert.strictEqual(db.masterUserSecretKmsKeyId, KEY);
    assert.strictEqual(db.password, undefined);
    assert.strictEqual(db.storageType, "gp3");
  });

  it("is private, IAM-authenticated and TLS-verified against the named CA", () => {
    const db = instanceOf(deployed).inputs;
    assert.strictEqual(db.publiclyAccessible, false);
    assert.strictEqual(db.iamDatabaseAuthenticationEnabled, true);
    assert.strictEqual(db.caCertIdentifier, "rds-ca-rsa2048-g1");
    assert.strictEqual(db.engine, "postgres");
    assert.strictEqual(db.engineVersion, "16");
    assert.strictEqual(db.autoMinorVersionUpgrade, true);
    // A major upgrade changes the parameter group family: it goes through the stack, never by itself.
    assert.strictEqual(db.allowMajorVersionUpgrade, false);
    assert.strictEqual(db.multiAz, true);
    const params = single(ofType(deployed.resources, "aws:rds/parameterGroup:ParameterGroup"), "parameter group");
    assert.strictEqual(params.inputs.family, "postgres16");
    assert.ok(params.inputs.parameters.some((p: any) => p.name === "rds.force_ssl" && p.value === "1"));
  });

  it("keeps its data: deletion protection, a final snapshot, backups, protect and retainOnDelete", () => {
    const db = instanceOf(deployed);
    assert.strictEqual(db.inputs.deletionProtection, true);
    assert.strictEqual(db.inputs.skipFinalSnapshot, false);
    assert.strictEqual(db.inputs.finalSnapshotIdentifier, "coder-db-final");
    assert.strictEqual(db.inputs.backupRetentionPeriod, 14);
    assert.strictEqual(db.inputs.copyTagsToSnapshot, true);
    // The automated backups outlive the instance, for their retention period.
    assert.strictEqual(db.inputs.deleteAutomatedBackups, false);
    assert.strictEqual(deployed.options.of(INSTANCE, db.name)?.protect, true);
    assert.strictEqual(deployed.options.of(INSTANCE, db.name)?.retainOnDelete, true);
  });

  it("takes protect, retainOnDelete, multi-AZ and Performance Insights from its arguments", async () => {
    const dev = await preview({
      ...databaseArgs(),
      protect: false,
      retainOnDelete: false,
      multiAz: false,
      performanceInsights: false,
    });
    const db = instanceOf(dev);
    assert.strictEqual(dev.options.of(INSTANCE, db.name)?.protect, false);
    assert.strictEqual(dev.options.of(INSTANCE, db.name)?.retainOnDelete, false);
    assert.strictEqual(db.inputs.multiAz, false);
    assert.strictEqual(db.inputs.performanceInsightsEnabled, false);
    assert.strictEqual(db.inputs.performanceInsightsKmsKeyId, undefined);
  });

  it("admits 5432 only from the named security groups and opens no egress", () => {
    const sg = single(ofType(deployed.resources, "aws:ec2/securityGroup:SecurityGroup"), "security group");
    assert.deepStrictEqual(sg.inputs.ingress, [
      {
        description: "Postgres from the cluster's named security groups",
        protocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        securityGroups: ["sg-nodes", "sg-coderd"],
      },
    ]);
    assert.deepStrictEqual(sg.inputs.egress, []);
    const subnets = single(ofType(deployed.resources, "aws:rds/subnetGroup:SubnetGroup"), "subnet group");
    assert.deepStrictEqual(subnets.inputs.subnetIds, ["subnet-a", "subnet-b"]);
  });

  it("grants coderd's role rds-db:connect through the instance's resource ID, which only the cloud knows", () => {
    const policy = single(ofType(deployed.resources, "aws:iam/policy:Policy"), "connect policy");
    assert.strictEqual(policy.inputs.description, "rds-db:connect as coder on Coder's database (coderd's role)");
    assert.ok(pulumi.isUnknown(policy.inputs.policy), `policy ${String(policy.inputs.policy)}`);
    assert.ok(pulumi.isUnknown(consumerOf(deployed).connectPolicyArn), "the policy's ARN is the cloud's");
  });

  it("outputs the CA bundle and the address ranges, and leaves the address, URL and master secret unknown", () => {
    const out = consumerOf(deployed);
    assert.ok(pulumi.isUnknown(out.address), `address ${String(out.address)}`);
    assert.ok(pulumi.isUnknown(out.url), `connection URL ${String(out.url)}`);
    assert.ok(pulumi.isUnknown(out.secret), `master secret ${String(out.secret)}`);
    assert.strictEqual(out.port, 5432);
    assert.strictEqual(out.pem, CA_PEM);
    assert.deepStrictEqual(out.addressRanges, ["10.0.32.0/20", "10.0.48.0/20"]);
    assert.deepStrictEqual(deployed.db.addressRanges, ["10.0.32.0/20", "10.0.48.0/20"]);
  });

  it("puts the instance in its own security group and no other", async () => {
    // An update rather than a preview, so that each security group's ID is known and tells them apart.
    const resources = await capture(() => new Database("coder-db", databaseArgs()));
    assert.strictEqual(named(resources, "coder-db-sg").type, "aws:ec2/securityGroup:SecurityGroup");
    assert.deepStrictEqual(named(resources, "coder-db-postgres").inputs.vpcSecurityGroupIds, ["coder-db-sg-id"]);
  });

  it("refuses short backups, one subnet, CIDR-less clients, coderd as master and bad ranges", () => {
    assert.throws(() => new Database("a", { ...databaseArgs(), backupRetentionDays: 3 }), /7 to 35/);
    assert.throws(() => new Database("b", { ...databaseArgs(), privateSubnetIds: ["subnet-a"] }), /two zones/);
    assert.throws(() => new Database("c", { ...databaseArgs(), clientSecurityGroupIds: [] }), /security groups/);
    assert.throws(() => new Database("d", { ...databaseArgs(), coderUsername: "coder_admin" }), /master user/);
    assert.throws(() => new Database("e", { ...databaseArgs(), privateSubnetCidrs: ["10.0.32.0"] }), /not a CIDR/);
  });
});
