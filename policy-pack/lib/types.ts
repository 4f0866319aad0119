// Resource type tokens the policies judge. Policies match on tokens rather than on SDK classes so the
// pack needs neither @pulumi/kubernetes nor @pulumi/aws, and so Patch variants are covered explicitly.

export const K8S = {
  namespace: "kubernetes:core/v1:Namespace",
  namespacePatch: "kubernetes:core/v1:NamespacePatch",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  configMapPatch: "kubernetes:core/v1:ConfigMapPatch",
  service: "kubernetes:core/v1:Service",
  servicePatch: "kubernetes:core/v1:ServicePatch",
  resourceQuota: "kubernetes:core/v1:ResourceQuota",
  resourceQuotaPatch: "kubernetes:core/v1:ResourceQuotaPatch",
  limitRange: "kubernetes:core/v1:LimitRange",
  limitRangePatch: "kubernetes:core/v1:LimitRangePatch",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  networkPolicyPatch: "kubernetes:networking.k8s.io/v1:NetworkPolicyPatch",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  storageClassPatch: "kubernetes:storage.k8s.io/v1:StorageClassPatch",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  rolePatch: "kubernetes:rbac.authorization.k8s.io/v1:RolePatch",
  clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  clusterRolePatch: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRolePatch",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  roleBindingPatch: "kubernetes:rbac.authorization.k8s.io/v1:RoleBindingPatch",
  clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
  clusterRoleBindingPatch: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch",
  validatingAdmissionPolicy: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
  validatingAdmissionPolicyPatch: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyPatch",
  validatingAdmissionPolicyBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
  validatingAdmissionPolicyBindingPatch:
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBindingPatch",
  helmReleaseV3: "kubernetes:helm.sh/v3:Release",
  helmChartV3: "kubernetes:helm.sh/v3:Chart",
  helmChartV4: "kubernetes:helm.sh/v4:Chart",
} as const;

/** Resources that install a Helm chart into the namespace given by their own `namespace` input. */
export const HELM_CHART_TYPES: readonly string[] = [K8S.helmReleaseV3, K8S.helmChartV3, K8S.helmChartV4];

export const RBAC_ROLES: readonly string[] = [K8S.role, K8S.rolePatch, K8S.clusterRole, K8S.clusterRolePatch];
export const RBAC_BINDINGS: readonly string[] = [
  K8S.roleBinding,
  K8S.roleBindingPatch,
  K8S.clusterRoleBinding,
  K8S.clusterRoleBindingPatch,
];

/**
 * Kubernetes types that are components, not objects sent to a cluster: the engine gives them no provider,
 * and their children (which do have one) are judged on their own.
 */
export const K8S_COMPONENT_TYPES: ReadonlySet<string> = new Set([
  K8S.helmChartV3,
  K8S.helmChartV4,
  "kubernetes:yaml:ConfigFile",
  "kubernetes:yaml:ConfigGroup",
  "kubernetes:yaml/v2:ConfigFile",
  "kubernetes:yaml/v2:ConfigGroup",
  "kubernetes:kustomize:Directory",
  "kubernetes:kustomize/v2:Directory",
]);

export const AWS = {
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  eksPodIdentityAssociation: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  kmsKey: "aws:kms/key:Key",
  ebsVolume: "aws:ebs/volume:Volume",
  ecrRepository: "aws:ecr/repository:Repository",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamPolicy: "aws:iam/policy:Policy",
  iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  eksAccessEntry: "aws:eks/accessEntry:AccessEntry",
  eksAccessPolicyAssociation: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  eksAddon: "aws:eks/addon:Addon",
  kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  ecrRepositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  ecrRegistryPolicy: "aws:ecr/registryPolicy:RegistryPolicy",
  ecrPullThroughCacheRule: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
  ec2Instance: "aws:ec2/instance:Instance",
  launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  ebsEncryptionByDefault: "aws:ebs/encryptionByDefault:EncryptionByDefault",
  ebsSnapshotCreateVolumePermission: "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
  amiLaunchPermission: "aws:ec2/amiLaunchPermission:AmiLaunchPermission",
  rdsSnapshot: "aws:rds/snapshot:Snapshot",
  rdsClusterSnapshot: "aws:rds/clusterSnapshot:ClusterSnapshot",
} as const;

/** Human names for messages: "EKS cluster "prod"" reads better than the type token. */
export const AWS_KINDS: Record<string, string> = {
  [AWS.eksCluster]: "EKS cluster",
  [AWS.eksNodeGroup]: "EKS node group",
  [AWS.eksPodIdentityAssociation]: "EKS pod identity association",
  [AWS.launchTemplate]: "Launch template",
  [AWS.kmsKey]: "KMS key",
  [AWS.ebsVolume]: "EBS volume",
  [AWS.ecrRepository]: "ECR repository",
  [AWS.iamRole]: "IAM role",
  [AWS.iamRolePolicy]: "IAM role policy",
  [AWS.iamPolicy]: "IAM policy",
  [AWS.iamRolePolicyAttachment]: "IAM role policy attachment",
  [AWS.iamPolicyAttachment]: "IAM policy attachment",
  [AWS.rdsInstance]: "RDS instance",
  [AWS.rdsCluster]: "RDS cluster",
  [AWS.rdsClusterInstance]: "RDS cluster instance",
  [AWS.eksAccessEntry]: "EKS access entry",
  [AWS.eksAccessPolicyAssociation]: "EKS access policy association",
  [AWS.eksAddon]: "EKS add-on",
  [AWS.kmsKeyPolicy]: "KMS key policy",
  [AWS.ecrRepositoryPolicy]: "ECR repository policy",
  [AWS.ecrRegistryPolicy]: "ECR registry policy",
  [AWS.ecrPullThroughCacheRule]: "ECR pull-through cache rule",
  [AWS.ec2Instance]: "EC2 instance",
  [AWS.launchConfiguration]: "Launch configuration",
  [AWS.securityGroup]: "Security group",
  [AWS.securityGroupRule]: "Security group rule",
  [AWS.securityGroupIngressRule]: "Security group ingress rule",
  [AWS.ebsEncryptionByDefault]: "EBS encryption by default",
  [AWS.ebsSnapshotCreateVolumePermission]: "EBS snapshot volume permission",
  [AWS.amiLaunchPermission]: "AMI launch permission",
  [AWS.rdsSnapshot]: "RDS snapshot",
  [AWS.rdsClusterSnapshot]: "RDS cluster snapshot",
};

/** "kubernetes:apps/v1:DeploymentPatch" -> "DeploymentPatch". */
export function kindOf(type: string): string {
  return AWS_KINDS[type] ?? type.slice(type.lastIndexOf(":") + 1);
}

export function isPatch(type: string): boolean {
  return type.startsWith("kubernetes:") && type.endsWith("Patch");
}
