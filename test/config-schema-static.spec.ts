// What the schema itself decides, before any rule runs: the bounds a value must sit within, which tls.mode
// a setting belongs to, and the words of each refusal. They are fixed when config/schema.ts loads (Stryker's
// static mutants), so each is checked through a shipped stack an operator could have written: realistic
// values past a bound's edge are taken, values outside it are refused at their key with the message in full.
import * as assert from "assert";
import { BlueprintConfig } from "../config";
import { accepted, assertRefused } from "./harness/stacks";

type Stack = "local" | "dev";

interface Refusal {
  what: string;
  stack: Stack;
  set: (raw: any) => void;
  key: string;
  message: RegExp;
}

interface Acceptance {
  what: string;
  stack: Stack;
  set: (raw: any) => void;
  read: (cfg: BlueprintConfig) => unknown;
  expected: unknown;
}

function cases(refusals: Refusal[], acceptances: Acceptance[]) {
  for (const { what, stack, set, key, message } of refusals) {
    it(`refuses ${what}`, () => assertRefused(stack, set, key, message));
  }
  for (const { what, stack, set, read, expected } of acceptances) {
    it(`accepts ${what}`, () => assert.deepStrictEqual(read(accepted(stack, set)), expected));
  }
}

// Operators paste a file's path where its contents belong; every PEM field says what it expected.
const PATH_NOT_PEM = "/etc/ssl/certs/corp-root.pem";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----";
const PROVIDED = { certificate: CERT, privateKey: KEY };
const POSTGRES_CERT = { name: "postgres-tls", namespace: "data", dnsNames: ["postgres.data.svc"] };

describe("config schema: TLS modes", () => {
  cases(
    [
      {
        what: "a trust anchor that is not PEM",
        stack: "local",
        set: (raw) => (raw.tls.trustedCaCertificates = [PATH_NOT_PEM]),
        key: "tls.trustedCaCertificates[0]",
        message: /: must be a PEM-encoded CA certificate$/,
      },
      {
        what: "an own CA whose certificate is not PEM",
        stack: "local",
        set: (raw) => (raw.tls.ca = { certificate: PATH_NOT_PEM, privateKey: KEY }),
        key: "tls.ca.certificate",
        message: /: must be a PEM-encoded CA certificate$/,
      },
      {
        what: "an own CA whose private key is not PEM",
        stack: "local",
        set: (raw) => (raw.tls.ca = { certificate: CERT, privateKey: "/etc/ssl/private/corp-ca.key" }),
        key: "tls.ca.privateKey",
        message: /: must be a PEM-encoded CA private key$/,
      },
      {
        what: "a generated CA that lives less than 30 days (720 hours)",
        stack: "local",
        set: (raw) =>
          (raw.tls = { mode: "private-ca", validityHours: 168, earlyRenewalHours: 48, caValidityHours: 719 }),
        key: "tls.caValidityHours",
        message: /: Too small: expected number to be >=720$/,
      },
      {
        what: "an application certificate without a host name",
        stack: "local",
        set: (raw) => (raw.tls.applicationCertificates = [{ ...POSTGRES_CERT, dnsNames: [] }]),
        key: "tls.applicationCertificates[0].dnsNames",
        message: /: Too small: expected array to have >=1 items$/,
      },
      {
        what: "terminatedUpstream under private-ca, naming mode none",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "private-ca", terminatedUpstream: true }),
        key: "tls.terminatedUpstream",
        message: /: only used when tls\.mode is "none" \(it is "private-ca"\); remove it or change the mode$/,
      },
      {
        what: "a provided private key that is not PEM",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "provided", provided: { certificate: CERT, privateKey: "tls.key" } }),
        key: "tls.provided.privateKey",
        message: /: must be a PEM-encoded private key$/,
      },
      {
        what: "application certificates under provided, which only the private CA issues",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "provided", provided: PROVIDED, applicationCertificates: [POSTGRES_CERT] }),
        key: "tls.applicationCertificates",
        message:
          /: only the private CA can issue them \(tls\.mode is "provided"\); remove the list or use mode private-ca$/,
      },
      {
        what: "terminatedUpstream under provided, naming mode none",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "provided", provided: PROVIDED, terminatedUpstream: true }),
        key: "tls.terminatedUpstream",
        message: /: only used when tls\.mode is "none" \(it is "provided"\); remove it or change the mode$/,
      },
      {
        what: "mode none without the acknowledgement that TLS ends upstream, saying where it must end",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "none", terminatedUpstream: false }),
        key: "tls.terminatedUpstream",
        message: new RegExp(
          ': tls\\.mode "none" sends traffic to coderd unencrypted; set terminatedUpstream: true only if TLS ' +
            "ends at a load balancer or mesh in front of coderd, otherwise use mode private-ca$",
        ),
      },
      {
        what: "a certificate lifetime under mode none, naming mode private-ca",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "none", terminatedUpstream: true, validityHours: 2160 }),
        key: "tls.validityHours",
        message: /: only used when tls\.mode is "private-ca" \(it is "none"\); remove it or change the mode$/,
      },
      {
        what: "application certificates under mode none",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "none", terminatedUpstream: true, applicationCertificates: [POSTGRES_CERT] }),
        key: "tls.applicationCertificates",
        message:
          /: only the private CA can issue them \(tls\.mode is "none"\); remove the list or use mode private-ca$/,
      },
      {
        what: "a provided certificate under mode none, naming mode provided",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "none", terminatedUpstream: true, provided: PROVIDED }),
        key: "tls.provided",
        message: /: only used when tls\.mode is "provided" \(it is "none"\); remove it or change the mode$/,
      },
    ],
    [
      {
        what: "mode none when the stack says TLS ends upstream",
        stack: "local",
        set: (raw) => (raw.tls = { mode: "none", terminatedUpstream: true }),
        read: (cfg) => cfg.tls,
        expected: { mode: "none", terminatedUpstream: true, trustedCaCertificates: [] },
      },
      {
        what: "a generated CA of exactly 30 days",
        stack: "local",
        set: (raw) =>
          (raw.tls = { mode: "private-ca", validityHours: 168, earlyRenewalHours: 48, caValidityHours: 720 }),
        read: (cfg) => cfg.tls.mode === "private-ca" && cfg.tls.caValidityHours,
        expected: 720,
      },
      {
        what: "an application certificate for a service's short and full names",
        stack: "local",
        set: (raw) =>
          (raw.tls.applicationCertificates = [
            { ...POSTGRES_CERT, dnsNames: ["postgres.data.svc", "postgres.data.svc.cluster.local"] },
          ]),
        read: (cfg) => cfg.tls.mode === "private-ca" && cfg.tls.applicationCertificates[0].dnsNames,
        expected: ["postgres.data.svc", "postgres.data.svc.cluster.local"],
      },
    ],
  );
});

