// The pack's policy list, kept apart from index.ts: constructing a PolicyPack starts the analyzer's
// gRPC server, so tests and tools import this list instead.
import { ecrMutableTags } from "./aws/ecr-mutable-tags";
import { ecrPullThroughCacheUnscoped } from "./aws/ecr-pull-through-cache-unscoped";
import { ecrPushFromClusterRole } from "./aws/ecr-push-from-cluster-role";
import { ecrScanOnPushDisabled } from "./aws/ecr-scan-on-push-disabled";
import { eksAuditLoggingDisabled } from "./aws/eks-audit-logging-disabled";
import { eksClusterAdminAccess } from "./aws/eks-cluster-admin-access";
import { eksConfigMapAuth } from "./aws/eks-config-map-auth";
import { eksCreatorAdminBootstrap } from "./aws/eks-creator-admin-bootstrap";
import { eksExtendedSupport } from "./aws/eks-extended-support";
import { eksPublicEndpoint } from "./aws/eks-public-endpoint";
import { eksSecretsUnencrypted } from "./aws/eks-secrets-unencrypted";
import { eksUnsupportedVersion } from "./aws/eks-unsupported-version";
import { kmsEcrWildcardPrincipal } from "./aws/kms-ecr-wildcard-principal";
import { kmsKeyRotationDisabled } from "./aws/kms-key-rotation-disabled";
import { nodeImdsExposed } from "./aws/node-imds-exposed";
import { nodeRemoteAccess } from "./aws/node-remote-access";
import { nodeVersionSkew } from "./aws/node-version-skew";
import { openSecurityGroup } from "./aws/open-security-group";
import { publicRdsDatabase } from "./aws/public-rds-database";
import { rdsWithoutDeletionProtection } from "./aws/rds-without-deletion-protection";
import { snapshotSharedOutsideAccount } from "./aws/snapshot-shared-outside-account";
import { unencryptedEbsVolume } from "./aws/unencrypted-ebs-volume";
import { unencryptedNodeVolumes } from "./aws/unencrypted-node-volumes";
import { unencryptedRdsStorage } from "./aws/unencrypted-rds-storage";
import { vpcCniNetworkPolicyDisabled } from "./aws/vpc-cni-network-policy-disabled";
import { coderDatabaseTlsUnverified } from "./coder/coder-database-tls-unverified";
import { coderReleaseBroadGitScopes } from "./coder/coder-release-broad-git-scopes";
import { coderReleaseDuplicateGitProviders } from "./coder/coder-release-duplicate-git-providers";
import { coderReleaseInternetFacingService } from "./coder/coder-release-internet-facing-service";
import { coderReleaseManagedGitOauthApp } from "./coder/coder-release-managed-git-oauth-app";
import { coderReleaseManagedGithubLogin } from "./coder/coder-release-managed-github-login";
import { coderReleaseOidcIssuerChecksSkipped } from "./coder/coder-release-oidc-issuer-checks-skipped";
import { coderReleasePasswordAuthWithOidc } from "./coder/coder-release-password-auth-with-oidc";
import { coderReleasePlaintextSecrets } from "./coder/coder-release-plaintext-secrets";
import { coderReleaseUnhardenedValues } from "./coder/coder-release-unhardened-values";
import { coderReleaseWithoutTls } from "./coder/coder-release-without-tls";
import { coderReleaseOidcEmailUnverified } from "./coder/coder-release-oidc-email-unverified";
import { coderReleaseOpenGithubLogin } from "./coder/coder-release-open-github-login";
import { coderReleaseOwnerWorkspaceAccess } from "./coder/coder-release-owner-workspace-access";
import { coderReleaseWeakTls } from "./coder/coder-release-weak-tls";
import { coderReleaseUnencryptedExternalTokens } from "./coder/coder-release-unencrypted-external-tokens";
import { coderReleaseUnrestrictedOidc } from "./coder/coder-release-unrestricted-oidc";
import { addedCapabilities } from "./kubernetes/added-capabilities";
import { ambientKubernetesProvider } from "./kubernetes/ambient-kubernetes-provider";
import { bindingToWildcardRole } from "./kubernetes/binding-to-wildcard-role";
import { clusterAdminBinding } from "./kubernetes/cluster-admin-binding";
import { clusterWideCoderdBinding } from "./kubernetes/cluster-wide-coderd-binding";
import { escalationVerbs } from "./kubernetes/escalation-verbs";
import { exposedWorkspaceService } from "./kubernetes/exposed-workspace-service";
import { hostNamespacesAndPaths } from "./kubernetes/host-namespaces-and-paths";
import { internetFacingLoadBalancer } from "./kubernetes/internet-facing-load-balancer";
import { latestImageTag } from "./kubernetes/latest-image-tag";
import { missingDefaultDenyNetworkPolicy } from "./kubernetes/missing-default-deny-network-policy";
import { missingEphemeralStorageLimit } from "./kubernetes/missing-ephemeral-storage-limit";
import { missingSeccompProfile } from "./kubernetes/missing-seccomp-profile";
import { missingWorkspaceAdmission } from "./kubernetes/missing-workspace-admission";
import { namespaceWithoutPodSecurity } from "./kubernetes/namespace-without-pod-security";
import { openNetworkPolicyRule } from "./kubernetes/open-network-policy-rule";
import { openWorkspaceSshEgress } from "./kubernetes/open-workspace-ssh-egress";
import { patchedBlueprintSecurityObject } from "./kubernetes/patched-blueprint-security-object";
import { privilegedContainers } from "./kubernetes/privileged-containers";
import { rootContainers } from "./kubernetes/root-containers";
import { unapprovedImages } from "./kubernetes/unapproved-images";
import { unencryptedStorageClass } from "./kubernetes/unencrypted-storage-class";
import { wildcardRbacRule } from "./kubernetes/wildcard-rbac-rule";
import { workspaceEgressToCloudMetadata } from "./kubernetes/workspace-egress-to-cloud-metadata";
import { workspaceNamespaceWithoutQuota } from "./kubernetes/workspace-namespace-without-quota";
// Judged by effect: workspace namespaces, resolved RBAC, Pod Security, exposure, opaque resources.
import { dangerousRbacGrant } from "./kubernetes/dangerous-rbac-grant";
import { everyoneRbacSubject } from "./kubernetes/everyone-rbac-subject";
import { coderdBindingOutsideWorkspaces } from "./kubernetes/coderd-binding-outside-workspaces";
import { serviceAccountTokenSecret } from "./kubernetes/service-account-token-secret";
import { workloadAsCoderdServiceAccount } from "./kubernetes/workload-as-coderd-service-account";
import { podSecurityStandards } from "./kubernetes/pod-security-standards";
import { hostPathPersistentVolume } from "./kubernetes/host-path-persistent-volume";
import { nodePortOrExternalIps } from "./kubernetes/node-port-or-external-ips";
import { internetFacingIngress } from "./kubernetes/internet-facing-ingress";
import { unapprovedHelmRelease } from "./kubernetes/unapproved-helm-release";
import { unapprovedMutatingWebhook } from "./kubernetes/unapproved-mutating-webhook";
import { unlabelledWorkspaceNamespace } from "./kubernetes/unlabelled-workspace-namespace";
import { impostorControlPlaneNamespace } from "./kubernetes/impostor-control-plane-namespace";
import { DescribedPolicy } from "../lib/metadata";
import { Policies } from "@pulumi/policy";

