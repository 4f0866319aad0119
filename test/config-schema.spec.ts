// The text formats the schema accepts: for each, the forms real stacks write pass and near misses are
// reported at their key with the format's hint. One table, one row per format.
import * as assert from "assert";
import { ConfigError, parseConfig } from "../config";
import { egressRule } from "../config/schema";
import { rawStackConfig, withTestSecrets } from "./harness/stacks";

/** The problems reported for one key after `set` changed a shipped stack; none when the stack is accepted. */
function problemsAt(stack: string, key: string, set: (raw: any) => void): string[] {
  const { raw, secretKeys } = withTestSecrets(structuredClone(rawStackConfig(stack)));
  set(raw);
  try {
    parseConfig(raw, stack, secretKeys);
    return [];
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems.filter((p) => p.startsWith(`coder-blueprint:${key}:`));
  }
}

interface Format {
  stack: string;
  key: string;
  set: (raw: any, value: string) => void;
  good: string[];
  bad: string[];
  hint: RegExp;
}

const PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIGH k\n-----END PRIVATE KEY-----";
const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

const FORMATS: Format[] = [
  {
    stack: "local",
    key: "workspaces.namespaces[0]",
    set: (raw, v) => (raw.workspaces.namespaces = [v]),
    good: ["a", "0", "a-b", "team-2", "x".repeat(63)],
    bad: ["", "-a", "a-", "A", "a_b", "a.b", "x".repeat(64)],
    hint: /DNS-1123 label/,
  },
  {
    stack: "local",
    key: "workspaces.podSecurity.version",
    set: (raw, v) => (raw.workspaces.podSecurity = { ...raw.workspaces.podSecurity, version: v }),
    good: ["latest", "v1.33", "v10.100"],
    bad: ["1.33", "v1", "latest2", "xlatest", "v1.33.0", "v1.x"],
    hint: /'latest' or a minor version such as v1\.33/,
  },
  {
    stack: "local",
    key: "oidc.issuerUrl",
    set: (raw, v) => (raw.oidc = { issuerUrl: v, clientId: "c", clientSecret: "s" }),
    good: ["https://idp.example.com", "https://idp.example.com/oauth2/default", "https://a/b"],
    bad: [
      "http://idp.example.com",
      "https://",
      "https:///x",
      "https://idp.example.com/a b",
      "see https://idp.example.com",
      "https://idp example.com",
    ],
    hint: /must be an https:\/\/ URL/,
  },
  {
    stack: "local",
    key: "coder.chart.version",
    set: (raw, v) => (raw.coder.chart.version = v),
    good: ["2.36.3", "10.0.12"],
    bad: ["2.36", "v2.36.3", "2.36.3-rc.1", "x2.36.3", "2.36.x"],
    hint: /pin an exact chart version such as 2\.36\.3/,
  },
  {
    stack: "local",
    key: "coder.wildcardAccessUrl",
    set: (raw, v) => (raw.coder.wildcardAccessUrl = v),
    good: ["*.coder.example.com", "*.a-b.c"],
    bad: ["coder.example.com", "*.Coder.com", "x*.a.com", "*.a.com/x", "*.", "*a.com"],
    hint: /must look like \*\.coder\.example\.com/,
  },
  {
    stack: "local",
    key: "registry.approved[0]",
    set: (raw, v) => (raw.registry.approved = [v]),
    good: ["registry.example.com/coder/", "localhost:5000/", "ghcr.io/", "ghcr.io/a/b_c/"],
    bad: ["registry.example.com/coder", "Registry.example.com/", "https://ghcr.io/", "ghcr.io:x/", "ghcr.io/a b/"],
    hint: /must be a registry prefix ending in '\/'/,
  },
  {
    stack: "local",
    key: "database.connectionUrl",
    set: (raw, v) => (raw.database.connectionUrl = `${v}?sslmode=verify-full`),
    good: ["postgres://coder@db:5432/coder", "postgresql://coder@db/coder"],
    bad: ["mysql://coder@db/coder", "xpostgres://coder@db/coder", "postgres:/db", "postgresq://db"],
    hint: /must be a postgres:\/\/ URL/,
  },
  {
    stack: "local",
    key: "tls.provided.certificate",
    set: (raw, v) => (raw.tls = { mode: "provided", provided: { certificate: v, privateKey: PEM_KEY } }),
    good: ["-----BEGIN CERTIFICATE-----\nMIIB x\n-----END CERTIFICATE-----", "x\n" + PEM_KEY + "\ny"],
    bad: [
      "MIIB",
      "-----BEGIN cert-----\nMIIB\n-----END cert-----",
      "-----BEGIN CERTIFICATE----------END CERTIFICATE-----",
    ],
    hint: /must be a PEM-encoded certificate chain/,
  },
  {
    stack: "local",
    key: "admission.allowedCapabilities[0]",
    set: (raw, v) => (raw.admission = { ...raw.admission, allowedCapabilities: [v] }),
    good: ["NET_BIND_SERVICE", "CHOWN"],
    bad: ["net_bind_service", "CAP_NET-RAW", "NET BIND", ""],
    hint: /capability names are upper case/,
  },
  {
    stack: "local",
    key: "admission.allowedSecrets[0]",
    set: (raw, v) => (raw.admission = { ...raw.admission, allowedSecrets: [v] }),
    good: ["a", "git-ssh", "team.tokens"],
    bad: ["-a", "a.", "Git", "a_b", ""],
    hint: /must be a Secret name/,
  },
  {
    stack: "dev",
    key: "aws.accountId",
    set: (raw, v) => (raw.aws.accountId = v),
    good: ["111122223333", "000000000000"],
    bad: ["11112222333", "1111222233334", "x11122223333", "11112222333x"],
    hint: /must be a 12-digit AWS account ID/,
  },
  {
    stack: "dev",
    key: "aws.region",
    set: (raw, v) => (raw.aws.region = v),
    good: ["eu-west-1", "us-gov-west-1"],
    bad: ["eu-west", "EU-west-1", "eu-west-1a", "euwest-1", "x-eu-west-1", "eu-west-12"],
    hint: /must be an AWS region such as eu-west-1/,
  },
  {
    stack: "dev",
    key: "aws.availabilityZones[0]",
    set: (raw, v) => (raw.aws.availabilityZones[0] = v),
    good: ["eu-west-1a", "us-gov-west-1b"],
    bad: ["eu-west-1", "eu-west-1ab", "eu-west-1A", "eu-1a", "xeu-west-1a"],
    hint: /must be a zone name such as eu-west-1a/,
  },
  {
    stack: "dev",
    key: "aws.cluster.version",
    set: (raw, v) => (raw.aws.cluster.version = v),
    good: ["1.35"],
    bad: ["1.35.0", "v1.35", "2.1", "1.", "x1.35"],
    hint: /must be a Kubernetes minor such as "1\.35"/,
  },
  {
    stack: "dev",
    key: "aws.nodePools[0].name",
    set: (raw, v) => (raw.aws.nodePools[0].name = v),
    good: ["a", "sys-2", "x".repeat(32)],
    bad: ["-a", "a-", "A", "a_b", "x".repeat(33)],
    hint: /lower-case letters, digits and dashes, at most 32/,
  },
  {
    stack: "dev",
    key: "aws.registry.repositories[0]",
    set: (raw, v) => (raw.aws.registry.repositories[0] = v),
    good: ["coder", "a.b", "a_b-c"],
    bad: ["Coder", "-a", "a-", "a..b", "a b"],
    hint: /must be an ECR repository name/,
  },
  {
    stack: "dev",
    key: "aws.database.instanceClass",
    set: (raw, v) => (raw.aws.database.instanceClass = v),
    good: ["db.t4g.medium", "db.r7g.2xlarge"],
    bad: ["t4g.medium", "db.t4g", "db.T4g.medium", "db.t4g.medium.x", "xdb.t4g.medium"],
    hint: /e\.g\. db\.t4g\.medium/,
  },
  {
    stack: "dev",
    key: "aws.database.engineVersion",
    set: (raw, v) => (raw.aws.database.engineVersion = v),
    good: ["17", "16"],
    bad: ["17.1", "v17", "", "x17"],
    hint: /a Postgres major such as 17/,
  },
  {
    stack: "dev",
    key: "aws.registry.cacheCreationRoleArn",
    set: (raw, v) => (raw.aws.registry.cacheCreationRoleArn = v),
    good: [role("ecr-cache"), role("path/to/x+y=z,a.b@c-d_e"), "arn:aws-us-gov:iam::111122223333:role/x"],
    bad: [
      "arn:aws:iam::111122223333:user/x",
      "arn:aws:iam::1111:role/x",
      role(""),
      `x${role("x")}`,
      role("a b"),
      "arn:aws:iam::111122223333:role",
    ],
    hint: /must be an IAM role ARN \(arn:aws:iam::<account>:role\/<name>\)/,
  },
];

describe("configuration formats", () => {
  for (const { stack, key, set, good, bad, hint } of FORMATS) {
    it(`${key}: accepts ${good.length} forms and refuses ${bad.length} near misses`, () => {
      for (const value of good) {
        assert.deepStrictEqual(
          problemsAt(stack, key, (raw) => set(raw, value)),
          [],
          value,
        );
      }
      for (const value of bad) {
        const problems = problemsAt(stack, key, (raw) => set(raw, value));
        assert.ok(
          problems.some((p) => hint.test(p)),
          `${JSON.stringify(value)}: ${problems.join("\n") || "accepted"}`,
        );
      }
    });
  }
});

describe("egress rules", () => {
  it("take any number of ports but none, which would open every port", () => {
    const parsed = egressRule.safeParse({ cidr: "10.20.0.0/16", ports: [443, 8443, 9090] });
    assert.deepStrictEqual(parsed.data?.ports, [443, 8443, 9090]);
    const empty = egressRule.safeParse({ cidr: "10.20.0.0/16", ports: [] });
    assert.deepStrictEqual(
      empty.error?.issues.map((i) => i.message),
      ["list at least one port; an egress rule without ports opens every port"],
    );
  });
});