describe("config schema: storage, Coder, Git and registry", () => {
  cases(
    [
      {
        what: "a custom storage class without its provisioner",
        stack: "local",
        set: (raw) => (raw.storage.workspaceClass.provisioner = ""),
        key: "storage.workspaceClass.provisioner",
        message: /: name the CSI driver or provisioner, e.g\. rancher\.io\/local-path$/,
      },
      {
        what: "a negative HSTS max-age",
        stack: "local",
        set: (raw) => (raw.coder.strictTransportSecuritySeconds = -1),
        key: "coder.strictTransportSecuritySeconds",
        message: /: Too small: expected number to be >=0$/,
      },
      {
        what: "an empty list of approved registries, saying what it would allow",
        stack: "local",
        set: (raw) => (raw.registry.approved = []),
        key: "registry.approved",
        message:
          /: list the registries workspaces may pull from, e\.g\. \[registry\.example\.com\/coder\/\]; without it any user can run any image$/,
      },
      {
        what: "docker-config pulls without the registry account",
        stack: "local",
        set: (raw) => (raw.registry.pull = { mode: "docker-config", account: "" }),
        key: "registry.pull.account",
        message: /: Too small: expected string to have >=1 characters$/,
      },
    ],
    [
      {
        what: "a chart from disk, for air-gapped clusters",
        stack: "local",
        set: (raw) => (raw.coder.chart = { path: "./charts/coder-2.36.3.tgz" }),
        read: (cfg) => cfg.coder.chart,
        expected: { path: "./charts/coder-2.36.3.tgz" },
      },
      {
        what: "an HSTS max-age of two years",
        stack: "local",
        set: (raw) => (raw.coder.strictTransportSecuritySeconds = 63072000),
        read: (cfg) => cfg.coder.strictTransportSecuritySeconds,
        expected: 63072000,
      },
      {
        what: "a Git provider that asks for its own OAuth scopes",
        stack: "local",
        set: (raw) =>
          (raw.gitProviders = [{ id: "github", type: "github", clientId: "Iv1.coder", scopes: ["repo", "workflow"] }]),
        read: (cfg) => cfg.gitProviders[0].scopes,
        expected: ["repo", "workflow"],
      },
      {
        what: "docker-config pulls with a named account and its .dockerconfigjson",
        stack: "local",
        set: (raw) => (raw.registry.pull = { mode: "docker-config", account: "coder-pull" }),
        read: (cfg) => cfg.registry.pull.mode === "docker-config" && cfg.registry.pull.account,
        expected: "coder-pull",
      },
    ],
  );
});

describe("config schema: database", () => {
  const egress = (...cidrs: string[]) => cidrs.map((cidr) => ({ cidr, ports: [5432] }));
  cases(
    [
      {
        what: "a database without an address range, showing one",
        stack: "local",
        set: (raw) => (raw.database.egress = []),
        key: "database.egress",
        message: /: give the database's address range and port, e\.g\. \[\{cidr: 10\.0\.8\.0\/24, ports: \[5432\]\}\]$/,
      },
      {
        what: 'sslMode "prefer", which falls back to plain text, listing the modes it takes',
        stack: "local",
        set: (raw) => (raw.database.sslMode = "prefer"),
        key: "database.sslMode",
        message: /: Invalid option: expected one of "verify-full"\|"verify-ca"\|"require"\|"disable"$/,
      },
    ],
    [
      // The weaker modes are the policy pack's to refuse (coder-database-tls-unverified, configurable per stack).
      ...["verify-ca", "require", "disable"].map((mode): Acceptance => ({
        what: `sslMode "${mode}" with a URL that says the same`,
        stack: "local",
        set: (raw) => (raw.database.sslMode = mode),
        read: (cfg) => cfg.database?.sslMode,
        expected: mode,
      })),
      {
        what: "a database reached in two address ranges (primary and standby subnets)",
        stack: "local",
        set: (raw) => (raw.database.egress = egress("10.0.8.0/24", "10.0.9.0/24")),
        read: (cfg) => cfg.database?.egress.map((rule) => rule.cidr),
        expected: ["10.0.8.0/24", "10.0.9.0/24"],
      },
    ],
  );
});

