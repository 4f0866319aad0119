// The shape of every stack's configuration. Each top-level key here is one `coder-blueprint:<key>` in
// stacks/Pulumi.<stack>.yaml. Objects are strict: a misspelt key is an error, not a silently ignored
// setting, because a silently ignored security setting is worse than a failed deployment.
import { z } from "zod";
import { isCidr } from "../policy-pack/contract";
import { isQuantity } from "./quantity";

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

export const egressRule = z.strictObject({
  cidr,
  ports: z.array(port).min(1, "list at least one port; an egress rule without ports opens every port"),
  protocol: protocol.default("TCP"),
  description: z.string().optional(),
});

const podSecurityLevel = z.enum(["privileged", "baseline", "restricted"]);
// Enforcing "privileged" would let workspace pods run as root on the node: only audit/warn may be that lax.
const enforcedPodSecurityLevel = z.enum(["baseline", "restricted"], {
  message: 'must be "baseline" or "restricted"; enforcing "privileged" would admit pods that own the node',
});

export const clusterSchema = z.discriminatedUnion("target", [
  z.strictObject({
    // An existing cluster named explicitly, never "whatever kubectl points at".
    target: z.literal("existing"),
    kubeconfig: z.string().min(1, "give the path of the kubeconfig file for this cluster"),
    context: z.string().min(1, "name the kubeconfig context of the cluster to deploy into"),
  }),
  z.strictObject({
    // The dedicated EKS cluster built by the AWS platform layer.
    target: z.literal("eks"),
    name: dnsLabel.optional(),
  }),
]);

export const controlPlaneSchema = z
  .strictObject({
    namespace: dnsLabel.default("coder"),
    serviceAccountName: dnsLabel.default("coder"),
    // e.g. eks.amazonaws.com/role-arn for IRSA (RDS IAM auth, ECR pulls by coderd).
    serviceAccountAnnotations: z.record(z.string(), z.string()).default({}),
  })
  .prefault({});

export const workspacesSchema = z.strictObject({
  namespaces: z.array(dnsLabel).min(1, "list at least one workspace namespace, e.g. [coder-workspaces]"),
  podSecurity: z
    .strictObject({
      enforce: enforcedPodSecurityLevel.default("baseline"),
      audit: podSecurityLevel.default("restricted"),
      warn: podSecurityLevel.default("restricted"),
      version: z
        .string()
        .regex(/^(latest|v\d+\.\d+)$/, "must be 'latest' or a minor version such as v1.33")
        .default("latest"),
    })
    .prefault({}),
  maxWorkspaces: z.number().int().min(1, "must be at least 1").max(5000),
  size: z
    .strictObject({
      cpu: quantity.default("2"),
      memory: quantity.default("4Gi"),
      homeDisk: quantity.default("20Gi"),
      ephemeralStorage: quantity.default("10Gi"),
    })
    .prefault({}),
  // Dev URLs and port sharing may create Services; each takes an address from the service CIDR.
  servicesPerWorkspace: z.number().int().min(0).max(20).default(1),
  allowDeployments: z.boolean().default(true),
  serviceAccountName: dnsLabel.default("coder-workspace"),
});

export const networkSchema = z.strictObject({
  // Required: every ipBlock rule carves these out, so without them "the internet" includes every pod.
  podCidrs: z.array(cidr).min(1, "list the cluster's pod address ranges (on EKS with the VPC CNI: the pod subnets)"),
  serviceCidrs: z
    .array(cidr)
    .min(1, "list the cluster's service address range (kind: 10.96.0.0/12, EKS: 172.20.0.0/16 or 10.100.0.0/16)"),
  kubernetesApi: z
    .strictObject({
      cidrs: z.array(cidr).default([]),
      ports: z.array(port).min(1).default([443, 6443]),
    })
    .prefault({}),
  coderIngress: z
    .strictObject({
      cidrs: z.array(cidr).default([]),
      namespaces: z.array(dnsLabel).default([]),
    })
    .prefault({}),
  monitoringNamespace: dnsLabel.optional(),
  // Where coderd may connect besides the API server and Postgres: the OIDC issuer, Git providers' APIs.
  coderdEgress: z.array(egressRule).default([]),
  // Only needed when the access URL resolves to a load balancer outside the cluster.
  accessUrlCidrs: z.array(cidr).default([]),
  workspaceEgress: z
    .strictObject({
      mode: z.enum(["none", "allowlist", "open"]).default("allowlist"),
      allow: z.array(egressRule).default([]),
    })
    .prefault({}),
});

