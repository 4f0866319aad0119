// Composition of the blueprint's layers from validated config. index.ts is only the entry point that
// loads config and calls in here; tests call the same functions with each shipped stack's config.
import * as k8s from "@pulumi/kubernetes";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BlueprintConfig } from "./config";
import { admissionImagePrefixes, WorkspaceAdmission } from "./components/admission";
import { CoderDeployment, CREDENTIAL_KEYS } from "./components/coder";
import { RegistryAccess } from "./components/registry";
import { Certificates, TlsMode } from "./components/tls";
import { EncryptedStorage } from "./components/storage";
import { Namespaces } from "./components/namespaces";
import { NetworkBoundaries } from "./components/network";
import { WorkspaceQuotas } from "./components/quotas";
import { ScopedServiceAccounts } from "./components/rbac";

export class DedicatedClusterError extends Error {}

function expandHome(file: string): string {
  return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
}

/**
 * The provider for the stack's own cluster. There is deliberately no fallback to the ambient kubeconfig:
 * Coder's security boundary is a cluster of its own (Coder's shared-responsibility model,
 * docs/responsibility.md: "deploy Coder to its own cluster"), and a program that follows whatever context
 * kubectl points at deploys into whichever cluster that is.
 */
export function clusterProvider(cfg: BlueprintConfig): k8s.Provider {
  if (cfg.cluster.target === "eks") {
    throw new DedicatedClusterError(
      `Stack "${cfg.stack}" targets its own EKS cluster (coder-blueprint:cluster.target: eks), ` +
        `which the AWS platform layer creates; that layer is not part of this release yet. ` +
        `The blueprint refuses to fall back to the ambient kubeconfig. ` +
        `To try the Kubernetes layer now, use the "local" stack, or set coder-blueprint:cluster to ` +
        `{target: existing, kubeconfig: <file>, context: <name>} for a cluster dedicated to Coder.`,
    );
  }
  return new k8s.Provider("cluster", {
    kubeconfig: expandHome(cfg.cluster.kubeconfig),
    context: cfg.cluster.context,
    // Rotating kubeconfig credentials must not look like a new cluster and replace every resource.
    clusterIdentifier: cfg.cluster.context,
  });
}

function tlsMode(cfg: BlueprintConfig): TlsMode {
  const t = cfg.tls;
  if (t.mode === "provided")
    return {
      mode: "provided",
      certificate: t.provided.certificate,
      privateKey: pulumi.secret(t.provided.privateKey),
    };
  if (t.mode === "none") return { mode: "none" };
  return {
    mode: "private-ca",
    algorithm: t.algorithm,
    validityHours: t.validityHours,
    earlyRenewalHours: t.earlyRenewalHours,
    caValidityHours: t.caValidityHours,
    ca: t.ca ? { certificate: t.ca.certificate, privateKey: pulumi.secret(t.ca.privateKey) } : undefined,
  };
}

/** The names coderd's certificate must cover: what users type, what workspace apps use, what agents dial in-cluster. */
export function coderdDnsNames(cfg: BlueprintConfig): string[] {
  const ns = cfg.controlPlane.namespace;
  return [
    new URL(cfg.coder.accessUrl).hostname,
    ...(cfg.coder.wildcardAccessUrl ? [cfg.coder.wildcardAccessUrl] : []),
    `coder.${ns}.svc`,
    `coder.${ns}.svc.cluster.local`,
  ];
}

