// The Kubernetes layer's connection to the EKS cluster (docs/responsibility.md rows `dedicated-cluster`
// and `control-plane-access`): a kubeconfig built from the cluster's own outputs whose user fetches a
// short-lived token with `aws eks get-token` on every connection. Nothing secret lands in the state: the
// endpoint and CA certificate are public, and the token is never written anywhere.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface KubeconfigValues {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The API server URL. */
  readonly endpoint: string;
  /** The cluster CA certificate, base64-encoded as EKS returns it. */
  readonly certificateAuthorityData: string;
  /** The cluster's AWS region. */
  readonly region: string;
  /** An IAM role `aws eks get-token` assumes first; the ambient AWS identity when omitted. */
  readonly roleArn?: string;
  /** A named AWS CLI profile to take credentials from; the ambient one when omitted. */
  readonly profile?: string;
}

/** The kubeconfig as JSON (a YAML subset, which the Kubernetes provider accepts). */
export function buildKubeconfig(v: KubeconfigValues): string {
  const args = ["eks", "get-token", "--cluster-name", v.clusterName, "--region", v.region, "--output", "json"];
  if (v.roleArn !== undefined) args.push("--role-arn", v.roleArn);
  const context = v.clusterName;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: context, cluster: { server: v.endpoint, "certificate-authority-data": v.certificateAuthorityData } },
    ],
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args,
            ...(v.profile === undefined ? {} : { env: [{ name: "AWS_PROFILE", value: v.profile }] }),
            // Runs under `pulumi up` with no terminal to prompt on.
            interactiveMode: "Never",
          },
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
  });
}

export interface ClusterConnection {
  readonly clusterName: pulumi.Input<string>;
  readonly endpoint: pulumi.Input<string>;
  readonly certificateAuthorityData: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly roleArn?: pulumi.Input<string>;
  readonly profile?: pulumi.Input<string>;
}

/** The kubeconfig for `c`, once the cluster's outputs are known. */
export function kubeconfigFor(c: ClusterConnection): pulumi.Output<string> {
  return pulumi
    .all([c.clusterName, c.endpoint, c.certificateAuthorityData, c.region, c.roleArn, c.profile])
    .apply(([clusterName, endpoint, certificateAuthorityData, region, roleArn, profile]) =>
      buildKubeconfig({ clusterName, endpoint, certificateAuthorityData, region, roleArn, profile }),
    );
}

/**
 * The Kubernetes provider for the cluster. `clusterIdentifier` is the cluster's name, so a change in how
 * credentials are fetched (a new role or profile) updates the provider instead of replacing every
 * Kubernetes resource; only a different cluster replaces them.
 */
export function clusterProviderFor(
  name: string,
  c: ClusterConnection,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider {
  return new k8s.Provider(name, { kubeconfig: kubeconfigFor(c), clusterIdentifier: c.clusterName }, opts);
}
