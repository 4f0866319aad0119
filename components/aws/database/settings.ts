// What coderd's database is configured with and how coderd reaches it, as pure functions: the parameter
// group, the password-free connection URL, the rds-db:connect grant, the master secret's ARN and the final
// snapshot's name. The values RDS computes (address, resource ID, secrets) reach these builders as arguments.

/** Postgres role and database names: lowercase, so they need no quoting in SQL or in the URL. */
const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSqlName(kind: string, name: string): void {
  if (!SQL_NAME.test(name)) throw new Error(`${kind} "${name}" must be a lowercase SQL name (a-z, 0-9, _)`);
}

/** "16" or "16.4" -> "postgres16": parameter groups are per major version. */
export function parameterGroupFamily(engineVersion: string): string {
  const match = /^(\d+)(\.\d+)?$/.exec(engineVersion);
  if (!match) throw new Error(`engine version "${engineVersion}" is not a Postgres version such as "16" or "16.4"`);
  return `postgres${match[1]}`;
}

/**
 * Server-side settings: TLS for every connection (no plaintext fallback, TLS 1.2 at least) and a log line
 * for every connection and disconnection, so that the audit trail shows who reached Coder's data. Applied
 * at the next reboot where Postgres cannot change them live; a new instance starts with them.
 */
export const DATABASE_PARAMETERS: readonly { name: string; value: string; applyMethod: string }[] = [
  { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
  { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "pending-reboot" },
  { name: "log_connections", value: "1", applyMethod: "pending-reboot" },
  { name: "log_disconnections", value: "1", applyMethod: "pending-reboot" },
];

/** Backups RDS keeps: at least a week (the blueprint's floor), at most AWS's 35 days. */
export function checkBackupRetention(days: number): void {
  if (!Number.isInteger(days) || days < 7 || days > 35) {
    throw new Error(`backup retention must be 7 to 35 whole days, not ${days}`);
  }
}

/**
 * The final snapshot RDS takes when the instance is deleted: letters, digits and single hyphens, starting
 * with a letter, at most 255 characters.
 */
export function finalSnapshotIdentifier(name: string): string {
  const id = `${name}-final`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-");
  if (!/^[a-z]/.test(id) || id.length > 255) throw new Error(`"${name}" gives no valid final snapshot identifier`);
  return id;
}

export interface ConnectionTarget {
  readonly user: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

/**
 * coderd's Postgres URL for IAM authentication (CODER_PG_AUTH=awsiamrds): no password, since coderd signs a
 * short-lived token with its role; `verify-full` checks the server's certificate against the trust bundle and
 * its name against the host.
 */
export function connectionUrl(target: ConnectionTarget): string {
  assertSqlName("database user", target.user);
  assertSqlName("database name", target.database);
  return `postgres://${target.user}@${target.host}:${target.port}/${target.database}?sslmode=verify-full`;
}

export interface ConnectTarget {
  readonly region: string;
  readonly accountId: string;
  /** The instance's resource ID ("db-…"), which IAM authentication names rather than the identifier. */
  readonly resourceId: string;
  readonly user: string;
}

/** The IAM resource that rds-db:connect names: one database user of one instance, by its resource ID. */
export function rdsDbUserArn(target: ConnectTarget): string {
  assertSqlName("database user", target.user);
  if (!/^db-[A-Z0-9]+$/.test(target.resourceId)) {
    throw new Error(`"${target.resourceId}" is not an RDS resource ID (db-…)`);
  }
  return `arn:aws:rds-db:${target.region}:${target.accountId}:dbuser:${target.resourceId}/${target.user}`;
}

/** rds-db:connect as exactly one database user of exactly one instance, for coderd's role. */
export function rdsConnectPolicy(target: ConnectTarget): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "ConnectAsCoderd", Effect: "Allow", Action: ["rds-db:connect"], Resource: rdsDbUserArn(target) },
    ],
  });
}

/** What RDS reports for the master password it manages (`masterUserSecrets`); only the ARN is read here. */
export interface MasterUserSecret {
  readonly secretArn: string;
}

/**
 * The Secrets Manager secret holding the master password: RDS manages one per instance and reports it as the
 * list's only entry; an instance without a managed password reports none.
 */
export function masterUserSecretArn(secrets: readonly MasterUserSecret[] | undefined): string | undefined {
  return secrets?.[0]?.secretArn;
}

/**
 * The one-time SQL the operator runs as the master user (whose password is in Secrets Manager, never in
 * Pulumi) to create coderd's IAM-authenticated login: the `rds_iam` role makes RDS accept IAM tokens for it.
 */
export function iamUserBootstrapSql(user: string, database: string): string {
  assertSqlName("database user", user);
  assertSqlName("database name", database);
  return [
    `CREATE ROLE ${user} WITH LOGIN;`,
    `GRANT rds_iam TO ${user};`,
    `GRANT ALL PRIVILEGES ON DATABASE ${database} TO ${user};`,
    `ALTER DATABASE ${database} OWNER TO ${user};`,
  ].join("\n");
}
