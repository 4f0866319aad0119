// coderd's RDS database: its settings builders with hand-written expectations, then the component under the
// engine's mocks, starting from a compliant database and changing one argument at a time.
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
  parameterGroupFamily,
  rdsConnectPolicy,
} from "../components/aws/database/settings";
import { capture, RecordedResource } from "./harness/mocks";
import { ofType, single } from "./harness/resources";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1111-2222`;
const CA_PEM = "-----BEGIN CERTIFICATE-----\nrds-ca\n-----END CERTIFICATE-----\n";

describe("aws database: settings builders", () => {
  it("derives the parameter group family from the major version", () => {
    assert.strictEqual(parameterGroupFamily("16"), "postgres16");
    assert.strictEqual(parameterGroupFamily("17.4"), "postgres17");
    assert.throws(() => parameterGroupFamily("latest"), /not a Postgres version/);
    assert.throws(() => parameterGroupFamily("16.4.1"), /not a Postgres version/);
  });

  it("forces TLS 1.2 or later and logs connections", () => {
    const byName = Object.fromEntries(DATABASE_PARAMETERS.map((p) => [p.name, p.value]));
    assert.deepStrictEqual(byName, {
      "rds.force_ssl": "1",
      ssl_min_protocol_version: "TLSv1.2",
      log_connections: "1",
      log_disconnections: "1",
    });
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

  it("grants rds-db:connect as exactly one user of exactly one instance", () => {
    const doc = JSON.parse(
      rdsConnectPolicy({ region: REGION, accountId: ACCOUNT, resourceId: "db-ABC123", user: "coder" }),
    );
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

  it("bootstraps coderd's login for IAM tokens", () => {
    assert.strictEqual(
      iamUserBootstrapSql("coder", "coder"),
      "CREATE ROLE coder WITH LOGIN;\nGRANT rds_iam TO coder;\n" +
        "GRANT ALL PRIVILEGES ON DATABASE coder TO coder;\nALTER DATABASE coder OWNER TO coder;",
    );
  });
});

const compliant = (): DatabaseArgs => ({
  accountId: ACCOUNT,
  region: REGION,
  vpcId: "vpc-1",
  privateSubnetIds: ["subnet-a", pulumi.output("subnet-b")],
  privateSubnetCidrs: ["10.0.32.0/20", "10.0.48.0/20"],
  clientSecurityGroupIds: ["sg-nodes", "sg-coderd"],
  kmsKeyArn: KEY,
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
  caBundlePem: CA_PEM,
  protect: true,
  retainOnDelete: true,
});

interface Deployed {
  resources: RecordedResource[];
  options: Map<string, pulumi.ResourceOptions>;
  outputs: Record<string, unknown>;
}

async function deploy(args: DatabaseArgs): Promise<Deployed> {
  const options = new Map<string, pulumi.ResourceOptions>();
  const outputs: Record<string, unknown> = {};
  const resources = await capture(() => {
    const db = new Database("coder-db", args, { transformations: [(t) => void options.set(t.name, t.opts)] });
    const out = { url: db.connectionUrl, pem: db.caBundlePem, secret: db.masterUserSecretArn, port: db.port };
    return pulumi.output(out).apply((o) => Object.assign(outputs, o));
  });
  return { resources, options, outputs };
}

const instanceOf = (d: Deployed) => single(ofType(d.resources, "aws:rds/instance:Instance"), "RDS instance");

describe("aws database: component", () => {
  let deployed: Deployed;
  before(async () => {
    deployed = await deploy(compliant());
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
    assert.strictEqual(deployed.options.get(db.name)!.protect, true);
    assert.strictEqual(deployed.options.get(db.name)!.retainOnDelete, true);
  });

  it("takes protect, retainOnDelete, multi-AZ and Performance Insights from its arguments", async () => {
    const dev = await deploy({
      ...compliant(),
      protect: false,
      retainOnDelete: false,
      multiAz: false,
      performanceInsights: false,
    });
    const db = instanceOf(dev);
    assert.strictEqual(dev.options.get(db.name)!.protect, false);
    assert.strictEqual(dev.options.get(db.name)!.retainOnDelete, false);
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

  it("grants coderd's role rds-db:connect on this instance's resource ID only", () => {
    const policy = single(ofType(deployed.resources, "aws:iam/policy:Policy"), "connect policy");
    assert.strictEqual(
      policy.inputs.policy,
      rdsConnectPolicy({ region: REGION, accountId: ACCOUNT, resourceId: "db-MOCKRESOURCEID", user: "coder" }),
    );
  });

  it("outputs a password-free verify-full URL, the CA bundle and the address ranges", () => {
    assert.strictEqual(
      deployed.outputs.url,
      "postgres://coder@coder-db-postgres.mock.eu-west-1.rds.amazonaws.com:5432/coder?sslmode=verify-full",
    );
    assert.strictEqual(deployed.outputs.pem, CA_PEM);
    assert.match(String(deployed.outputs.secret), /^arn:aws:secretsmanager:/);
    const db = new Database("ranges", compliant());
    assert.deepStrictEqual(db.addressRanges, ["10.0.32.0/20", "10.0.48.0/20"]);
  });

  it("refuses short backups, one subnet, CIDR-less clients, coderd as master and bad ranges", () => {
    assert.throws(() => new Database("a", { ...compliant(), backupRetentionDays: 3 }), /7 to 35/);
    assert.throws(() => new Database("b", { ...compliant(), privateSubnetIds: ["subnet-a"] }), /two zones/);
    assert.throws(() => new Database("c", { ...compliant(), clientSecurityGroupIds: [] }), /security groups/);
    assert.throws(() => new Database("d", { ...compliant(), coderUsername: "coder_admin" }), /master user/);
    assert.throws(() => new Database("e", { ...compliant(), privateSubnetCidrs: ["10.0.32.0"] }), /not a CIDR/);
  });
});
