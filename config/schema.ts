// The shape of every stack's configuration. Each top-level key here is one `coder-blueprint:<key>` in
// stacks/Pulumi.<stack>.yaml. Objects are strict: a misspelt key is an error, not a silently ignored
// setting, because a silently ignored security setting is worse than a failed deployment. Settings that
// are alternatives are discriminated unions, so code that reads one variant's fields narrows on the
// discriminator instead of asserting. Every setting carries its one-line meaning in `.describe()`: the
// README's configuration reference is generated from it (`npm run docs`).
import { z } from "zod";
import { isCidr } from "../policy-pack/contract";
import { isQuantity } from "./quantity";
import { CHANNELS } from "../components/aws/cluster/channels";
import { OPTIONAL_LOG_TYPES } from "../components/aws/cluster/logs";
import type { AmiType } from "../components/aws/nodes/launch-template";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const dnsLabel = z
  .string()
  .max(63, "must be at most 63 characters (DNS-1123 label)")
  .regex(
    DNS1123_LABEL,
    "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  );

export const quantity = z.string().refine(isQuantity, {
  message: "must be a Kubernetes quantity such as 500m, 2, 4Gi or 10G",
});

export const cidr = z.string().refine(isCidr, { message: "must be a CIDR such as 10.0.0.0/16" });

const port = z.number().int().min(1).max(65535);
const protocol = z.enum(["TCP", "UDP", "SCTP"]);

/**
 * Keys that belong to another variant of a discriminated union. They are declared (as never-valid) in
 * each other variant so that setting one is reported with the reason, not as a misspelling.
 */
function onlyIn<const K extends string>(
  setting: string,
  owner: string,
  current: string,
  keys: readonly K[],
): { [P in K]: z.ZodOptional<z.ZodNever> } {
  const error = `only used when ${setting} is "${owner}" (it is "${current}"); remove it or change the mode`;
  return Object.fromEntries(keys.map((k) => [k, z.never({ error }).optional()])) as {
    [P in K]: z.ZodOptional<z.ZodNever>;
  };
}

export const egressRule = z.strictObject({
  cidr: cidr.describe("Destination address range."),
  ports: z
    .array(port)
    .min(1, "list at least one port; an egress rule without ports opens every port")
    .describe("Destination ports; at least one."),
  protocol: protocol.default("TCP").describe("`TCP`, `UDP` or `SCTP`."),
  description: z.string().optional().describe("Free text: what the destination is."),
});

const podSecurityLevel = z.enum(["privileged", "baseline", "restricted"]);
// Enforcing "privileged" would let workspace pods run as root on the node: only audit/warn may be that lax.
const enforcedPodSecurityLevel = z.enum(["baseline", "restricted"], {
  message: 'must be "baseline" or "restricted"; enforcing "privileged" would admit pods that own the node',
});

export const clusterSchema = z
  .discriminatedUnion("target", [
    z
      .strictObject({
        target: z.literal("existing"),
        kubeconfig: z
          .string()
          .min(1, "give the path of the kubeconfig file for this cluster")
          .describe("Path of the kubeconfig file for the cluster (`~/` is expanded)."),
        context: z
          .string()
          .min(1, "name the kubeconfig context of the cluster to deploy into")
          .describe("The kubeconfig context of the cluster; never whatever kubectl currently points at."),
      })
      .describe("an existing cluster dedicated to Coder, named explicitly"),
    z
      .strictObject({ target: z.literal("eks") })
      .describe("the dedicated EKS cluster the AWS platform layer builds from the `aws` settings"),
  ])
  .describe("The cluster the blueprint deploys into; there is no fallback to the ambient kubeconfig.");

export const controlPlaneSchema = z
  .strictObject({
    namespace: dnsLabel.default("coder").describe("Namespace for coderd; Pod Security `restricted`."),
    serviceAccountName: dnsLabel
      .default("coder")
      .describe("coderd's ServiceAccount (the chart is told not to create its own)."),
    serviceAccountAnnotations: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        "Annotations on coderd's ServiceAccount, e.g. `eks.amazonaws.com/role-arn` for IRSA " +
          "(RDS IAM auth, ECR pulls by coderd).",
      ),
  })
  .prefault({})
  .describe("coderd's namespace and identity.");

