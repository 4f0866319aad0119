// coderd's PostgreSQL on RDS. Serves docs/responsibility.md rows `storage-encryption` (storage, Performance
// Insights, the master secret and snapshots under the CMK), `storage-cloud-access` (private subnets, no
// public address, deletion protection and a final snapshot, no password anywhere in Pulumi),
// `network-boundaries` (5432 only from the named security groups, no CIDR ingress, no egress) and
// `tls-applications` (TLS forced server-side; coderd connects with sslmode=verify-full and IAM auth).
//
// coderd authenticates with IAM (CODER_PG_AUTH=awsiamrds), so the URL this component outputs carries no
// password; its role needs the rds-db:connect policy created here. The master user's password is generated
// and kept by RDS in Secrets Manager (encrypted with the CMK), so it never passes through config or state.
// coderd's login itself is a one-time SQL step (`bootstrapSql`) run as the master user, since Pulumi
// reaches the database only through the AWS API.
//
// The RDS CA bundle (the PEM for `caCertIdentifier`) cannot be fetched by a program that must preview
// offline; the stack supplies it (`caBundlePem`, from https://truststore.pki.rds.amazonaws.com) and this
// component passes it on for coderd's trust bundle.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isCidr } from "../../../policy-pack/contract";
import {
  assertSqlName,
  checkBackupRetention,
  connectionUrl,
  DATABASE_PARAMETERS,
  finalSnapshotIdentifier,
  iamUserBootstrapSql,
  masterUserSecretArn,
  parameterGroupFamily,
  rdsConnectPolicy,
} from "./settings";

const POSTGRES_PORT = 5432;

export interface DatabaseArgs {
  /** The AWS account of the database (part of the rds-db:connect ARN). */
  readonly accountId: pulumi.Input<string>;
  /** The database's region. */
  readonly region: pulumi.Input<string>;
  /** The VPC the database lives in. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (two or more zones) for the DB subnet group. */
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** The same subnets' CIDRs: where the database's address can be, for coderd's egress rule. */
  readonly privateSubnetCidrs: string[];
  /** Security groups allowed to reach 5432: the node group's and/or coderd's pod security group. */
  readonly clientSecurityGroupIds: pulumi.Input<string>[];
  /** The customer-managed KMS key for storage, Performance Insights and the master secret. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Postgres version: a major ("16") lets automatic minor upgrades proceed without drift. */
  readonly engineVersion: string;
  /** The instance class, e.g. "db.t4g.medium". */
  readonly instanceClass: string;
  /** Initial gp3 storage in GiB. */
  readonly allocatedStorageGb: number;
  /** Storage autoscaling ceiling in GiB; unset means no autoscaling. */
  readonly maxAllocatedStorageGb?: number;
  /** A standby in a second zone. */
  readonly multiAz: boolean;
  /** Days of automated backups (7 to 35). */
  readonly backupRetentionDays: number;
  /** Performance Insights (encrypted with the CMK when on). */
  readonly performanceInsights: boolean;
  /** The database coderd uses. */
  readonly databaseName: string;
  /** The master user (its password lives only in Secrets Manager). */
  readonly masterUsername: string;
  /** coderd's IAM-authenticated database user. */
  readonly coderUsername: string;
  /** The server certificate's CA, e.g. "rds-ca-rsa2048-g1". */
  readonly caCertIdentifier: string;
  /** That CA's PEM bundle, supplied by the stack, passed on to coderd's trust bundle. */
  readonly caBundlePem: pulumi.Input<string>;
  /** Refuse to delete the database through Pulumi (true in prod). */
  readonly protect: boolean;
  /** Leave the database in AWS when it leaves the program. */
  readonly retainOnDelete: boolean;
  /** Tags for every resource (copied to snapshots). */
  readonly tags?: Record<string, string>;
}