export const storageSchema = z.strictObject({
  workspaceClass: z.discriminatedUnion("driver", [
    z.strictObject({
      driver: z.literal("ebs"),
      name: dnsLabel.default("coder-encrypted-gp3"),
      // Empty means the AWS-managed key; the platform layer fills this with its CMK.
      kmsKeyId: z.string().optional(),
      volumeType: z.enum(["gp3", "io2", "io1"]).default("gp3"),
      reclaimPolicy: z.enum(["Retain", "Delete"]).default("Retain"),
      makeDefault: z.boolean().default(true),
    }),
    z.strictObject({
      driver: z.literal("custom"),
      name: dnsLabel,
      provisioner: z.string().min(1, "name the CSI driver or provisioner, e.g. rancher.io/local-path"),
      parameters: z.record(z.string(), z.string()).default({}),
      // A local provisioner cannot encrypt; the operator attests that the backing disk is encrypted.
      encryptedAtRest: z.boolean(),
      reclaimPolicy: z.enum(["Retain", "Delete"]).default("Retain"),
      volumeBindingMode: z.enum(["WaitForFirstConsumer", "Immediate"]).default("WaitForFirstConsumer"),
      allowVolumeExpansion: z.boolean().default(true),
      makeDefault: z.boolean().default(true),
    }),
  ]),
  // Classes created outside the blueprint (EKS ships an unencrypted gp2 default) to stop being default.
  demoteDefaultClasses: z.array(dnsLabel).default([]),
});

const pem = (what: string) =>
  z.string().regex(/-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----/, `must be a PEM-encoded ${what}`);

const httpsUrl = z.string().regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, "must be an https:// URL");

export const tlsSchema = z
  .strictObject({
    // private-ca: the blueprint runs its own CA; provided: cert and key from config; none: TLS ends
    // before coderd, which the stack must acknowledge explicitly.
    mode: z.enum(["private-ca", "provided", "none"]).default("private-ca"),
    algorithm: z.enum(["ECDSA", "RSA"]).default("ECDSA"),
    validityHours: z
      .number()
      .int()
      .min(24)
      .max(24 * 398)
      .default(24 * 90),
    earlyRenewalHours: z
      .number()
      .int()
      .min(1)
      .default(24 * 30),
    caValidityHours: z
      .number()
      .int()
      .min(24 * 30)
      .default(24 * 365 * 5),
    provided: z
      .strictObject({
        certificate: pem("certificate chain"),
        privateKey: pem("private key"),
      })
      .optional(),
    // With private-ca: an existing CA (e.g. the organisation's intermediate) to sign with, instead of
    // one the blueprint generates.
    ca: z
      .strictObject({
        certificate: pem("CA certificate"),
        privateKey: pem("CA private key"),
      })
      .optional(),
    terminatedUpstream: z.boolean().default(false),
    // Trust anchors for what coderd connects to: Postgres, the OIDC issuer, Git providers.
    trustedCaCertificates: z.array(pem("CA certificate")).default([]),
    // Serving certificates the private CA issues for applications coderd talks to (e.g. Postgres).
    applicationCertificates: z
      .array(z.strictObject({ name: dnsLabel, namespace: dnsLabel, dnsNames: z.array(z.string().min(1)).min(1) }))
      .default([]),
  })
  .prefault({});

export const coderSchema = z.strictObject({
  enabled: z.boolean().default(true),
  chart: z.union([
    z.strictObject({
      repository: httpsUrl.default("https://helm.coder.com/v2"),
      version: z.string().regex(/^\d+\.\d+\.\d+$/, "pin an exact chart version such as 2.36.3"),
    }),
    // Air-gapped clusters: a chart directory or .tgz on disk.
    z.strictObject({ path: z.string().min(1) }),
  ]),
  image: z.strictObject({ repository: z.string().min(1), tag: z.string().min(1) }).optional(),
  accessUrl: httpsUrl,
  wildcardAccessUrl: z
    .string()
    .regex(/^\*\.[a-z0-9.-]+$/, "must look like *.coder.example.com")
    .optional(),
  replicas: z.number().int().min(1).max(10).default(1),
  service: z
    .strictObject({
      // A LoadBalancer is always an internal NLB; public exposure goes through an ingress with TLS.
      type: z.enum(["ClusterIP", "InternalLoadBalancer"]).default("ClusterIP"),
    })
    .prefault({}),
  resources: z
    .strictObject({
      cpu: quantity.default("2"),
      memory: quantity.default("4Gi"),
      ephemeralStorage: quantity.default("2Gi"),
    })
    .prefault({}),
  strictTransportSecuritySeconds: z.number().int().min(0).default(31536000),
  disableOwnerWorkspaceAccess: z.boolean().default(true),
});