export const workspacesSchema = z
  .strictObject({
    namespaces: z
      .array(dnsLabel)
      .min(1, "list at least one workspace namespace, e.g. [coder-workspaces]")
      .describe("One or more workspace namespaces (DNS-1123 labels), e.g. one per team."),
    podSecurity: z
      .strictObject({
        enforce: enforcedPodSecurityLevel
          .default("baseline")
          .describe("Pod Security level enforced in workspace namespaces; may not be `privileged`."),
        audit: podSecurityLevel.default("restricted").describe("Pod Security level audited."),
        warn: podSecurityLevel.default("restricted").describe("Pod Security level warned about."),
        version: z
          .string()
          .regex(/^(latest|v\d+\.\d+)$/, "must be 'latest' or a minor version such as v1.33")
          .default("latest")
          .describe("Pod Security Standards version for every managed namespace."),
      })
      .prefault({})
      .describe("Pod Security admission levels for workspace namespaces."),
    maxWorkspaces: z
      .number()
      .int()
      .min(1, "must be at least 1")
      .max(5000)
      .describe("Workspaces per namespace; quota totals are this × the sizes below."),
    size: z
      .strictObject({
        cpu: quantity.default("2").describe("CPU per workspace."),
        memory: quantity.default("4Gi").describe("Memory per workspace."),
        homeDisk: quantity
          .default("20Gi")
          .describe("Home volume per workspace; also the admission cap on volume size."),
        ephemeralStorage: quantity.default("10Gi").describe("Ephemeral storage per workspace."),
      })
      .prefault({})
      .describe("Per-workspace figures (Kubernetes quantities); also the LimitRange defaults and caps."),
    servicesPerWorkspace: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(1)
      .describe(
        "Services per workspace in the quota: dev URLs and port sharing may create Services, " +
          "each taking a service IP.",
      ),
    allowDeployments: z
      .boolean()
      .default(true)
      .describe("Grant coderd `apps/deployments` (Coder's Kubernetes template uses them)."),
    serviceAccountName: dnsLabel
      .default("coder-workspace")
      .describe("Workspace ServiceAccount, created with token automount off."),
  })
  .describe("Where workspaces run and how big they may be.");

export const networkSchema = z
  .strictObject({
    // Required: every ipBlock rule carves these out, so without them "the internet" includes every pod.
    podCidrs: z
      .array(cidr)
      .min(1, "list the cluster's pod address ranges (kind: 10.244.0.0/16)")
      .optional()
      .describe(
        "The cluster's pod ranges; no ipBlock egress may reach them. Must not overlap the service ranges. " +
          "Required on `existing` clusters; on `eks` the pod subnets, derived.",
      ),
    serviceCidrs: z
      .array(cidr)
      .min(1, "list the cluster's service address range (kind: 10.96.0.0/12, EKS: 172.20.0.0/16 or 10.100.0.0/16)")
      .describe("The cluster's service ranges; no ipBlock egress may reach them. On `eks`: exactly one, given to EKS."),
    kubernetesApi: z
      .strictObject({
        cidrs: z
          .array(cidr)
          .default([])
          .describe(
            "API server endpoint addresses (not the kubernetes Service IP) coderd may reach; " +
              "required while Coder is enabled. Workspaces never may. On `eks`: derived.",
          ),
        ports: z.array(port).min(1).default([443, 6443]).describe("API server ports."),
      })
      .prefault({})
      .describe("The Kubernetes API server, for coderd."),
    coderIngress: z
      .strictObject({
        cidrs: z
          .array(cidr)
          .default([])
          .describe("Load balancer ranges that may reach coderd on 8080/8443. On `eks`: derived."),
        namespaces: z
          .array(dnsLabel)
          .default([])
          .describe(
            "Ingress-controller namespaces that may reach coderd on 8080/8443; " + "workspaces may reach them on 443.",
          ),
      })
      .prefault({})
      .describe("Who may reach coderd; while Coder is enabled, at least one range or namespace."),
    monitoringNamespace: dnsLabel
      .optional()
      .describe("Namespace allowed to scrape coderd on 2112; also turns on coderd's Prometheus endpoint."),
    coderdEgress: z
      .array(egressRule)
      .default([])
      .describe(
        "Where coderd may connect besides the API server and Postgres: the OIDC issuer (required with OIDC), " +
          "Terraform registry or mirror, AWS APIs.",
      ),
    accessUrlCidrs: z
      .array(cidr)
      .default([])
      .describe(
        "Where the access URL resolves, if outside the cluster (workspace agents dial it on 443); " +
          "required with an internal load balancer. On `eks`: derived.",
      ),
    workspaceEgress: z
      .strictObject({
        mode: z
          .enum(["none", "allowlist", "open"])
          .default("allowlist")
          .describe(
            "`none`, `allowlist` (the `allow` rules) or `open` (every port but SSH, to anything but " +
              "metadata, cluster ranges, API server and database).",
          ),
        allow: z.array(egressRule).default([]).describe('Rules for workspaces; only with mode "allowlist".'),
      })
      .prefault({})
      .describe("Where workspaces may connect."),
  })
  .describe("Network boundaries: the cluster's ranges and who may talk to whom.");

const reclaimPolicy = z
  .enum(["Retain", "Delete"])
  .default("Retain")
  .describe("What happens to a home volume when its claim is deleted.");