export function deployKubernetesLayer(cfg: BlueprintConfig, provider: k8s.Provider) {
  // Every component's Kubernetes children inherit the stack's own provider through `parent`.
  const opts = { provider };
  const namespaces = new Namespaces(
    "namespaces",
    {
      controlPlaneNamespace: cfg.controlPlane.namespace,
      workspaceNamespaces: cfg.workspaces.namespaces,
      workspacePodSecurity: cfg.workspaces.podSecurity,
      podSecurityVersion: cfg.workspaces.podSecurity.version,
    },
    opts,
  );
  const controlPlane = { name: cfg.controlPlane.namespace, ref: namespaces.controlPlaneName };
  const workspaces = cfg.workspaces.namespaces.map((name, i) => ({ name, ref: namespaces.workspaceNames[i] }));

  new NetworkBoundaries(
    "network",
    {
      controlPlane,
      workspaces,
      coderIngress: cfg.network.coderIngress,
      monitoringNamespace: cfg.network.monitoringNamespace,
      kubernetesApi: cfg.network.kubernetesApi,
      postgres: cfg.database?.egress ?? [],
      coderdEgress: cfg.network.coderdEgress,
      gitHostCidrs: cfg.gitProviders.flatMap((p) => p.egressCidrs),
      workspaceEgress: cfg.network.workspaceEgress,
      accessUrlCidrs: cfg.network.accessUrlCidrs,
      clusterCidrs: [...cfg.network.podCidrs, ...cfg.network.serviceCidrs],
    },
    opts,
  );

  const storage = new EncryptedStorage(
    "storage",
    {
      workspaceClass: cfg.storage.workspaceClass,
      demoteDefaultClasses: cfg.storage.demoteDefaultClasses,
    },
    opts,
  );

  new WorkspaceQuotas(
    "quotas",
    {
      namespaces: workspaces,
      maxWorkspaces: cfg.workspaces.maxWorkspaces,
      size: cfg.workspaces.size,
      servicesPerWorkspace: cfg.workspaces.servicesPerWorkspace,
    },
    opts,
  );

  const registry = new RegistryAccess(
    "registry",
    {
      namespaces: [controlPlane, ...workspaces],
      pull:
        cfg.registry.pull.mode === "docker-config"
          ? { ...cfg.registry.pull, dockerConfigJson: pulumi.secret(cfg.registry.pull.dockerConfigJson) }
          : cfg.registry.pull,
    },
    opts,
  );

  new WorkspaceAdmission(
    "admission",
    {
      workspaces,
      namespaceResources: namespaces.workspaces,
      approvedRegistries: admissionImagePrefixes(cfg.registry.approved),
      allowedCapabilities: cfg.admission.allowedCapabilities,
      allowedSecrets: cfg.admission.allowedSecrets,
      maxVolumeSize: cfg.workspaces.size.homeDisk,
      actions: cfg.admission.actions,
    },
    opts,
  );

  const accounts = new ScopedServiceAccounts(
    "rbac",
    {
      controlPlane,
      workspaces,
      coderdServiceAccount: cfg.controlPlane.serviceAccountName,
      workspaceServiceAccount: cfg.workspaces.serviceAccountName,
      allowDeployments: cfg.workspaces.allowDeployments,
      imagePullSecret: registry.pullSecretName,
      coderdAnnotations: cfg.controlPlane.serviceAccountAnnotations,
    },
    opts,
  );

  const certificates = new Certificates(
    "tls",
    {
      namespace: controlPlane.ref,
      tls: tlsMode(cfg),
      dnsNames: coderdDnsNames(cfg),
      trustedCaCertificates: cfg.tls.trustedCaCertificates,
      applicationCertificates: cfg.tls.mode === "private-ca" ? cfg.tls.applicationCertificates : [],
      publishCaTo: workspaces,
    },
    opts,
  );

  if (cfg.coder.enabled && cfg.database) {
    const credentials: Record<string, pulumi.Input<string>> = {
      [CREDENTIAL_KEYS.database]: pulumi.secret(cfg.database.connectionUrl),
    };
    if (cfg.oidc) credentials[CREDENTIAL_KEYS.oidc] = pulumi.secret(cfg.oidc.clientSecret);
    for (const p of cfg.gitProviders) credentials[CREDENTIAL_KEYS.git(p.id)] = pulumi.secret(p.clientSecret);
    new CoderDeployment(
      "coder",
      {
        namespace: controlPlane.ref,
        chart: cfg.coder.chart,
        image: cfg.coder.image,
        replicas: cfg.coder.replicas,
        serviceType: cfg.coder.service.type,
        resources: cfg.coder.resources,
        serviceAccountName: accounts.coderdName,
        tlsSecretNames: certificates.servingSecretNames,
        tlsCertificate: certificates.servingCertificate,
        trustBundle: certificates.trustBundle,
        imagePullSecret: registry.pullSecretName,
        credentials,
        prerequisites: [certificates, accounts, registry],
        databaseSslMode: cfg.database.sslMode,
        env: {
          accessUrl: cfg.coder.accessUrl,
          wildcardAccessUrl: cfg.coder.wildcardAccessUrl,
          database: { auth: cfg.database.auth },
          oidc: cfg.oidc,
          gitProviders: cfg.gitProviders,
          strictTransportSecuritySeconds: cfg.coder.strictTransportSecuritySeconds,
          disableOwnerWorkspaceAccess: cfg.coder.disableOwnerWorkspaceAccess,
          prometheus: cfg.network.monitoringNamespace !== undefined,
        },
      },
      opts,
    );
  }

  return {
    controlPlaneNamespace: namespaces.controlPlaneName,
    workspaceNamespaces: namespaces.workspaceNames,
    workspaceStorageClass: storage.className,
    coderdServiceAccount: accounts.coderdName,
  };
}
