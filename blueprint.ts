// Composition of the blueprint's layers from validated config. index.ts is only the entry point that
// loads config and calls in here; tests call the same functions with each shipped stack's config.
import * as k8s from "@pulumi/kubernetes";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BlueprintConfig } from "./config";
import { AdmissionRules, WorkspaceAdmission } from "./components/admission";
import { CoderDeployment, CREDENTIAL_KEYS } from "./components/coder";
import { RegistryAccess } from "./components/registry";
import { Certificates, TlsMode } from "./components/tls";
import { EncryptedStorage } from "./components/storage";
import { Namespaces } from "./components/namespaces";
import { NetworkBoundaries, NetworkBoundariesArgs } from "./components/network";
import { WorkspaceQuotas } from "./components/quotas";
import { ScopedServiceAccounts } from "./components/rbac";
import * as aws from "@pulumi/aws";
import { awsSubnetLayout, ipPlanWorkload } from "./config/aws";
import { AwsSettings } from "./config/schema";
import { Keys } from "./components/aws/keys";
import { autoScalingServiceLinkedRoleArn } from "./components/aws/keys/policy";
import { Network } from "./components/aws/network";
import { Cluster } from "./components/aws/cluster";
import { ADDONS } from "./components/aws/cluster/addons";
import { resolveChannel } from "./components/aws/cluster/channels";
import { currentVersions } from "./components/aws/cluster/current";
import { ClusterConnection, clusterProviderFor, kubeconfigFor } from "./components/aws/cluster/kubeconfig";
import { CurrentVersions, planUpgrade, UpgradePlan } from "./components/aws/cluster/upgrades";
import { Addons } from "./components/aws/addons";
import { podIdentityRole } from "./components/aws/addons/pod-identity";
import { NodeGroups, NodePool } from "./components/aws/nodes";
import type { Placement } from "./components/aws/nodes/pools";
import { Registry } from "./components/aws/registry";
import { Database } from "./components/aws/database";

function expandHome(file: string): string {
  return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
}

/**
 * The provider for the stack's own cluster. There is deliberately no fallback to the ambient kubeconfig:
 * Coder's security boundary is a cluster of its own (Coder's shared-responsibility model,
 * docs/responsibility.md: "deploy Coder to its own cluster"), and a program that follows whatever context
 * kubectl points at deploys into whichever cluster that is. On `eks` the cluster is the AWS layer's, reached
 * with a kubeconfig whose user fetches a short-lived token (`aws eks get-token`) on every connection.
 */