const makeDefault = z
  .boolean()
  .default(true)
  .describe("Make this the cluster's default class (it then receives every workspace home volume).");

export const storageSchema = z
  .strictObject({
    workspaceClass: z
      .discriminatedUnion("driver", [
        z
          .strictObject({
            driver: z.literal("ebs"),
            name: dnsLabel.default("coder-encrypted-gp3").describe("Name of the class workspace home volumes land on."),
            kmsKeyId: z
              .string()
              .optional()
              .describe(
                "KMS key for the volumes; unset means the AWS-managed key. On `eks`: the stack's CMK, derived.",
              ),
            volumeType: z.enum(["gp3", "io2", "io1"]).default("gp3").describe("EBS volume type."),
            reclaimPolicy,
            makeDefault,
          })
          .describe('the EBS CSI driver, always with `encrypted: "true"`'),
        z
          .strictObject({
            driver: z.literal("custom"),
            name: dnsLabel.describe("Name of the class workspace home volumes land on."),
            provisioner: z
              .string()
              .min(1, "name the CSI driver or provisioner, e.g. rancher.io/local-path")
              .describe("The CSI driver or provisioner, e.g. `rancher.io/local-path`."),
            parameters: z.record(z.string(), z.string()).default({}).describe("The provisioner's parameters."),
            encryptedAtRest: z
              .boolean()
              .describe(
                "Attestation that the backing disks are encrypted (a local provisioner cannot encrypt); " +
                  "required to make the class default.",
              ),
            reclaimPolicy,
            volumeBindingMode: z
              .enum(["WaitForFirstConsumer", "Immediate"])
              .default("WaitForFirstConsumer")
              .describe("When volumes are bound."),
            allowVolumeExpansion: z.boolean().default(true).describe("Whether home volumes may grow."),
            makeDefault,
          })
          .describe("any other provisioner"),
      ])
      .describe("The StorageClass workspace home volumes land on."),
    demoteDefaultClasses: z
      .array(dnsLabel)
      .default([])
      .describe(
        "Classes created outside the blueprint (EKS ships an unencrypted `gp2` default) to strip of the default flag.",
      ),
  })
  .describe("Storage for workspace home volumes.");

const pem = (what: string) =>
  z.string().regex(/-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----/, `must be a PEM-encoded ${what}`);

const httpsUrl = z.string().regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, "must be an https:// URL");

// Trust anchors apply in every mode: they are for what coderd connects to, not for what it serves.
const trustedCaCertificates = z
  .array(pem("CA certificate"))
  .default([])
  .describe("PEM trust anchors for what coderd connects to: Postgres, the OIDC issuer, Git providers.");

const PRIVATE_CA_KEYS = ["algorithm", "validityHours", "earlyRenewalHours", "caValidityHours", "ca"] as const;

/** Only the private CA can issue application certificates, so other modes reject the list. */
const noApplicationCertificates = (current: string) =>
  z
    .never({
      error: `only the private CA can issue them (tls.mode is "${current}"); remove the list or use mode private-ca`,
    })
    .optional();

