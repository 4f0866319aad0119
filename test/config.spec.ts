// Bad configuration must fail before any resource is registered, naming the key and the fix.
import * as assert from "assert";
import { ConfigError, decodePulumiConfig, parseConfig } from "../config";
import { rawStackConfig, withTestSecrets } from "./harness/stacks";

const CA = {
  certificate: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----",
  privateKey: "-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----",
};

function problemsFor(mutate: (raw: any) => void): string[] {
  const { raw, secretKeys } = withTestSecrets(rawStackConfig("local"));
  mutate(raw);
  try {
    parseConfig(raw, "local", secretKeys);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail("configuration was accepted");
}

function assertRejected(mutate: (raw: any) => void, key: string, hint: RegExp) {
  const problems = problemsFor(mutate);
  const match = problems.find((p) => p.startsWith(`coder-blueprint:${key}:`));
  assert.ok(match, `no problem reported for ${key}; got:\n${problems.join("\n")}`);
  assert.match(match, hint);
}

describe("configuration validation", () => {
  it("accepts every shipped stack", () => {
    for (const stack of ["local", "dev", "prod"]) {
      const { raw, secretKeys } = withTestSecrets(rawStackConfig(stack));
      assert.doesNotThrow(() => parseConfig(raw, stack, secretKeys));
    }
  });

  it("rejects an unknown key, at the top level and nested", () => {
    assertRejected((raw) => (raw.workspace = {}), "workspace", /unknown setting/);
    assertRejected((raw) => (raw.workspaces.maxWorkspace = 3), "workspaces.maxWorkspace", /unknown setting.*spelling/);
  });

  it("rejects a value of the wrong type", () => {
    assertRejected((raw) => (raw.workspaces.maxWorkspaces = "lots"), "workspaces.maxWorkspaces", /expected number/);
    assertRejected(
      (raw) => (raw.workspaces.allowDeployments = "yes"),
      "workspaces.allowDeployments",
      /expected boolean/,
    );
  });

  it("rejects a missing required key", () => {
    assertRejected((raw) => delete raw.storage, "storage", /required/);
    assertRejected((raw) => delete raw.workspaces.maxWorkspaces, "workspaces.maxWorkspaces", /required/);
  });

  it("rejects a CIDR that does not parse", () => {
    assertRejected(
      (raw) => (raw.network.podCidrs = ["10.244.0.0"]),
      "network.podCidrs[0]",
      /CIDR such as 10\.0\.0\.0\/16/,
    );
    assertRejected((raw) => (raw.network.serviceCidrs = ["10.300.0.0/16"]), "network.serviceCidrs[0]", /CIDR/);
    assertRejected(
      (raw) => (raw.network.workspaceEgress.allow[0].cidr = "anywhere"),
      "network.workspaceEgress.allow[0].cidr",
      /CIDR/,
    );
  });

  it("rejects overlapping pod and service ranges", () => {
    assertRejected(
      (raw) => (raw.network.serviceCidrs = ["10.244.128.0/20"]),
      "network.serviceCidrs[0]",
      /overlaps coder-blueprint:network\.podCidrs\[0\]/,
    );
  });

  it("rejects egress allowlist entries inside the metadata endpoint or the cluster ranges", () => {
    assertRejected(
      (raw) => raw.network.workspaceEgress.allow.push({ cidr: "169.254.169.254/32", ports: [80] }),
      "network.workspaceEgress.allow[1].cidr",
      /metadata/,
    );
    assertRejected(
      (raw) => raw.network.workspaceEgress.allow.push({ cidr: "10.244.3.0/24", ports: [80] }),
      "network.workspaceEgress.allow[1].cidr",
      /10\.244\.0\.0\/16/,
    );
  });

  it("rejects Git host and access URL ranges that would open the pod range, the API server or the database", () => {
    assertRejected(
      (raw) =>
        (raw.gitProviders = [
          { id: "gh", type: "github", clientId: "a", clientSecret: "b", egressCidrs: ["10.244.1.0/24"] },
        ]),
      "gitProviders[0].egressCidrs[0]",
      /10\.244\.0\.0\/16/,
    );
    assertRejected(
      (raw) => (raw.network.accessUrlCidrs = ["172.18.0.5/32"]),
      "network.accessUrlCidrs[0]",
      /only coderd may reach/,
    );
    assertRejected(
      (raw) => raw.network.workspaceEgress.allow.push({ cidr: "172.18.0.0/24", ports: [5432] }),
      "network.workspaceEgress.allow[1].cidr",
      /172\.18\.0\.0\/16/,
    );
  });

  it("requires the cluster's pod and service ranges", () => {
    assertRejected((raw) => (raw.network.podCidrs = []), "network.podCidrs", /pod address ranges/);
    assertRejected((raw) => delete raw.network.serviceCidrs, "network.serviceCidrs", /required/);
  });

  it("refuses settings that would stop coderd from starting or workspaces from connecting", () => {
    const oidc = { issuerUrl: "https://idp.example.com", clientId: "c", clientSecret: "s" };
    assertRejected(
      (raw) => (raw.oidc = { ...oidc, allowedGroups: ["devs"] }),
      "oidc.groupField",
      /required when oidc\.allowedGroups/,
    );
    assertRejected((raw) => (raw.oidc = oidc), "network.coderdEgress", /OIDC issuer/);
    assertRejected(
      (raw) => (raw.network.kubernetesApi.cidrs = []),
      "network.kubernetesApi.cidrs",
      /API server endpoint/,
    );
    assertRejected((raw) => (raw.network.coderIngress = {}), "network.coderIngress", /nobody outside the cluster/);
    assertRejected(
      (raw) => (raw.coder.service = { type: "InternalLoadBalancer" }),
      "network.accessUrlCidrs",
      /internal load balancer/,
    );
    assertRejected(
      (raw) => (raw.network.monitoringNamespace = "coder-workspaces"),
      "network.monitoringNamespace",
      /manages/,
    );
  });

  it("refuses application certificates that would overwrite the blueprint's own Secrets, and a CA shorter-lived than its certificates", () => {
    assertRejected(
      (raw) =>
        (raw.tls = { applicationCertificates: [{ name: "coder-credentials", namespace: "coder", dnsNames: ["db"] }] }),
      "tls.applicationCertificates[0].name",
      /Secret the blueprint writes/,
    );
    assertRejected(
      (raw) => (raw.tls = { caValidityHours: 1000, validityHours: 2000, earlyRenewalHours: 10 }),
      "tls.caValidityHours",
      /outlive its CA/,
    );
  });

  it("rejects a size that is not a Kubernetes quantity", () => {
    assertRejected(
      (raw) => (raw.workspaces.size.homeDisk = "20 GB"),
      "workspaces.size.homeDisk",
      /Kubernetes quantity/,
    );
    assertRejected((raw) => (raw.workspaces.size.cpu = "two"), "workspaces.size.cpu", /Kubernetes quantity/);
  });

  it("rejects an empty workspace namespace list", () => {
    assertRejected(
      (raw) => (raw.workspaces.namespaces = []),
      "workspaces.namespaces",
      /at least one workspace namespace/,
    );
  });

  it("rejects namespace names that are not DNS-1123 labels, and duplicates", () => {
    assertRejected((raw) => (raw.workspaces.namespaces = ["Team_A"]), "workspaces.namespaces[0]", /DNS-1123 label/);
    assertRejected((raw) => (raw.controlPlane.namespace = "a".repeat(64)), "controlPlane.namespace", /63 characters/);
    assertRejected(
      (raw) => (raw.workspaces.namespaces = ["coder"]),
      "workspaces.namespaces[0]",
      /already used by coder-blueprint:controlPlane\.namespace/,
    );
    assertRejected(
      (raw) => (raw.workspaces.namespaces = ["kube-system"]),
      "workspaces.namespaces[0]",
      /belongs to Kubernetes/,
    );
  });

  it("rejects a cluster target without an explicit kubeconfig context", () => {
    assertRejected((raw) => delete raw.cluster.context, "cluster.context", /required/);
    assertRejected((raw) => (raw.cluster.target = "ambient"), "cluster.target", /./);
  });

  it("refuses to enforce the privileged Pod Security level on workspaces", () => {
    assertRejected(
      (raw) => (raw.workspaces.podSecurity = { enforce: "privileged" }),
      "workspaces.podSecurity.enforce",
      /"baseline" or "restricted"/,
    );
  });

  it("refuses coderd destinations that span the pod ranges", () => {
    assertRejected(
      (raw) => (raw.network.kubernetesApi.cidrs = ["10.0.0.0/8"]),
      "network.kubernetesApi.cidrs[0]",
      /contains the pod range 10\.244\.0\.0\/16/,
    );
    assertRejected(
      (raw) => (raw.database.egress[0].cidr = "10.244.0.0/16"),
      "database.egress[0].cidr",
      /every workspace pod/,
    );
  });

  it("refuses an unencrypted default storage class", () => {
    assertRejected(
      (raw) => (raw.storage.workspaceClass.encryptedAtRest = false),
      "storage.workspaceClass.makeDefault",
      /must be encrypted/,
    );
  });

  it("rejects two Git providers of one type unless each has a distinct regex", () => {
    const second = (raw: any, regex?: string) =>
      raw.gitProviders.push({
        id: "github-2",
        type: "github",
        clientId: "x",
        clientSecret: "y",
        ...(regex ? { regex } : {}),
      });
    const withGithub = (raw: any, regex?: string) => {
      raw.gitProviders = [
        { id: "github", type: "github", clientId: "a", clientSecret: "b", ...(regex ? { regex } : {}) },
      ];
    };
    assertRejected(
      (raw) => {
        withGithub(raw);
        second(raw);
      },
      "gitProviders[1].regex",
      /2 providers have type "github".*distinct regex/,
    );
    assertRejected(
      (raw) => {
        withGithub(raw, "^https://github\\.com/.*");
        second(raw, "^https://github\\.com/.*");
      },
      "gitProviders[1].regex",
      /distinct regex/,
    );
    const { raw, secretKeys } = withTestSecrets(rawStackConfig("local"));
    withGithub(raw, "^https://github\\.com/.*");
    second(raw, "^https://github\\.example\\.com/.*");
    secretKeys.add("coder-blueprint:gitProviders");
    assert.doesNotThrow(() => parseConfig(raw, "local", secretKeys));
  });

  it("requires the endpoints of a self-hosted Bitbucket", () => {
    assertRejected(
      (raw) => (raw.gitProviders = [{ id: "bb", type: "bitbucket-server", clientId: "a", clientSecret: "b" }]),
      "gitProviders[0].authUrl",
      /self-hosted; give authUrl and tokenUrl/,
    );
  });

  it("rejects a configuration without approved registries", () => {
    assertRejected(
      (raw) => (raw.registry.approved = []),
      "registry.approved",
      /list the registries workspaces may pull from/,
    );
    assertRejected((raw) => delete raw.registry, "registry", /required/);
    assertRejected(
      (raw) => (raw.registry.approved = ["docker.io"]),
      "registry.approved[0]",
      /registry prefix ending in '\/'/,
    );
  });

  it("rejects credentials kept in plain text in the stack file", () => {
    const raw: any = structuredClone(rawStackConfig("dev"));
    raw.oidc.clientSecret = "plain";
    raw.gitProviders[0].clientSecret = "plain";
    try {
      parseConfig(raw, "dev", new Set(["coder-blueprint:gitProviders"]));
      assert.fail("accepted plain-text secrets");
    } catch (e) {
      const problems = (e as ConfigError).problems;
      assert.ok(
        problems.some((p) => /^coder-blueprint:oidc\.clientSecret: stored in plain text.*--secret/.test(p)),
        problems.join("\n"),
      );
      assert.ok(!problems.some((p) => p.includes("gitProviders")));
    }
    // The database URL is a secret wherever the operator sets it (existing clusters; eks derives it).
    const local: any = structuredClone(rawStackConfig("local"));
    local.database.connectionUrl = "postgres://u:p@db/coder?sslmode=verify-full";
    assert.throws(
      () => parseConfig(local, "local", new Set()),
      (e: ConfigError) =>
        e.problems.some((p) => /^coder-blueprint:database\.connectionUrl: stored in plain text/.test(p)),
    );
  });

  it("finds a credential committed in plain text next to an encrypted one under the same key", () => {
    const { raw, secretKeys } = withTestSecrets(rawStackConfig("prod"));
    const stackFile = {
      name: "stacks/Pulumi.prod.yaml",
      document: {
        config: {
          "coder-blueprint:gitProviders": [
            { id: "github", clientSecret: { secure: "v1:abc" } },
            { id: "gitlab-internal", clientSecret: "committed-in-plain-text" },
            { id: "gitlab-saas", clientSecret: { secure: "v1:def" } },
          ],
          "coder-blueprint:oidc": { clientSecret: { secure: "v1:ghi" } },
        },
      },
    };
    try {
      parseConfig(raw, "prod", secretKeys, stackFile);
      assert.fail("accepted a plain-text client secret");
    } catch (e) {
      const problems = (e as ConfigError).problems;
      assert.deepStrictEqual(problems, [
        "coder-blueprint:gitProviders[1].clientSecret: stored in plain text in stacks/Pulumi.prod.yaml; encrypt it with: pulumi config set --secret --path 'coder-blueprint:gitProviders[1].clientSecret' <value>",
      ]);
    }
    stackFile.document.config["coder-blueprint:gitProviders"][1].clientSecret = { secure: "v1:jkl" };
    assert.doesNotThrow(() => parseConfig(raw, "prod", secretKeys, stackFile));
  });

  it("names the secret command for a missing credential", () => {
    assertRejected(
      (raw) => delete raw.database.connectionUrl,
      "database.connectionUrl",
      /required secret.*pulumi config set --secret --path 'coder-blueprint:database\.connectionUrl'/,
    );
  });

  it("requires the database URL to carry the configured sslmode", () => {
    assertRejected(
      (raw) => (raw.database.connectionUrl = "postgres://coder@db:5432/coder?sslmode=disable"),
      "database.connectionUrl",
      /sslmode is "disable" but database\.sslMode is "verify-full"/,
    );
    assertRejected(
      (raw) => (raw.database.connectionUrl = "postgres://coder@db:5432/coder"),
      "database.connectionUrl",
      /not set.*\?sslmode=verify-full/,
    );
  });

  it("requires the database while Coder is enabled", () => {
    assertRejected((raw) => delete raw.database, "database", /required while coder\.enabled/);
  });

  it("allows TLS off only when the stack says it terminates upstream", () => {
    assertRejected((raw) => (raw.tls = { mode: "none" }), "tls.terminatedUpstream", /unencrypted/);
    assertRejected((raw) => (raw.tls = { mode: "provided" }), "tls.provided", /required when tls\.mode is "provided"/);
    assertRejected(
      (raw) => (raw.tls = { validityHours: 100, earlyRenewalHours: 200 }),
      "tls.earlyRenewalHours",
      /less than/,
    );
    assertRejected(
      (raw) => (raw.tls = { mode: "none", terminatedUpstream: true, ca: CA }),
      "tls.ca",
      /only used when tls\.mode is "private-ca"/,
    );
  });

  it("rejects a setting of another TLS mode with the mode it belongs to", () => {
    assertRejected(
      (raw) => (raw.tls = { mode: "provided", provided: { ...CA }, validityHours: 48 }),
      "tls.validityHours",
      /only used when tls\.mode is "private-ca" \(it is "provided"\)/,
    );
    assertRejected(
      (raw) => (raw.tls = { ca: CA, provided: { ...CA } }),
      "tls.provided",
      /only used when tls\.mode is "provided" \(it is "private-ca"\)/,
    );
    assertRejected(
      (raw) =>
        (raw.tls = {
          mode: "none",
          terminatedUpstream: true,
          applicationCertificates: [{ name: "db", namespace: "data", dnsNames: ["db"] }],
        }),
      "tls.applicationCertificates",
      /only the private CA can issue them/,
    );
  });

  it("rejects a supplied CA key kept in plain text", () => {
    const raw: any = structuredClone(rawStackConfig("local"));
    raw.tls = { mode: "private-ca", ca: CA };
    raw.database.connectionUrl = "postgres://u@db/coder?sslmode=verify-full";
    assert.throws(
      () => parseConfig(raw, "local", new Set(["coder-blueprint:database"])),
      (e: ConfigError) => e.problems.some((p) => /^coder-blueprint:tls\.ca\.privateKey: stored in plain text/.test(p)),
    );
  });

  it("requires an https access URL and a pinned chart version", () => {
    assertRejected((raw) => (raw.coder.accessUrl = "http://coder.example.com"), "coder.accessUrl", /https:\/\//);
    assertRejected((raw) => (raw.coder.chart.version = "latest"), "coder.chart.version", /pin an exact chart version/);
  });

  it("rejects Deny combined with Warn in admission actions", () => {
    assertRejected((raw) => (raw.admission = { actions: ["Deny", "Warn"] }), "admission.actions", /cannot be combined/);
  });

  it("reports every problem at once", () => {
    const problems = problemsFor((raw) => {
      raw.workspaces.namespaces = [];
      raw.workspaces.size.cpu = "two";
      raw.network.podCidrs = ["nope"];
    });
    assert.strictEqual(problems.length, 3);
  });

  it("decodes the engine's flat config map and rejects plain values where a map is expected", () => {
    const decoded = decodePulumiConfig({
      "coder-blueprint:workspaces": '{"maxWorkspaces":3}',
      "aws:region": "eu-west-1",
    });
    assert.deepStrictEqual(decoded, { workspaces: { maxWorkspaces: 3 } });
    assert.throws(
      () => decodePulumiConfig({ "coder-blueprint:workspaces": "team-a" }),
      /coder-blueprint:workspaces: must be a YAML map/,
    );
    // A secret set with the wrong shape must not be echoed into the error (and so into CI logs).
    assert.throws(
      () => decodePulumiConfig({ "coder-blueprint:database": "postgres://coder:hunter2@db/coder" }),
      (e: Error) => /must be a YAML map/.test(e.message) && !e.message.includes("hunter2"),
    );
  });
});

describe("runtime", () => {
  it("runs the tests on the project's pinned Node.js (22 or newer), not the machine's", () => {
    assert.ok(Number(process.versions.node.split(".")[0]) >= 22, `running on Node ${process.version}`);
  });
});