export const PACK_NAME = "coder-blueprint-policies";

/** Applies only to a policy that sets no level of its own; every policy here sets one. */
export const PACK_ENFORCEMENT_LEVEL = "advisory" as const;

/** Every policy with its metadata, in the order the pack README lists them. */
export const describedPolicies: DescribedPolicy[] = [
  // Kubernetes: the dedicated cluster
  ambientKubernetesProvider,
  // Kubernetes: storage
  unencryptedStorageClass,
  workspaceNamespaceWithoutQuota,
  missingEphemeralStorageLimit,
  // Kubernetes: network boundaries and exposure
  missingDefaultDenyNetworkPolicy,
  openNetworkPolicyRule,
  patchedBlueprintSecurityObject,
  workspaceEgressToCloudMetadata,
  openWorkspaceSshEgress,
  internetFacingLoadBalancer,
  exposedWorkspaceService,
  // Kubernetes: roles
  clusterAdminBinding,
  bindingToWildcardRole,
  wildcardRbacRule,
  escalationVerbs,
  clusterWideCoderdBinding,
  // Kubernetes: pod and node security
  namespaceWithoutPodSecurity,
  privilegedContainers,
  hostNamespacesAndPaths,
  addedCapabilities,
  rootContainers,
  missingSeccompProfile,
  unapprovedImages,
  latestImageTag,
  // Kubernetes: runtime admission of what coderd creates
  missingWorkspaceAdmission,
  // Kubernetes: judged by effect (workspace namespaces, resolved RBAC, Pod Security, exposure, opaque resources)
  dangerousRbacGrant,
  everyoneRbacSubject,
  coderdBindingOutsideWorkspaces,
  serviceAccountTokenSecret,
  workloadAsCoderdServiceAccount,
  podSecurityStandards,
  hostPathPersistentVolume,
  nodePortOrExternalIps,
  internetFacingIngress,
  unapprovedHelmRelease,
  unapprovedMutatingWebhook,
  unlabelledWorkspaceNamespace,
  impostorControlPlaneNamespace,
  // Coder Helm release
  coderReleaseWithoutTls,
  coderReleaseWeakTls,
  coderReleasePasswordAuthWithOidc,
  coderReleaseOidcIssuerChecksSkipped,
  coderReleaseOidcEmailUnverified,
  coderReleaseUnrestrictedOidc,
  coderReleaseManagedGithubLogin,
  coderReleaseOpenGithubLogin,
  coderReleaseOwnerWorkspaceAccess,
  coderReleaseUnencryptedExternalTokens,
  coderReleaseDuplicateGitProviders,
  coderReleaseBroadGitScopes,
  coderReleaseManagedGitOauthApp,
  coderReleasePlaintextSecrets,
  coderReleaseInternetFacingService,
  coderReleaseUnhardenedValues,
  coderDatabaseTlsUnverified,
  // AWS: EKS control plane
  eksSecretsUnencrypted,
  eksPublicEndpoint,
  eksAuditLoggingDisabled,
  eksCreatorAdminBootstrap,
  eksClusterAdminAccess,
  eksConfigMapAuth,
  eksExtendedSupport,
  eksUnsupportedVersion,
  // AWS: nodes
  nodeImdsExposed,
  unencryptedNodeVolumes,
  nodeRemoteAccess,
  nodeVersionSkew,
  // AWS: network
  vpcCniNetworkPolicyDisabled,
  openSecurityGroup,
  // AWS: data and registry
  kmsKeyRotationDisabled,
  kmsEcrWildcardPrincipal,
  unencryptedEbsVolume,
  ecrMutableTags,
  ecrScanOnPushDisabled,
  ecrPushFromClusterRole,
  ecrPullThroughCacheUnscoped,
  snapshotSharedOutsideAccount,
  unencryptedRdsStorage,
  publicRdsDatabase,
  rdsWithoutDeletionProtection,
];

/** The same list as the engine sees it. */
export const policies: Policies = describedPolicies;