export const tlsSchema = z
  .discriminatedUnion("mode", [
    z
      .strictObject({
        mode: z.literal("private-ca").default("private-ca"),
        algorithm: z
          .enum(["ECDSA", "RSA"])
          .default("ECDSA")
          .describe("Key algorithm: ECDSA (P-256) or RSA (3072 bits)."),
        validityHours: z
          .number()
          .int()
          .min(24)
          .max(24 * 398)
          .default(24 * 90)
          .describe("Lifetime of issued certificates."),
        earlyRenewalHours: z
          .number()
          .int()
          .min(1)
          .default(24 * 30)
          .describe("Renewal window before expiry: `pulumi up` inside it issues a fresh certificate."),
        caValidityHours: z
          .number()
          .int()
          .min(24 * 30)
          .default(24 * 365 * 5)
          .describe("Lifetime of the generated CA; must exceed `validityHours`."),
        ca: z
          .strictObject({
            certificate: pem("CA certificate").describe("The CA certificate (PEM)."),
            privateKey: pem("CA private key").describe("The CA's private key (PEM)."),
          })
          .optional()
          .describe("Sign with this CA (e.g. your organisation's intermediate) instead of generating one."),
        applicationCertificates: z
          .array(
            z.strictObject({
              name: dnsLabel.describe("Name of the kubernetes.io/tls Secret to write."),
              namespace: dnsLabel.describe("Namespace of the application."),
              dnsNames: z.array(z.string().min(1)).min(1).describe("Host names the certificate covers."),
            }),
          )
          .default([])
          .describe("Serving certificates the private CA issues for applications coderd talks to (e.g. Postgres)."),
        trustedCaCertificates,
        ...onlyIn("tls.mode", "provided", "private-ca", ["provided"]),
        ...onlyIn("tls.mode", "none", "private-ca", ["terminatedUpstream"]),
      })
      .describe(
        "the blueprint runs its own CA, published as ConfigMap `coder-ca` in each workspace namespace for " +
          "templates to trust (a rotated certificate rolls coderd)",
      ),
    z
      .strictObject({
        mode: z.literal("provided"),
        provided: z
          .strictObject(
            {
              certificate: pem("certificate chain").describe("coderd's certificate chain (PEM)."),
              privateKey: pem("private key").describe("coderd's private key (PEM)."),
            },
            {
              error: (issue) =>
                issue.input === undefined
                  ? 'required when tls.mode is "provided"; give certificate (PEM chain) and privateKey (as a secret)'
                  : undefined,
            },
          )
          .describe("The certificate and key coderd serves."),
        trustedCaCertificates,
        ...onlyIn("tls.mode", "private-ca", "provided", PRIVATE_CA_KEYS),
        applicationCertificates: noApplicationCertificates("provided"),
        ...onlyIn("tls.mode", "none", "provided", ["terminatedUpstream"]),
      })
      .describe("certificate and key from config"),
    z
      .strictObject({
        mode: z.literal("none"),
        terminatedUpstream: z
          .literal(true, {
            error:
              'tls.mode "none" sends traffic to coderd unencrypted; set terminatedUpstream: true only if TLS ends ' +
              "at a load balancer or mesh in front of coderd, otherwise use mode private-ca",
          })
          .describe("Must be `true`: the acknowledgement that TLS ends at a load balancer or mesh in front of coderd."),
        trustedCaCertificates,
        ...onlyIn("tls.mode", "private-ca", "none", PRIVATE_CA_KEYS),
        applicationCertificates: noApplicationCertificates("none"),
        ...onlyIn("tls.mode", "provided", "none", ["provided"]),
      })
      .describe(
        "coderd serves plain HTTP behind something that terminates TLS (this also needs " +
          "`allowTlsTerminationElsewhere` in the stack's policy settings)",
      ),
  ])
  .prefault({})
  .describe("How coderd's serving certificate is obtained, and what coderd trusts.");

export const coderSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Deploy the Coder release."),
    chart: z
      .union([
        z.strictObject({
          repository: httpsUrl.default("https://helm.coder.com/v2").describe("Helm repository of the Coder chart."),
          version: z
            .string()
            .regex(/^\d+\.\d+\.\d+$/, "pin an exact chart version such as 2.36.3")
            .describe("Exact chart version; with `repository`."),
        }),
        z.strictObject({
          path: z.string().min(1).describe("A chart directory or .tgz on disk, for air-gapped clusters."),
        }),
      ])
      .describe("The Coder chart: `{repository, version}` or `{path}`."),
    image: z
      .strictObject({
        repository: z.string().min(1).describe("Image repository."),
        tag: z.string().min(1).describe("Image tag."),
      })
      .optional()
      .describe("Mirror of the Coder image in an approved registry; unset means the chart's default."),
    accessUrl: httpsUrl.describe("The `https://` URL users and workspace agents reach coderd at."),
    wildcardAccessUrl: z
      .string()
      .regex(/^\*\.[a-z0-9.-]+$/, "must look like *.coder.example.com")
      .optional()
      .describe("`*.host` for workspace apps."),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe("coderd replicas; more than one adds a PodDisruptionBudget."),
    service: z
      .strictObject({
        type: z
          .enum(["ClusterIP", "InternalLoadBalancer"])
          .default("ClusterIP")
          .describe(
            "`ClusterIP` (behind an ingress) or `InternalLoadBalancer` (an internal NLB; public exposure " +
              "goes through an ingress with TLS).",
          ),
      })
      .prefault({})
      .describe("coderd's Service."),
    resources: z
      .strictObject({
        cpu: quantity.default("2").describe("coderd's CPU."),
        memory: quantity.default("4Gi").describe("coderd's memory."),
        ephemeralStorage: quantity.default("2Gi").describe("coderd's ephemeral storage."),
      })
      .prefault({})
      .describe("coderd's resources; requests equal limits."),
    strictTransportSecuritySeconds: z.number().int().min(0).default(31536000).describe("HSTS max-age."),
    disableOwnerWorkspaceAccess: z.boolean().default(true).describe("Owners cannot open other users' workspaces."),
  })
  .describe("The Coder release.");

export const oidcSchema = z
  .strictObject({
    issuerUrl: httpsUrl.describe("The OIDC issuer."),
    clientId: z.string().min(1).describe("OAuth client id."),
    clientSecret: z.string().min(1).describe("OAuth client secret."),
    emailDomains: z.array(z.string().min(1)).default([]).describe("Email domains allowed to log in."),
    allowedGroups: z.array(z.string().min(1)).default([]).describe("Groups allowed to log in; needs `groupField`."),
    allowSignups: z.boolean().default(false).describe("Create accounts on first login."),
    groupField: z
      .string()
      .min(1)
      .optional()
      .describe("The ID-token claim that carries groups (also add its scope to `scopes`)."),
    scopes: z
      .array(z.string().min(1))
      .default(["openid", "profile", "email"])
      .describe("Scopes requested from the issuer."),
  })
  .describe("OIDC login; turns password login off.");

