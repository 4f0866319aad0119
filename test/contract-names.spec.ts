// The contract's names are written into clusters, stack files, pack settings and users' workspace templates,
// and some are Kubernetes' or Coder's own. Renaming one in code would keep the program and the pack agreeing
// with each other while silently orphaning what is already deployed, so each name is pinned here literally.
import * as assert from "assert";
import * as contract from "../policy-pack/contract";

describe("contract names", () => {
  const pinned: Record<string, unknown> = {
    ROLE_LABEL: "coder-blueprint/role",
    ROLE_CONTROL_PLANE: "control-plane",
    ROLE_WORKSPACES: "workspaces",
    ENCRYPTED_AT_REST_ANNOTATION: "coder-blueprint/encrypted-at-rest",
    DEFAULT_CLASS_ANNOTATION: "storageclass.kubernetes.io/is-default-class",
    PSA_PREFIX: "pod-security.kubernetes.io",
    DEFAULT_DENY_POLICY: "default-deny-all",
    CODERD_POD_LABELS: { "app.kubernetes.io/name": "coder" },
    WORKSPACE_VERBS: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    POSTGRES_SSLMODE_ANNOTATION: "coder-blueprint/postgres-sslmode",
    PATCH_FORCE_ANNOTATION: "pulumi.com/patchForce",
    TLS_CERTIFICATE_DIGEST_ANNOTATION: "coder-blueprint/tls-certificate-sha256",
    PULL_ACCOUNT_ANNOTATION: "coder-blueprint/registry-account",
    SERVING_SECRET: "coder-tls",
    TRUST_BUNDLE_SECRET: "coder-trusted-cas",
    TRUST_BUNDLE_KEY: "ca-bundle.crt",
    CREDENTIALS_SECRET: "coder-credentials",
    PULL_SECRET: "coder-registry-pull",
    CA_CONFIGMAP: "coder-ca",
    RESERVED_SECRETS: ["coder-tls", "coder-trusted-cas", "coder-credentials", "coder-registry-pull"],
    POOL_LABEL: "coder-blueprint/pool",
    POOL_SYSTEM: "system",
    POOL_CODERD: "coderd",
    POOL_WORKSPACES: "workspaces",
    POOL_TAINT_KEY: "coder-blueprint/pool",
    POOL_TAINT_EFFECT: "NoSchedule",
    METADATA_ADDRESSES: ["169.254.169.254", "fd00:ec2::254"],
    CLOUD_METADATA_CIDR: "169.254.169.254/32",
    CLOUD_METADATA_CIDR_V6: "fd00:ec2::254/128",
    EVERYWHERE: ["0.0.0.0/0", "::/0"],
    DOCKER_HUB: "docker.io",
    DOCKER_HUB_HOSTS: ["docker.io", "index.docker.io", "registry-1.docker.io"],
  };

  for (const [name, value] of Object.entries(pinned)) {
    it(`keeps ${name} as deployed`, () => {
      assert.deepStrictEqual((contract as Record<string, unknown>)[name], value);
    });
  }

  it("names the three workspace admission policies the admission component creates", () => {
    assert.deepStrictEqual(Object.keys(contract.WORKSPACE_ADMISSION_POLICIES).sort(), [
      "coder-workspace-ephemeral-storage",
      "coder-workspace-pods",
      "coder-workspace-volume-size",
    ]);
    for (const [name, what] of Object.entries(contract.WORKSPACE_ADMISSION_POLICIES)) {
      assert.ok(what.length > 20, `${name} says what it enforces, for messages`);
    }
  });
});