describe("config schema: AWS", () => {
  const workspacesPool = (raw: any) => raw.aws.nodePools.find((p: any) => p.role === "workspaces");
  cases(
    [
      {
        what: "a single availability zone, saying why two are needed",
        stack: "dev",
        set: (raw) => (raw.aws.availabilityZones = ["eu-west-1a"]),
        key: "aws.availabilityZones",
        message: /: list at least two availability zones; EKS and RDS need two, and the IP plan loses one$/,
      },
      {
        what: "an RDS CA bundle that is not PEM",
        stack: "dev",
        set: (raw) => (raw.aws.database.caBundlePem = "eu-west-1-bundle.pem"),
        key: "aws.database.caBundlePem",
        message: /: must be a PEM-encoded CA bundle$/,
      },
      {
        what: "a pinned AMI release without its version",
        stack: "dev",
        set: (raw) => (workspacesPool(raw).release = { channel: "pinned", releaseVersion: "" }),
        key: "aws.nodePools[2].release.releaseVersion",
        message: /: Too small: expected string to have >=1 characters$/,
      },
      ...[6, 31].map((days): Refusal => ({
        what: `a key deletion window of ${days} days (KMS takes 7 to 30)`,
        stack: "dev",
        set: (raw) => (raw.aws.keyDeletionWindowDays = days),
        key: "aws.keyDeletionWindowDays",
        message: days < 7 ? /: Too small: expected number to be >=7$/ : /: Too big: expected number to be <=30$/,
      })),
    ],
    [
      {
        what: "a pinned AMI release",
        stack: "dev",
        set: (raw) => (workspacesPool(raw).release = { channel: "pinned", releaseVersion: "1.34.2-20261115" }),
        read: (cfg) => cfg.aws?.nodePools.find((p) => p.role === "workspaces")?.release,
        expected: { channel: "pinned", releaseVersion: "1.34.2-20261115" },
      },
      {
        what: "a rolling update of two nodes at once",
        stack: "dev",
        set: (raw) => (workspacesPool(raw).maxUnavailable = { count: 2 }),
        read: (cfg) => cfg.aws?.nodePools.find((p) => p.role === "workspaces")?.maxUnavailable,
        expected: { count: 2 },
      },
      {
        what: "the CNI's one spare /28 prefix per node, written out",
        stack: "dev",
        set: (raw) => (raw.aws.ipPlan = { warmPrefixTarget: 1 }),
        read: (cfg) => cfg.aws?.ipPlan.warmPrefixTarget,
        expected: 1,
      },
      {
        what: "warm and minimum address targets without prefix delegation",
        stack: "dev",
        set: (raw) =>
          (raw.aws.ipPlan = { prefixDelegation: false, eniAddresses: 30, warmIpTarget: 5, minimumIpTarget: 20 }),
        read: (cfg) => [cfg.aws?.ipPlan.warmIpTarget, cfg.aws?.ipPlan.minimumIpTarget],
        expected: [5, 20],
      },
      {
        what: "the IP plan's pod and service counts above their defaults, in pod subnets sized for them",
        stack: "dev",
        set: (raw) => {
          raw.aws.vpc = { ...raw.aws.vpc, podCidr: "100.64.0.0/20", podSubnetPrefix: 22 };
          raw.aws.ipPlan = { podsPerWorkspace: 2, systemPods: 60, daemonSetPodsPerNode: 8, otherServices: 80 };
        },
        read: (cfg) => {
          const { podsPerWorkspace, systemPods, daemonSetPodsPerNode, otherServices } = cfg.aws!.ipPlan;
          return { podsPerWorkspace, systemPods, daemonSetPodsPerNode, otherServices };
        },
        expected: { podsPerWorkspace: 2, systemPods: 60, daemonSetPodsPerNode: 8, otherServices: 80 },
      },
      {
        what: "untagged images kept for 30 days",
        stack: "dev",
        set: (raw) => (raw.aws.registry.untaggedExpiryDays = 30),
        read: (cfg) => cfg.aws?.registry.untaggedExpiryDays,
        expected: 30,
      },
      ...[7, 30].map((days): Acceptance => ({
        what: `a key deletion window of ${days} days`,
        stack: "dev",
        set: (raw) => (raw.aws.keyDeletionWindowDays = days),
        read: (cfg) => cfg.aws?.keyDeletionWindowDays,
        expected: days,
      })),
    ],
  );
});