/**
 * Coder's key format: 32 bytes (AES-256-GCM) in padded standard base64, which coderd decodes with Go's
 * `base64.StdEncoding`: exactly 43 characters and one `=`. Node's decoder would also take a key without its
 * `=`, with extra padding, or URL-safe, all of which stop coderd at startup.
 */
const tokenEncryptionKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, {
  message: "each key must be 32 random bytes in standard base64, e.g. the output of `openssl rand -base64 32`",
});

export const externalTokenEncryptionSchema = z
  .strictObject({
    keys: z
      .string()
      .min(1)
      .transform((keys) => keys.split(",").map((k) => k.trim()))
      .pipe(
        z
          .array(tokenEncryptionKey)
          .refine((keys) => new Set(keys).size === keys.length, { message: "the keys must be distinct" }),
      )
      .describe("Comma-separated keys (`openssl rand -base64 32` each): the first encrypts, the others only decrypt."),
  })
  .describe(
    "Encrypt the Git and OIDC tokens Coder stores for each user (`CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS`, " +
      "AES-256-GCM); without it they sit in the database in plain text. Needs a Coder Premium licence. " +
      "To rotate: put a new key first and keep the old one after it, `pulumi up`, run `coder server dbcrypt " +
      "rotate --new-key <new> --old-keys <old>` against the database, then drop the old key and `pulumi up`.",
  );

export const gitProviderTypes = [
  "github",
  "gitlab",
  "azure-devops",
  "azure-devops-entra",
  "bitbucket-cloud",
  "bitbucket-server",
  "gitea",
] as const;

export const gitProviderSchema = z.strictObject({
  id: dnsLabel.describe("Unique id of the provider."),
  type: z.enum(gitProviderTypes).describe("Provider type; two of one type need distinct `regex`."),
  clientId: z.string().min(1).describe("OAuth client id."),
  clientSecret: z.string().min(1).describe("OAuth client secret."),
  regex: z.string().min(1).optional().describe("Repository URLs this provider serves."),
  scopes: z.array(z.string().min(1)).optional().describe("OAuth scopes; unset means Coder's defaults for the type."),
  authUrl: httpsUrl.optional().describe("Authorization endpoint; required for `bitbucket-server`."),
  tokenUrl: httpsUrl.optional().describe("Token endpoint; required for `bitbucket-server`."),
  validateUrl: httpsUrl.optional().describe("Token validation endpoint."),
  egressCidrs: z
    .array(cidr)
    .default([])
    .describe("The provider's published address ranges coderd may reach (NetworkPolicy speaks addresses, not names)."),
});

export const registrySchema = z
  .strictObject({
    approved: z
      .array(
        z
          .string()
          .regex(
            /^[a-z0-9.-]+(:\d+)?\/([a-z0-9._/-]*\/)?$/,
            "must be a registry prefix ending in '/', e.g. registry.example.com/coder/",
          ),
      )
      .min(
        1,
        "list the registries workspaces may pull from, e.g. [registry.example.com/coder/]; " +
          "without it any user can run any image",
      )
      .optional()
      .describe(
        "Image prefixes workspaces may use, ending in `/` " +
          "(e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/coder/`); enforced by admission. Required on " +
          "`existing` clusters; on `eks` the stack's ECR prefixes come first, derived, and this adds to them.",
      ),
    pull: z
      .discriminatedUnion("mode", [
        z.strictObject({ mode: z.literal("node-role") }).describe("the node role's ECR read-only policy (AWS)"),
        z
          .strictObject({
            mode: z.literal("docker-config"),
            account: z.string().min(1).describe("The Coder-only, pull-only registry account."),
            dockerConfigJson: z.string().min(1).describe("Its `.dockerconfigjson`, stored as a Kubernetes Secret."),
          })
          .describe("a pull-only registry account"),
        z.strictObject({ mode: z.literal("anonymous") }).describe("public images, no credentials"),
      ])
      .describe("How nodes authenticate image pulls."),
  })
  .describe("Which images workspaces may run, and how they are pulled.");

