// The shape of every stack's configuration. Each top-level key here is one `coder-blueprint:<key>` in
// stacks/Pulumi.<stack>.yaml. Objects are strict: a misspelt key is an error, not a silently ignored
// setting, because a silently ignored security setting is worse than a failed deployment.
import { z } from "zod";
import { isCidr } from "./cidr";
import { isQuantity } from "./quantity";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const dnsLabel = z
    .string()
    .max(63, "must be at most 63 characters (DNS-1123 label)")
    .regex(DNS1123_LABEL, "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit");

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
    })
    .prefault({});

export const workspacesSchema = z.strictObject({
    namespaces: z.array(dnsLabel).min(1, "list at least one workspace namespace, e.g. [coder-workspaces]"),
    podSecurity: z
        .strictObject({
            enforce: podSecurityLevel.default("baseline"),
            audit: podSecurityLevel.default("restricted"),
            warn: podSecurityLevel.default("restricted"),
            version: z.string().regex(/^(latest|v\d+\.\d+)$/, "must be 'latest' or a minor version such as v1.33").default("latest"),
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

export const networkSchema = z
    .strictObject({
        podCidrs: z.array(cidr).default([]),
        serviceCidrs: z.array(cidr).default([]),
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
    })
    .prefault({});

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

export const blueprintSchema = z.strictObject({
    cluster: clusterSchema,
    controlPlane: controlPlaneSchema,
    workspaces: workspacesSchema,
    network: networkSchema,
    storage: storageSchema,
});

export type BlueprintConfigInput = z.input<typeof blueprintSchema>;
export type ParsedBlueprintConfig = z.output<typeof blueprintSchema>;
export type EgressRule = z.output<typeof egressRule>;