export class Database extends pulumi.ComponentResource {
  /** The endpoint's host name. */
  readonly address: pulumi.Output<string>;
  /** The endpoint's port. */
  readonly port: pulumi.Output<number>;
  /** The database coderd uses. */
  readonly databaseName: string;
  /** coderd's CODER_PG_CONNECTION_URL with CODER_PG_AUTH=awsiamrds: no password, sslmode=verify-full. */
  readonly connectionUrl: pulumi.Output<string>;
  /** The CA the server certificate chains to. */
  readonly caCertIdentifier: string;
  /** That CA's PEM bundle, for coderd's trust bundle. */
  readonly caBundlePem: pulumi.Output<string>;
  /** Where the database's address can be: the private subnets' CIDRs, for coderd's egress rule. */
  readonly addressRanges: string[];
  /** The IAM policy granting rds-db:connect as coderd's user, to attach to coderd's role. */
  readonly connectPolicyArn: pulumi.Output<string>;
  /** The Secrets Manager secret RDS keeps the master password in. */
  readonly masterUserSecretArn: pulumi.Output<string | undefined>;
  /** The SQL that creates coderd's IAM login, run once as the master user. */
  readonly bootstrapSql: string;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:aws:Database", name, {}, opts);
    checkBackupRetention(args.backupRetentionDays);
    assertSqlName("database name", args.databaseName);
    assertSqlName("master user", args.masterUsername);
    assertSqlName("database user", args.coderUsername);
    if (args.coderUsername === args.masterUsername) {
      throw new Error("coderd must not connect as the master user; give it its own IAM-authenticated user");
    }
    if (args.privateSubnetIds.length < 2) throw new Error("RDS needs private subnets in at least two zones");
    if (args.privateSubnetCidrs.length === 0) throw new Error("the private subnets' CIDRs are needed for egress");
    const notCidr = args.privateSubnetCidrs.find((c) => !isCidr(c));
    if (notCidr !== undefined) throw new Error(`private subnet range "${notCidr}" is not a CIDR`);
    if (args.clientSecurityGroupIds.length === 0) {
      throw new Error("name the security groups that may reach the database; it admits no address range");
    }
    const child = { parent: this };
    const stateful = { parent: this, protect: args.protect, retainOnDelete: args.retainOnDelete };

    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { description: "Private subnets for Coder's database", subnetIds: args.privateSubnetIds, tags: args.tags },
      child,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        description: "Coder's database: Postgres from the named security groups only",
        vpcId: args.vpcId,
        ingress: [
          {
            description: "Postgres from the cluster's named security groups",
            protocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            securityGroups: args.clientSecurityGroupIds,
          },
        ],
        // A database answers connections; it opens none.
        egress: [],
        tags: args.tags,
      },
      child,
    );
    const parameters = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        description: "Coder's database: TLS only, connections logged",
        family: parameterGroupFamily(args.engineVersion),
        parameters: DATABASE_PARAMETERS.map((p) => ({ ...p })),
        tags: args.tags,
      },
      child,
    );

    const instance = new aws.rds.Instance(
      `${name}-postgres`,
      {
        engine: "postgres",
        engineVersion: args.engineVersion,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        instanceClass: args.instanceClass,
        storageType: "gp3",
        allocatedStorage: args.allocatedStorageGb,
        maxAllocatedStorage: args.maxAllocatedStorageGb,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        dbName: args.databaseName,
        username: args.masterUsername,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        port: POSTGRES_PORT,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        multiAz: args.multiAz,
        caCertIdentifier: args.caCertIdentifier,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: finalSnapshotIdentifier(name),
        performanceInsightsEnabled: args.performanceInsights,
        performanceInsightsKmsKeyId: args.performanceInsights ? args.kmsKeyArn : undefined,
        tags: args.tags,
      },
      stateful,
    );

    const connectPolicy = new aws.iam.Policy(
      `${name}-connect`,
      {
        description: `rds-db:connect as ${args.coderUsername} on Coder's database (coderd's role)`,
        policy: pulumi
          .all([args.region, args.accountId, instance.resourceId])
          .apply(([region, accountId, resourceId]) =>
            rdsConnectPolicy({ region, accountId, resourceId, user: args.coderUsername }),
          ),
        tags: args.tags,
      },
      child,
    );

    this.address = instance.address;
    this.port = instance.port;
    this.databaseName = args.databaseName;
    this.connectionUrl = pulumi
      .all([instance.address, instance.port])
      .apply(([host, port]) => connectionUrl({ user: args.coderUsername, host, port, database: args.databaseName }));
    this.caCertIdentifier = args.caCertIdentifier;
    this.caBundlePem = pulumi.output(args.caBundlePem);
    this.addressRanges = [...args.privateSubnetCidrs];
    this.connectPolicyArn = connectPolicy.arn;
    this.masterUserSecretArn = instance.masterUserSecrets.apply(masterUserSecretArn);
    this.bootstrapSql = iamUserBootstrapSql(args.coderUsername, args.databaseName);

    this.registerOutputs({
      address: this.address,
      port: this.port,
      databaseName: this.databaseName,
      connectionUrl: this.connectionUrl,
      caCertIdentifier: this.caCertIdentifier,
      caBundlePem: this.caBundlePem,
      addressRanges: this.addressRanges,
      connectPolicyArn: this.connectPolicyArn,
      masterUserSecretArn: this.masterUserSecretArn,
      bootstrapSql: this.bootstrapSql,
    });
  }
}