export const databaseSchema = z
  .strictObject({
    connectionUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional()
      .describe("`postgres://` URL; its `sslmode` must match `sslMode`. Required (as a secret)."),
    auth: z.enum(["password", "awsiamrds"]).default("password").describe("`password` or `awsiamrds` (RDS IAM auth)."),
    sslMode: z
      .enum(["verify-full", "verify-ca", "require", "disable"])
      .default("verify-full")
      .describe("Postgres `sslmode`; verify-full checks the server certificate and host name."),
    egress: z
      .array(egressRule)
      .min(1, "give the database's address range and port, e.g. [{cidr: 10.0.8.0/24, ports: [5432]}]")
      .describe("The database's address ranges and ports; only coderd may reach them."),
  })
  .describe(
    "Postgres for coderd; required while Coder is enabled on `existing` clusters. On `eks` the AWS layer's " +
      "RDS instance (`aws.database`) is coderd's database, and this section is derived.",
  );

export const admissionSchema = z
  .strictObject({
    actions: z
      .array(z.enum(["Deny", "Warn", "Audit"]))
      .min(1)
      .default(["Deny"])
      .refine((a) => !(a.includes("Deny") && a.includes("Warn")), {
        message: "Deny and Warn cannot be combined; use [Deny] or [Warn, Audit]",
      })
      .describe(
        "`[Deny]`, `[Warn]`, `[Audit]` or `[Warn, Audit]`; anything without Deny also needs " +
          "`allowNonBlockingActions` for `missing-workspace-admission` in the stack's policy settings.",
      ),
    allowedCapabilities: z
      .array(z.string().regex(/^[A-Z_]+$/, "capability names are upper case, e.g. NET_BIND_SERVICE"))
      .default([])
      .describe("Capabilities workspace containers may add."),
    allowedSecrets: z
      .array(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Secret name"))
      .default([])
      .describe(
        "Secrets workspace pods may mount or read into env (never the registry pull secret); by default none, " +
          "as a pod could otherwise read any Secret of its namespace.",
      ),
  })
  .prefault({})
  .describe("The admission rules for workspace pods.");

const AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "AL2023_x86_64_NVIDIA",
  "AL2023_ARM_64_NVIDIA",
  "AL2023_x86_64_NEURON",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
  "BOTTLEROCKET_x86_64_FIPS",
  "BOTTLEROCKET_ARM_64_FIPS",
  "BOTTLEROCKET_x86_64_NVIDIA",
  "BOTTLEROCKET_ARM_64_NVIDIA",
] as const satisfies readonly AmiType[];

const iamRoleArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
    "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
  );

const subnetPrefix = (what: string, fallback: number) =>
  z.number().int().min(16).max(28).default(fallback).describe(`Prefix length of each ${what} subnet.`);

const poolFields = {
  name: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, "lower-case letters, digits and dashes, at most 32")
    .describe("Short name, unique among the pools (part of the node group's name)."),
  instanceTypes: z.array(z.string().min(1)).min(1).describe("EC2 instance types, e.g. `[m7i.xlarge]`."),
  amiType: z.enum(AMI_TYPES).default("AL2023_x86_64_STANDARD").describe("EKS-optimized AMI type."),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND").describe("On-demand or spot capacity."),
  minSize: z.number().int().min(0).describe("Fewest nodes."),
  desiredSize: z.number().int().min(0).describe("Nodes at creation (the autoscaler moves it afterwards)."),
  maxSize: z.number().int().min(1).describe("Most nodes; the IP capacity plan counts every pool at its maximum."),
  volumeSizeGiB: z.number().int().min(20).max(16384).default(50).describe("Each node's data volume (GiB)."),
  release: z
    .discriminatedUnion("channel", [
      z.strictObject({ channel: z.literal("track") }).describe("AWS's recommended AMI release"),
      z
        .strictObject({
          channel: z.literal("pinned"),
          releaseVersion: z.string().min(1).describe("The AMI release, e.g. `1.34.2-20261115`."),
        })
        .describe("a release the stack names"),
    ])
    .default({ channel: "track" })
    .describe("How the pool's AMI release moves: `{channel: track}` or `{channel: pinned, releaseVersion}`."),
  maxUnavailable: z
    .union([
      z.strictObject({ count: z.number().int().min(1).max(100).describe("Nodes at once.") }),
      z.strictObject({ percentage: z.number().int().min(1).max(100).describe("Percent of nodes at once.") }),
    ])
    .default({ count: 1 })
    .describe("Nodes a rolling update may take out at once: `{count}` or `{percentage}`."),
};

// One shape for every role: the roles differ in where pods land (labels and taints from the contract),
// not in what a pool is, so an enum discriminates them and the reference documents each field once.
const nodePool = z.strictObject({
  role: z
    .enum(["system", "coderd", "workspaces"])
    .describe("`system` (cluster add-ons, untainted), `coderd` or `workspaces` (each dedicated and tainted)."),
  ...poolFields,
});