export const oidcSchema = z.strictObject({
  issuerUrl: httpsUrl,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  emailDomains: z.array(z.string().min(1)).default([]),
  allowedGroups: z.array(z.string().min(1)).default([]),
  allowSignups: z.boolean().default(false),
  // The ID-token claim that carries groups; Coder refuses allowedGroups without it.
  groupField: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).default(["openid", "profile", "email"]),
});

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
  id: dnsLabel,
  type: z.enum(gitProviderTypes),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  regex: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  authUrl: httpsUrl.optional(),
  tokenUrl: httpsUrl.optional(),
  validateUrl: httpsUrl.optional(),
  // NetworkPolicy speaks addresses, not host names: the provider's published ranges.
  egressCidrs: z.array(cidr).default([]),
});

export const registrySchema = z.strictObject({
  // Image references must start with one of these (e.g. "123456789012.dkr.ecr.eu-west-1.amazonaws.com/coder/").
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
      "list the registries workspaces may pull from, e.g. [registry.example.com/coder/]; without it any user can run any image",
    ),
  pull: z.discriminatedUnion("mode", [
    // On AWS: the node role's ECR read-only policy from the platform layer; nothing lives in the cluster.
    z.strictObject({ mode: z.literal("node-role") }),
    // A Coder-only, pull-only registry account, stored as a dockerconfigjson Secret.
    z.strictObject({
      mode: z.literal("docker-config"),
      account: z.string().min(1),
      dockerConfigJson: z.string().min(1),
    }),
    z.strictObject({ mode: z.literal("anonymous") }),
  ]),
});

export const databaseSchema = z.strictObject({
  connectionUrl: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
  auth: z.enum(["password", "awsiamrds"]).default("password"),
  sslMode: z.enum(["verify-full", "verify-ca", "require", "disable"]).default("verify-full"),
  egress: z
    .array(egressRule)
    .min(1, "give the database's address range and port, e.g. [{cidr: 10.0.8.0/24, ports: [5432]}]"),
});

export const admissionSchema = z
  .strictObject({
    actions: z
      .array(z.enum(["Deny", "Warn", "Audit"]))
      .min(1)
      .default(["Deny"])
      .refine((a) => !(a.includes("Deny") && a.includes("Warn")), {
        message: "Deny and Warn cannot be combined; use [Deny] or [Warn, Audit]",
      }),
    allowedCapabilities: z
      .array(z.string().regex(/^[A-Z_]+$/, "capability names are upper case, e.g. NET_BIND_SERVICE"))
      .default([]),
    // Secrets a workspace pod may mount or read into env (the registry pull secret is never one of them).
    allowedSecrets: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Secret name")).default([]),
  })
  .prefault({});

export const blueprintSchema = z.strictObject({
  cluster: clusterSchema,
  controlPlane: controlPlaneSchema,
  workspaces: workspacesSchema,
  network: networkSchema,
  storage: storageSchema,
  tls: tlsSchema,
  coder: coderSchema,
  oidc: oidcSchema.optional(),
  gitProviders: z.array(gitProviderSchema).default([]),
  registry: registrySchema,
  database: databaseSchema.optional(),
  admission: admissionSchema,
});

export type BlueprintConfigInput = z.input<typeof blueprintSchema>;
export type ParsedBlueprintConfig = z.output<typeof blueprintSchema>;
export type EgressRule = z.output<typeof egressRule>;
export type GitProvider = z.output<typeof gitProviderSchema>;

/** Fields that hold credentials: they must arrive as Pulumi secrets and stay secrets. */
export const SECRET_FIELDS: ReadonlyArray<{ key: string; field: string }> = [
  { key: "oidc", field: "clientSecret" },
  { key: "gitProviders", field: "[].clientSecret" },
  { key: "database", field: "connectionUrl" },
  { key: "tls", field: "provided.privateKey" },
  { key: "tls", field: "ca.privateKey" },
  { key: "registry", field: "pull.dockerConfigJson" },
];