export function clusterProvider(cfg: BlueprintConfig, awsLayer?: AwsLayer): k8s.Provider {
  if (cfg.cluster.target === "eks") {
    if (!awsLayer) throw new Error(`stack "${cfg.stack}" targets eks: build the AWS layer first (deployAwsLayer)`);
    // Every Kubernetes resource goes through this provider, so none is sent before nodes can run it.
    return clusterProviderFor("cluster", awsLayer.connection, { dependsOn: awsLayer.computeReady });
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

/** What the Kubernetes layer takes from the AWS layer on `eks`: values AWS computes, and the node pools. */
export interface FromAwsLayer {
  /** The CMK that encrypts workspace volumes. */
  readonly volumeKeyArn: pulumi.Input<string>;
  /** coderd's database URL (RDS, IAM auth, no password). */
  readonly databaseUrl: pulumi.Input<string>;
  /** Where coderd's pods run. */
  readonly coderdPlacement?: Placement;
  /** Where workspace pods must run, published for templates. */
  readonly workspacePlacement?: Placement;
}

/** The ConfigMap, in each workspace namespace, that tells template authors where workspace pods must run. */
export const WORKSPACE_PLACEMENT_CONFIGMAP = "coder-workspace-placement";

/**
 * What the network boundaries open, from config: one mapping, which the shipped-stack spec also uses to
 * hold the pack's open-network-policy-rule settings equal to it.
 */
export function networkSettings(cfg: BlueprintConfig): Omit<NetworkBoundariesArgs, "controlPlane" | "workspaces"> {
  return {
    coderIngress: cfg.network.coderIngress,
    monitoringNamespace: cfg.network.monitoringNamespace,
    kubernetesApi: cfg.network.kubernetesApi,
    postgres: cfg.database?.egress ?? [],
    coderdEgress: cfg.network.coderdEgress,
    gitHostCidrs: cfg.gitProviders.flatMap((p) => p.egressCidrs),
    workspaceEgress: cfg.network.workspaceEgress,
    accessUrlCidrs: cfg.network.accessUrlCidrs,
    clusterCidrs: [...cfg.network.podCidrs, ...cfg.network.serviceCidrs],
  };
}

/**
 * What the workspace admission rules hold workspaces to, from config: one mapping, which the shipped-stack
 * spec and the admission e2e suite use too.
 */
export function admissionSettings(cfg: BlueprintConfig): AdmissionRules {
  return {
    approvedRegistries: cfg.registry.approved,
    allowedCapabilities: cfg.admission.allowedCapabilities,
    allowedSecrets: cfg.admission.allowedSecrets,
    maxVolumeSize: cfg.workspaces.size.homeDisk,
    actions: cfg.admission.actions,
  };
}

export function deployKubernetesLayer(cfg: BlueprintConfig, provider: k8s.Provider, fromAws?: FromAwsLayer) {
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
      ...networkSettings(cfg),
    },
    opts,
  );

  const storage = new EncryptedStorage(
    "storage",
    {
      workspaceClass:
        fromAws && cfg.storage.workspaceClass.driver === "ebs"
          ? { ...cfg.storage.workspaceClass, kmsKeyId: fromAws.volumeKeyArn }
          : cfg.storage.workspaceClass,
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
      ...admissionSettings(cfg),
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

  if (fromAws?.workspacePlacement) {
    // The Kubernetes provider of Coder templates sets the pod spec, so the blueprint can only publish where
    // workspaces belong; the pool's taint keeps every pod without the toleration off it either way.
    const placement = fromAws.workspacePlacement;
    for (const ws of workspaces) {
      new k8s.core.v1.ConfigMap(
        `${WORKSPACE_PLACEMENT_CONFIGMAP}-${ws.name}`,
        {
          metadata: { name: WORKSPACE_PLACEMENT_CONFIGMAP, namespace: ws.ref },
          data: {
            "nodeSelector.json": JSON.stringify(placement.nodeSelector),
            "tolerations.json": JSON.stringify(placement.tolerations),
          },
        },
        opts,
      );
    }
  }

  const databaseUrl = fromAws?.databaseUrl ?? cfg.database?.connectionUrl;
  if (cfg.coder.enabled && cfg.database && databaseUrl !== undefined) {
    const credentials: Record<string, pulumi.Input<string>> = {
      [CREDENTIAL_KEYS.database]: pulumi.secret(databaseUrl),
    };
    if (cfg.oidc) credentials[CREDENTIAL_KEYS.oidc] = pulumi.secret(cfg.oidc.clientSecret);
    for (const p of cfg.gitProviders) credentials[CREDENTIAL_KEYS.git(p.id)] = pulumi.secret(p.clientSecret);
    if (cfg.externalTokenEncryption) {
      // Coder's format: the keys comma-separated, the one that encrypts first.
      credentials[CREDENTIAL_KEYS.tokenEncryption] = pulumi.secret(cfg.externalTokenEncryption.keys.join(","));
    }
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
        placement: fromAws?.coderdPlacement,
        env: {
          accessUrl: cfg.coder.accessUrl,
          wildcardAccessUrl: cfg.coder.wildcardAccessUrl,
          database: { auth: cfg.database.auth },
          oidc: cfg.oidc,
          gitProviders: cfg.gitProviders,
          strictTransportSecuritySeconds: cfg.coder.strictTransportSecuritySeconds,
          disableOwnerWorkspaceAccess: cfg.coder.disableOwnerWorkspaceAccess,
          prometheus: cfg.network.monitoringNamespace !== undefined,
          externalTokenEncryption: cfg.externalTokenEncryption !== undefined,
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

/** The AWS layer's component names; node groups are named `<NODE_GROUPS>-<pool>` in EKS. */
const NODE_GROUPS = "eks-nodes";

/** The EKS names of the stack's node groups, in pool order. */
export function nodeGroupNames(settings: AwsSettings): string[] {
  return settings.nodePools.map((p) => `${NODE_GROUPS}-${p.name}`);
}

function awsSettings(cfg: BlueprintConfig): AwsSettings {
  if (cfg.cluster.target !== "eks" || cfg.aws === undefined) {
    throw new Error(`stack "${cfg.stack}" has no AWS layer (cluster.target is ${cfg.cluster.target})`);
  }
  return cfg.aws;
}

/** What the AWS layer decides before it registers anything. */
export interface AwsPreflight {
  /** What the cluster runs now, read through invokes; "absent" on the first deploy. */
  readonly current: CurrentVersions;
  /** What this `up` sets; planning throws UpgradeSequenceError for an upgrade one `up` cannot make. */
  readonly upgrade: UpgradePlan;
}

/**
 * Checks that could refuse an `eks` stack and need the cloud: the caller's account and region are the
 * stack's, and the upgrade from what runs now to the channel's (or pinned) version is one EKS can make in
 * one `up`. Invokes only, so the program awaits this before it registers its first resource.
 */
export async function awsPreflight(cfg: BlueprintConfig, invoke?: pulumi.InvokeOptions): Promise<AwsPreflight> {
  const settings = awsSettings(cfg);
  const [identity, region] = await Promise.all([aws.getCallerIdentity({}, invoke), aws.getRegion({}, invoke)]);
  if (identity.accountId !== settings.accountId || region.region !== settings.region) {
    throw new Error(
      `stack "${cfg.stack}" deploys to account ${settings.accountId} in ${settings.region}, but the AWS ` +
        `credentials and aws:region point at account ${identity.accountId} in ${region.region}`,
    );
  }
  const names = nodeGroupNames(settings);
  const current = await currentVersions(settings.cluster.name, names, { invoke });
  const target = resolveChannel({ channel: settings.cluster.channel, version: settings.cluster.version });
  return { current, upgrade: planUpgrade(current, { version: target.version, nodeGroups: names }) };
}

/** The AWS layer's outputs the Kubernetes layer and the stack outputs read. */
export interface AwsLayer {
  readonly connection: ClusterConnection;
  /** What must be up before Kubernetes resources can run: the node groups and the add-ons. */
  readonly computeReady: pulumi.Resource[];
  readonly fromAws: FromAwsLayer;
  readonly outputs: Record<string, unknown>;
}

/**
 * The AWS platform layer, in dependency order: the CMK; the VPC sized by the IP capacity plan; the EKS
 * cluster (Secrets under the CMK, API endpoint in the isolated subnets, access entries, the planned
 * version); the add-ons nodes need before they start (VPC CNI with network policy and the IP plan's
 * settings, Pod Identity); the node groups at the cluster's planned version; ECR; RDS; and coderd's own
 * role (rds-db:connect and image pulls, bound to its service account through Pod Identity).
 */
export function deployAwsLayer(
  cfg: BlueprintConfig,
  preflight: AwsPreflight,
  opts: pulumi.ComponentResourceOptions = {},
): AwsLayer {
  const settings = awsSettings(cfg);
  const { protect, tags } = settings;
  const layout = awsSubnetLayout(settings);
  const clusterName = settings.cluster.name;
  const names = nodeGroupNames(settings);
  const nodeVersion = preflight.upgrade.nodeGroups[names[0]].target;
  if (names.some((n) => preflight.upgrade.nodeGroups[n].target !== nodeVersion)) {
    throw new Error("the upgrade plan moves node groups to different versions; the stack pins none");
  }

  const keys = new Keys(
    "cmk",
    {
      description: `Coder cluster ${clusterName}: EKS secrets, EBS volumes, RDS, ECR, log groups`,
      alias: clusterName,
      deletionWindowInDays: settings.keyDeletionWindowDays,
      protect,
      // Whatever it encrypted stays readable when the key leaves the stack.
      retainOnDelete: true,
      ebsEncryptionByDefault: true,
      userRoleArns: settings.autoScalingRoleInKeyPolicy
        ? [autoScalingServiceLinkedRoleArn("aws", settings.accountId)]
        : [],
      tags,
    },
    opts,
  );

  const network = new Network(
    "vpc",
    {
      vpcCidr: settings.vpc.cidr,
      availabilityZones: settings.availabilityZones,
      privateSubnetPrefix: settings.vpc.privateSubnetPrefix,
      publicSubnetPrefix: settings.vpc.publicSubnetPrefix,
      isolatedSubnetPrefix: settings.vpc.isolatedSubnetPrefix,
      podCidr: settings.vpc.podCidr,
      podSubnetPrefix: settings.vpc.podSubnetPrefix,
      natGateways: settings.vpc.natGateways,
      internetFacingLoadBalancers: false,
      workload: ipPlanWorkload(cfg, settings),
      enforceIpPlan: true,
      flowLogRetentionDays: settings.vpc.flowLogRetentionDays,
      flowLogKmsKeyArn: keys.keyArn,
      protect,
      retainOnDelete: protect,
      tags,
    },
    opts,
  );

  const cluster = new Cluster(
    "eks",
    {
      clusterName,
      channel: settings.cluster.channel,
      version: settings.cluster.version,
      current: preflight.current,
      nodeGroupNames: names,
      vpcId: network.vpcId,
      // The API endpoint's interfaces sit where only coderd may reach (network.kubernetesApi on eks).
      subnetIds: network.isolatedSubnetIds,
      serviceIpv4Cidr: cfg.network.serviceCidrs[0],
      secretsKeyArn: keys.keyArn,
      publicAccessCidrs: settings.cluster.publicAccessCidrs,
      privateApiCidrs: settings.cluster.privateApiCidrs,
      extraLogTypes: settings.cluster.extraLogTypes,
      logRetentionDays: settings.cluster.logRetentionDays,
      logKeyArn: keys.keyArn,
      admins: settings.cluster.admins,
      breakGlassRoleArn: settings.cluster.breakGlassRoleArn,
      protect,
      tags,
    },
    opts,
  );

  // CoreDNS and the EBS CSI driver report healthy only once nodes exist; the nodes wait for the CNI.
  const [nodeResources, resolveNodes] = pulumi.deferredOutput<pulumi.Resource[]>();
  const addons = new Addons(
    "eks-addons",
    {
      clusterName: cluster.clusterName,
      addonVersions: Object.fromEntries(ADDONS.map((a) => [a, cluster.addonVersions.apply((v) => v[a])])),
      ipPlan: {
        prefixDelegation: settings.ipPlan.prefixDelegation,
        warmPrefixTarget: settings.ipPlan.warmPrefixTarget,
        warmIpTarget: settings.ipPlan.warmIpTarget,
        minimumIpTarget: settings.ipPlan.minimumIpTarget,
        customNetworking:
          settings.vpc.podCidr === undefined
            ? undefined
            : {
                region: settings.region,
                subnets: Object.fromEntries(Object.entries(network.podSubnetIds).map(([az, id]) => [az, { id }])),
              },
      },
      kmsKeyArn: keys.keyArn,
      cniPodIdentity: true,
      internalLoadBalancers: cfg.coder.service.type === "InternalLoadBalancer",
      nodeGroups: nodeResources,
      tags,
    },
    opts,
  );

  const pools: NodePool[] = settings.nodePools.map((p) => ({
    name: p.name,
    role: p.role,
    amiType: p.amiType,
    instanceTypes: p.instanceTypes,
    capacityType: p.capacityType,
    minSize: p.minSize,
    maxSize: p.maxSize,
    desiredSize: p.desiredSize,
    volumeSizeGiB: p.volumeSizeGiB,
    release: p.release,
    maxUnavailable: p.maxUnavailable,
  }));
  const nodes = new NodeGroups(
    NODE_GROUPS,
    {
      clusterName: cluster.clusterName,
      kubernetesVersion: nodeVersion,
      privateSubnetIds: network.privateSubnetIds,
      kmsKeyArn: keys.keyArn,
      pools,
      cniOnNodeRole: false,
      tags,
    },
    { ...opts, dependsOn: addons.beforeCompute },
  );
  resolveNodes(pulumi.output(nodes.resources));

  // coderd's AWS identity: Pod Identity binds it to exactly coderd's service account.
  const coderd = { namespace: cfg.controlPlane.namespace, serviceAccount: cfg.controlPlane.serviceAccountName };
  const { role: coderdRole } = podIdentityRole(
    "coderd",
    {
      clusterName: cluster.clusterName,
      ...coderd,
      description: `coderd of ${clusterName}: RDS IAM authentication and image pulls`,
      tags,
    },
    opts,
  );

  const registry = new Registry(
    "ecr",
    {
      accountId: settings.accountId,
      region: settings.region,
      namespace: settings.registry.namespace,
      repositories: settings.registry.repositories,
      kmsKeyArn: keys.keyArn,
      pullPrincipalArns: [nodes.nodeRoleArn, coderdRole.arn],
      untaggedExpiryDays: settings.registry.untaggedExpiryDays,
      scanType: settings.registry.scanType,
      pullThroughCaches: settings.registry.pullThroughCaches,
      cacheCreationRoleArn: settings.registry.cacheCreationRoleArn,
      protect,
      retainOnDelete: protect,
      tags,
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    "eks-nodes-registry-pull",
    {
      role: nodes.nodeRoleName,
      policyArn: registry.pullPolicyArn,
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    "coderd-registry-pull",
    {
      role: coderdRole.name,
      policyArn: registry.pullPolicyArn,
    },
    opts,
  );

  const db = settings.database;
  const database = new Database(
    "rds",
    {
      accountId: settings.accountId,
      region: settings.region,
      vpcId: network.vpcId,
      privateSubnetIds: network.isolatedSubnetIds,
      privateSubnetCidrs: layout.isolated,
      // Nodes and, under custom networking without pod security groups, pods use the cluster security group.
      clientSecurityGroupIds: [cluster.clusterSecurityGroupId],
      kmsKeyArn: keys.keyArn,
      engineVersion: db.engineVersion,
      instanceClass: db.instanceClass,
      allocatedStorageGb: db.allocatedStorageGb,
      maxAllocatedStorageGb: db.maxAllocatedStorageGb,
      multiAz: db.multiAz,
      backupRetentionDays: db.backupRetentionDays,
      performanceInsights: db.performanceInsights,
      databaseName: db.databaseName,
      masterUsername: db.masterUsername,
      coderUsername: db.coderUsername,
      caCertIdentifier: db.caCertIdentifier,
      caBundlePem: db.caBundlePem,
      protect,
      retainOnDelete: protect,
      tags,
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    "coderd-rds-connect",
    {
      role: coderdRole.name,
      policyArn: database.connectPolicyArn,
    },
    opts,
  );

  const connection: ClusterConnection = {
    clusterName: cluster.clusterName,
    endpoint: cluster.endpoint,
    certificateAuthorityData: cluster.certificateAuthorityData,
    region: settings.region,
  };
  return {
    connection,
    computeReady: [nodes, addons],
    fromAws: {
      volumeKeyArn: keys.keyArn,
      databaseUrl: database.connectionUrl,
      coderdPlacement: nodes.placements.coderd,
      workspacePlacement: nodes.placements.workspaces,
    },
    outputs: {
      ipPlan: network.ipPlan,
      ipPlanMarkdown: network.ipPlanMarkdown,
      upgradeReport: cluster.upgradeReport,
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      // The user runs `aws eks get-token`: nothing secret is in it.
      kubeconfig: kubeconfigFor(connection),
      approvedRegistries: registry.approvedPrefixes,
      databaseBootstrapSql: database.bootstrapSql,
    },
  };
}

/**
 * The whole stack once the preflight (eks only) has passed: the AWS layer, then the Kubernetes layer on it.
 * `awsOptions` go to every AWS resource the program itself creates (tests record options through them).
 */
export function deployStack(
  cfg: BlueprintConfig,
  preflight?: AwsPreflight,
  awsOptions?: pulumi.ComponentResourceOptions,
) {
  if (cfg.cluster.target !== "eks") return { outputs: deployKubernetesLayer(cfg, clusterProvider(cfg)) };
  if (!preflight) throw new Error(`stack "${cfg.stack}" targets eks: run awsPreflight first`);
  const awsLayer = deployAwsLayer(cfg, preflight, awsOptions);
  const outputs = deployKubernetesLayer(cfg, clusterProvider(cfg, awsLayer), awsLayer.fromAws);
  return { outputs, ...awsLayer.outputs };
}

/** The program: everything that can refuse the stack runs before the first resource is registered. */
export async function deployBlueprint(cfg: BlueprintConfig) {
  const preflight = cfg.cluster.target === "eks" ? await awsPreflight(cfg) : undefined;
  return deployStack(cfg, preflight);
}
