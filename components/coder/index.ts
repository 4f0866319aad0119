import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import {
  CODERD_POD_LABELS,
  CREDENTIALS_SECRET,
  POSTGRES_SSLMODE_ANNOTATION,
  TLS_CERTIFICATE_DIGEST_ANNOTATION,
} from "../../policy-pack/contract";
import { coderEnv, CoderEnvArgs, CREDENTIAL_KEYS } from "./env";

export type ChartSource = { repository: string; version: string } | { path: string };

export interface CoderDeploymentArgs {
  /** coderd's namespace. */
  readonly namespace: pulumi.Input<string>;
  /** The official chart, from its repository or a local copy. */
  readonly chart: ChartSource;
  /** coderd's image, when not the chart's default. */
  readonly image?: { readonly repository: string; readonly tag: string };
  /** coderd replicas; more than one also gets a PodDisruptionBudget. */
  readonly replicas: number;
  /** How coderd's Service is exposed; a load balancer is always internal. */
  readonly serviceType: "ClusterIP" | "InternalLoadBalancer";
  /** coderd's requests, equal to its limits. */
  readonly resources: { readonly cpu: string; readonly memory: string; readonly ephemeralStorage: string };
  /** The ServiceAccount the blueprint created for coderd. */
  readonly serviceAccountName: pulumi.Input<string>;
  /** kubernetes.io/tls Secrets coderd serves from; none when TLS ends in front of coderd. */
  readonly tlsSecretNames: string[];
  /** The serving certificate; its digest on the pod template restarts coderd when it is rotated. */
  readonly tlsCertificate?: pulumi.Input<string>;
  /** The Secret and key holding the CAs coderd trusts. */
  readonly trustBundle?: { readonly name: string; readonly key: string };
  /** The pull Secret of the Coder-only registry account. */
  readonly imagePullSecret?: pulumi.Input<string>;
  /** What coderd's environment is built from. */
  readonly env: Omit<CoderEnvArgs, "credentialsSecret">;
  /**
   * What the release refers to by name (TLS and trust Secrets, the ServiceAccount, pull secrets): Helm
   * must not start coderd before they exist.
   */
  readonly prerequisites: pulumi.Resource[];
  /** Credential values (Pulumi secrets) keyed by CREDENTIAL_KEYS; they reach coderd only through a Secret. */
  readonly credentials: Record<string, pulumi.Input<string>>;
  /** The database URL's sslmode, attested on the credentials Secret for the policy pack (the URL is secret). */
  readonly databaseSslMode: string;
  /** Where coderd's pods run: a dedicated node pool's nodeSelector and tolerations; anywhere when omitted. */
  readonly placement?: {
    readonly nodeSelector: Record<string, string>;
    readonly tolerations: { key: string; operator: string; value: string; effect: string }[];
  };
}

export const RELEASE_NAME = "coder";

/** Annotations that make the AWS Load Balancer Controller provision an internal NLB, never a public one. */
export const INTERNAL_NLB_ANNOTATIONS = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "external",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
};

/** The chart values, kept as a pure function so tests assert them without Helm. */
export function coderValues(args: Omit<CoderDeploymentArgs, "namespace" | "credentials" | "chart" | "prerequisites">) {
  const image = {
    ...(args.image ? { repo: args.image.repository, tag: args.image.tag } : {}),
    ...(args.imagePullSecret ? { pullSecrets: [{ name: args.imagePullSecret }] } : {}),
  };
  return {
    coder: {
      ...(Object.keys(image).length > 0 ? { image } : {}),
      replicaCount: args.replicas,
      ...(args.placement ? { nodeSelector: args.placement.nodeSelector, tolerations: args.placement.tolerations } : {}),
      // coderd reads its key pair once at start-up: a new certificate must roll the pods.
      ...(args.tlsCertificate
        ? {
            podAnnotations: {
              [TLS_CERTIFICATE_DIGEST_ANNOTATION]: pulumi
                .output(args.tlsCertificate)
                .apply((pem) => createHash("sha256").update(pem).digest("hex")),
            },
          }
        : {}),
      // The blueprint owns coderd's ServiceAccount and its namespaced Roles (components/rbac), so the
      // chart creates neither: one definition of coderd's permissions, tested in one place.
      serviceAccount: {
        name: args.serviceAccountName,
        disableCreate: true,
        workspacePerms: false,
        enableDeployments: false,
      },
      env: coderEnv({ ...args.env, credentialsSecret: CREDENTIALS_SECRET }),
      tls: { secretNames: args.tlsSecretNames },
      ...(args.trustBundle ? { certs: { secrets: [args.trustBundle] } } : {}),
      podSecurityContext: { runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
      // A read-only root needs somewhere to write: Coder's cache and Terraform's scratch space.
      volumes: [
        { name: "cache", emptyDir: { sizeLimit: "1Gi" } },
        { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
      ],
      volumeMounts: [
        { name: "cache", mountPath: "/home/coder/.cache" },
        { name: "tmp", mountPath: "/tmp" },
      ],
      resources: {
        requests: {
          cpu: args.resources.cpu,
          memory: args.resources.memory,
          "ephemeral-storage": args.resources.ephemeralStorage,
        },
        limits: {
          cpu: args.resources.cpu,
          memory: args.resources.memory,
          "ephemeral-storage": args.resources.ephemeralStorage,
        },
      },
      service: {
        type: args.serviceType === "InternalLoadBalancer" ? "LoadBalancer" : "ClusterIP",
        annotations: args.serviceType === "InternalLoadBalancer" ? INTERNAL_NLB_ANNOTATIONS : {},
      },
    },
  };
}

/**
 * Coder from its official Helm chart, as a helm.v3.Release: Helm keeps its own upgrade and rollback
 * semantics and the chart's hooks, and the policy pack judges the release's values, which determine
 * every object the chart renders.
 */
export class CoderDeployment extends pulumi.ComponentResource {
  /** The Helm release of the official chart. */
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: CoderDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:coder:CoderDeployment", name, {}, opts);
    const childOpts = { parent: this };

    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: {
          name: CREDENTIALS_SECRET,
          namespace: args.namespace,
          annotations: { [POSTGRES_SSLMODE_ANNOTATION]: args.databaseSslMode },
        },
        type: "Opaque",
        stringData: pulumi.secret(args.credentials),
      },
      childOpts,
    );

    const pdb =
      args.replicas > 1
        ? [
            new k8s.policy.v1.PodDisruptionBudget(
              `${name}-pdb`,
              {
                metadata: { name: "coderd", namespace: args.namespace },
                spec: { minAvailable: 1, selector: { matchLabels: { ...CODERD_POD_LABELS } } },
              },
              childOpts,
            ),
          ]
        : [];

    const chart =
      "path" in args.chart
        ? { chart: args.chart.path }
        : { chart: "coder", version: args.chart.version, repositoryOpts: { repo: args.chart.repository } };
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: RELEASE_NAME,
        namespace: args.namespace,
        ...chart,
        values: coderValues(args),
        atomic: true,
        cleanupOnFail: true,
      },
      { ...childOpts, dependsOn: [credentials, ...pdb, ...args.prerequisites] },
    );

    this.registerOutputs({ release: this.release });
  }
}

export { CREDENTIAL_KEYS };