export const awsSchema = z
  .strictObject({
    accountId: z
      .string()
      .regex(/^\d{12}$/, "must be a 12-digit AWS account ID")
      .describe("The AWS account the stack deploys to; the program refuses to run with credentials of another."),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1")
      .describe("The AWS region; must equal the AWS provider's (`aws:region`)."),
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be a zone name such as eu-west-1a"))
      .min(2, "list at least two availability zones; EKS and RDS need two, and the IP plan loses one")
      .describe("Availability zones to spread subnets over; the IP plan assumes one of them is lost."),
    vpc: z
      .strictObject({
        cidr: cidr.describe("The VPC's primary IPv4 range (/16 to /28)."),
        privateSubnetPrefix: subnetPrefix("private (node and internal load balancer)", 22),
        publicSubnetPrefix: subnetPrefix("public (NAT gateway)", 24),
        isolatedSubnetPrefix: subnetPrefix("isolated (EKS API endpoint and database)", 26),
        natGateways: z
          .enum(["per-az", "single", "none"])
          .default("per-az")
          .describe("NAT for egress: one per AZ (survives an AZ loss), a single one, or none (VPC endpoints only)."),
        podCidr: cidr
          .optional()
          .describe("Secondary range inside 100.64.0.0/10 for pod subnets (VPC CNI custom networking)."),
        podSubnetPrefix: z
          .number()
          .int()
          .min(16)
          .max(28)
          .optional()
          .describe("Prefix length of each per-AZ pod subnet carved from `podCidr`."),
        flowLogRetentionDays: z.number().int().default(365).describe("Days VPC flow logs are kept."),
      })
      .describe("The VPC and its subnets; every range the Kubernetes layer needs is derived from them."),
    ipPlan: z
      .strictObject({
        prefixDelegation: z
          .boolean()
          .default(true)
          .describe("VPC CNI prefix delegation: each node takes /28 prefixes instead of single addresses."),
        warmPrefixTarget: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe("Spare /28 prefixes per node (prefix delegation only; the CNI's default is 1)."),
        warmIpTarget: z.number().int().min(0).optional().describe("Spare addresses per node (`WARM_IP_TARGET`)."),
        minimumIpTarget: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe("Addresses each node allocates at start (`MINIMUM_IP_TARGET`)."),
        eniAddresses: z
          .number()
          .int()
          .min(2)
          .optional()
          .describe("IPv4 addresses per ENI of the instance type; required without prefix delegation."),
        podsPerWorkspace: z.number().int().min(1).default(1).describe("Pods one workspace runs."),
        systemPods: z
          .number()
          .int()
          .min(0)
          .default(40)
          .describe("Pods outside workspaces and coderd that are not DaemonSets (CoreDNS, controllers)."),
        daemonSetPodsPerNode: z.number().int().min(0).default(6).describe("DaemonSet pods on every node."),
        maxPodsPerNode: z.number().int().min(1).default(110).describe("kubelet's max-pods."),
        otherServices: z
          .number()
          .int()
          .min(0)
          .default(50)
          .describe("Services outside workspaces: coderd's and the cluster's own."),
      })
      .prefault({})
      .describe("Inputs of the IP capacity plan; a plan that does not fit refuses the stack before anything runs."),
    cluster: z
      .strictObject({
        name: dnsLabel.describe("The EKS cluster's name (fixed, so each run can read what it runs now)."),
        channel: z
          .enum(CHANNELS)
          .default("regular")
          .describe("Upgrade channel: `rapid`, `regular`, `stable` or `extended` (EKS extended support)."),
        version: z
          .string()
          .regex(/^1\.\d+$/, 'must be a Kubernetes minor such as "1.35"')
          .optional()
          .describe("A Kubernetes minor pinned instead of the channel's."),
        publicAccessCidrs: z
          .array(cidr)
          .default([])
          .describe("Networks allowed on the public API endpoint; empty keeps the endpoint private only."),
        privateApiCidrs: z
          .array(cidr)
          .default([])
          .describe("Networks outside the VPC (VPN, peered admin networks) that reach the private endpoint."),
        extraLogTypes: z
          .array(z.enum(OPTIONAL_LOG_TYPES))
          .default([])
          .describe("Control-plane logs besides api, audit and authenticator."),
        logRetentionDays: z.number().int().default(365).describe("Days control-plane logs are kept."),
        admins: z
          .array(
            z.strictObject({
              principalArn: z.string().min(1).describe("IAM role or user ARN."),
              access: z
                .enum(["admin", "edit", "view", "cluster-admin"])
                .describe("EKS access policy; `cluster-admin` only for the break-glass role."),
              namespaces: z.array(dnsLabel).min(1).optional().describe("Namespaces it is limited to."),
            }),
          )
          .default([])
          .describe("Who administers the cluster, each through an EKS access entry."),
        breakGlassRoleArn: iamRoleArn
          .optional()
          .describe("The one role allowed cluster-admin, for emergencies; must match the policy pack's setting."),
      })
      .describe("The EKS cluster."),
    nodePools: z
      .array(nodePool)
      .min(1)
      .describe("Managed node groups, each with role `system`, `coderd` or `workspaces`."),
    registry: z
      .strictObject({
        namespace: dnsLabel.default("coder").describe("ECR namespace of the managed repositories."),
        repositories: z
          .array(z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "must be an ECR repository name"))
          .min(1)
          .describe("Repositories under the namespace, e.g. `[coder, workspace-base]`."),
        scanType: z.enum(["ENHANCED", "BASIC"]).default("ENHANCED").describe("Registry-wide image scanning."),
        untaggedExpiryDays: z.number().int().min(1).default(14).describe("Days before untagged images expire."),
        pullThroughCaches: z
          .array(
            z.strictObject({
              ecrRepositoryPrefix: z.string().min(2).describe("Where cached images live, e.g. `ecr-public`."),
              upstreamRegistryUrl: z.string().min(1).describe("The upstream host, e.g. `public.ecr.aws`."),
              repositories: z.array(z.string().min(1)).min(1).describe("Upstream repositories that may be cached."),
              credentialArn: z.string().optional().describe("Secrets Manager ARN of upstream credentials."),
            }),
          )
          .default([])
          .describe("Pull-through caches, each for named upstream repositories only."),
        cacheCreationRoleArn: iamRoleArn
          .optional()
          .describe("Role ECR assumes to create cache repositories under the CMK; required with caches."),
      })
      .describe("Coder's private ECR registry; its prefixes become the approved registries."),
    database: z
      .strictObject({
        instanceClass: z
          .string()
          .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "e.g. db.t4g.medium")
          .describe("RDS class."),
        allocatedStorageGb: z.number().int().min(20).describe("Initial gp3 storage (GiB)."),
        maxAllocatedStorageGb: z.number().int().optional().describe("Storage autoscaling ceiling (GiB)."),
        engineVersion: z
          .string()
          .regex(/^\d+$/, "a Postgres major such as 17")
          .default("17")
          .describe("Postgres major."),
        backupRetentionDays: z.number().int().min(7).max(35).default(7).describe("Days of automated backups."),
        multiAz: z.boolean().default(false).describe("A standby in a second zone."),
        performanceInsights: z.boolean().default(true).describe("Performance Insights (under the CMK)."),
        databaseName: z.string().default("coder").describe("The database coderd uses."),
        masterUsername: z.string().default("coder_admin").describe("Master user (password kept by RDS only)."),
        coderUsername: z.string().default("coder").describe("coderd's IAM-authenticated user."),
        caCertIdentifier: z.string().default("rds-ca-rsa2048-g1").describe("The CA of the server certificate."),
        caBundlePem: pem("CA bundle").describe(
          "That CA's PEM bundle (from truststore.pki.rds.amazonaws.com); added to coderd's trust bundle.",
        ),
      })
      .describe("coderd's RDS PostgreSQL: IAM authentication, TLS forced, encrypted with the CMK."),
    keyDeletionWindowDays: z
      .number()
      .int()
      .min(7)
      .max(30)
      .default(30)
      .describe("Days a scheduled deletion of the CMK waits."),
    autoScalingRoleInKeyPolicy: z
      .boolean()
      .default(true)
      .describe(
        "Name the Auto Scaling service-linked role in the CMK's key policy: managed node groups launch their " +
          "CMK-encrypted volumes through it, and without it nodes fail to start. The role must exist (AWS " +
          "creates it with an account's first Auto Scaling group; `aws iam create-service-linked-role " +
          "--aws-service-name autoscaling.amazonaws.com` creates it).",
      ),
    protect: z
      .boolean()
      .default(false)
      .describe("Protect stateful resources (CMK, log groups, cluster, repositories, database) from deletion."),
    tags: z.record(z.string(), z.string()).default({}).describe("Tags on every AWS resource."),
  })
  .describe("The AWS platform layer; required when cluster.target is `eks`, refused otherwise.");

export const blueprintSchema = z.strictObject({
  cluster: clusterSchema,
  controlPlane: controlPlaneSchema,
  workspaces: workspacesSchema,
  network: networkSchema,
  storage: storageSchema,
  tls: tlsSchema,
  coder: coderSchema,
  oidc: oidcSchema.optional(),
  gitProviders: z.array(gitProviderSchema).default([]).describe("Git providers for external auth."),
  externalTokenEncryption: externalTokenEncryptionSchema.optional(),
  registry: registrySchema,
  database: databaseSchema.optional(),
  admission: admissionSchema,
  aws: awsSchema.optional(),
});

export type BlueprintConfigInput = z.input<typeof blueprintSchema>;
export type ParsedBlueprintConfig = z.output<typeof blueprintSchema>;
export type EgressRule = z.output<typeof egressRule>;
export type GitProvider = z.output<typeof gitProviderSchema>;
export type AwsSettings = z.output<typeof awsSchema>;
