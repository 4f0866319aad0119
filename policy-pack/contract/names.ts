// Labels, annotations and object names that the blueprint's components write and the policy pack reads.
// They are a contract: the policies identify managed and workspace namespaces by these labels, not by the
// blueprint's config, so the pack still judges resources that another program deploys into the same stack.

export const ROLE_LABEL = "coder-blueprint/role";
export const ROLE_CONTROL_PLANE = "control-plane";
export const ROLE_WORKSPACES = "workspaces";

/** Marks a StorageClass whose backing disks the operator attests are encrypted outside Kubernetes. */
export const ENCRYPTED_AT_REST_ANNOTATION = "coder-blueprint/encrypted-at-rest";

export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
/** The beta spelling, which the API server's DefaultStorageClass admission still honours. */
export const DEFAULT_CLASS_ANNOTATION_BETA = "storageclass.beta.kubernetes.io/is-default-class";

export const PSA_PREFIX = "pod-security.kubernetes.io";

/** Name of the NetworkPolicy that denies all traffic in a managed namespace. */
export const DEFAULT_DENY_POLICY = "default-deny-all";

/** The ResourceQuota and LimitRange the blueprint writes into every workspace namespace. */
export const WORKSPACE_QUOTA = "workspace-quota";
export const WORKSPACE_LIMITS = "workspace-limits";

/**
 * The ValidatingAdmissionPolicies (and their bindings, named alike) that hold what coderd creates at run time
 * in workspace namespaces to the blueprint's rules; components/admission creates them as
 * `coder-workspace-<part>`. What each one enforces, for messages.
 */
export const WORKSPACE_ADMISSION_POLICIES: Readonly<Record<string, string>> = {
  "coder-workspace-pods":
    "images only from the approved registries; no privileged, host-namespace, hostPath or added-capability pods",
  "coder-workspace-ephemeral-storage": "an ephemeral-storage limit on every container",
  "coder-workspace-volume-size": "a size cap on every workspace volume",
};

/** Selector for coderd's pods as the official chart labels them. */
export const CODERD_POD_LABELS = { "app.kubernetes.io/name": "coder" } as const;

/** The verbs the official Coder chart grants coderd on workspace objects. */
export const WORKSPACE_VERBS = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
] as const;

/**
 * The sslmode of coderd's Postgres URL, written by the blueprint onto the credentials Secret. The URL itself
 * is secret, so policies read this attestation instead of the value.
 */
export const POSTGRES_SSLMODE_ANNOTATION = "coder-blueprint/postgres-sslmode";

/**
 * Makes Pulumi's server-side apply take over fields another manager set (a `kubectl label --overwrite`, the
 * class EKS marked default) instead of stopping at the conflict.
 */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** Rolls coderd's pods when its serving certificate changes: coderd reads the key pair once at start-up. */
export const TLS_CERTIFICATE_DIGEST_ANNOTATION = "coder-blueprint/tls-certificate-sha256";

/** The Coder-only registry account a pull Secret holds credentials for. */
export const PULL_ACCOUNT_ANNOTATION = "coder-blueprint/registry-account";

/** The kubernetes.io/tls Secret coderd serves from. */
export const SERVING_SECRET = "coder-tls";
/** PEM trust anchors coderd mounts (Postgres, the OIDC issuer, Git providers, the private CA). */
export const TRUST_BUNDLE_SECRET = "coder-trusted-cas";
export const TRUST_BUNDLE_KEY = "ca-bundle.crt";
/** coderd's credentials (database URL, OIDC and Git client secrets), read into its environment. */
export const CREDENTIALS_SECRET = "coder-credentials";
/** The pull credentials of the Coder-only registry account, in every managed namespace. */
export const PULL_SECRET = "coder-registry-pull";
/** The private CA's certificate, published in workspace namespaces for templates to mount. */
export const CA_CONFIGMAP = "coder-ca";

/** Secret names the blueprint writes itself; nothing else configured may take them. */
export const RESERVED_SECRETS = [SERVING_SECRET, TRUST_BUNDLE_SECRET, CREDENTIALS_SECRET, PULL_SECRET] as const;

/**
 * Node label naming the pool a node belongs to. The AWS layer's node groups set it; the Kubernetes layer
 * places coderd and workspace pods with a matching nodeSelector.
 */
export const POOL_LABEL = "coder-blueprint/pool";
/** Pool for cluster add-ons (CoreDNS, CSI controllers): labelled, never tainted, so anything may land there. */
export const POOL_SYSTEM = "system";
export const POOL_CODERD = "coderd";
export const POOL_WORKSPACES = "workspaces";
/** Dedicated pools carry `POOL_LABEL=<pool>:NoSchedule`, so only pods tolerating that pool land there. */
export const POOL_TAINT_KEY = POOL_LABEL;
export const POOL_TAINT_EFFECT = "NoSchedule";
