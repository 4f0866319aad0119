// The pack matches type tokens and property names as strings, so a typo would silently make a policy
// judge nothing. This checks them against the SDKs the blueprint installs: every token the pack names
// is registered by @pulumi/kubernetes or @pulumi/aws, and every property the AWS fixtures set (the
// properties the AWS policies read) is declared on the resource's Args or nested input type.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AWS, K8S } from "../../policy-pack/lib/types";
import { WORKLOAD_TYPES } from "../../policy-pack/lib/workloads";
import * as aws from "../../policy-pack/test/fixtures/aws";

const SDK = (pkg: string) => path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));

function registeredTokens(pkg: string): Set<string> {
  const tokens = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== "node_modules") walk(p);
      else if (e.name.endsWith(".js"))
        for (const m of fs.readFileSync(p, "utf8").matchAll(/__pulumiType = '([^']+)'/g)) tokens.add(m[1]);
    }
  };
  walk(SDK(pkg));
  return tokens;
}

/** Property names declared in `interface <name> { ... }` of a .d.ts file. */
function declared(file: string, iface: string): Set<string> {
  const text = fs.readFileSync(file, "utf8");
  const start = text.search(new RegExp(`interface ${iface} \\{`));
  assert.ok(start >= 0, `interface ${iface} not found in ${file}`);
  const body = text.slice(start, findClose(text, start));
  return new Set([...body.matchAll(/^\s+(?:readonly )?([a-zA-Z0-9]+)\??:/gm)].map((m) => m[1]));
}

function findClose(text: string, start: number): number {
  let depth = 0;
  for (let i = text.indexOf("{", start); i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return text.length;
}

describe("type tokens and property names match the installed SDKs", function () {
  this.timeout(60000);

  it("every Kubernetes token the pack names is registered by @pulumi/kubernetes", () => {
    const tokens = registeredTokens("kubernetes");
    const ours = [...Object.values(K8S), ...WORKLOAD_TYPES];
    assert.deepStrictEqual(
      ours.filter((t) => !tokens.has(t)),
      [],
    );
  });

  it("every AWS token the pack names is registered by @pulumi/aws", () => {
    const tokens = registeredTokens("aws");
    assert.deepStrictEqual(
      Object.values(AWS).filter((t) => !tokens.has(t)),
      [],
    );
  });

  const awsDir = SDK("aws");
  const argsFile = (token: string) => {
    const [, mod, file] = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):/.exec(token)!;
    return path.join(awsDir, mod, `${file}.d.ts`);
  };
  const OUTPUTS_ONLY = new Set(["arn"]);
  /** Resources the specs build inline, and the input properties the policies read on them. */
  const SPEC_ONLY_PROPERTIES: Record<string, string[]> = {
    [AWS.ebsVolume]: ["encrypted", "kmsKeyId"],
    [AWS.ebsSnapshotCreateVolumePermission]: ["snapshotId", "accountId"],
    [AWS.amiLaunchPermission]: ["imageId", "accountId", "group", "organizationArn", "organizationalUnitArn"],
    [AWS.rdsSnapshot]: ["sharedAccounts"],
    [AWS.rdsClusterSnapshot]: ["dbClusterIdentifier", "dbClusterSnapshotIdentifier", "sharedAccounts"],
    [AWS.securityGroupRule]: ["type", "protocol", "fromPort", "toPort", "cidrBlocks", "ipv6CidrBlocks"],
    [AWS.securityGroupIngressRule]: ["ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6"],
    [AWS.ecrRepository]: ["imageTagMutability", "imageTagMutabilityExclusionFilters"],
    [AWS.ec2Instance]: ["keyName", "launchTemplate", "metadataOptions", "rootBlockDevice", "ebsBlockDevices"],
    [AWS.launchConfiguration]: ["keyName", "ebsBlockDevices"],
    [AWS.launchTemplate]: ["keyName"],
    [AWS.eksNodeGroup]: ["remoteAccess"],
    [AWS.eksPodIdentityAssociation]: ["clusterName", "namespace", "serviceAccount", "roleArn"],
    [AWS.iamPolicy]: ["policy"],
    [AWS.iamPolicyAttachment]: ["roles", "policyArn"],
  };
  const fixtures = [
    aws.compliantEksCluster(),
    aws.compliantNodeGroup(),
    aws.compliantLaunchTemplate(),
    aws.compliantKmsKey(),
    aws.compliantEbsVolume(),
    aws.compliantEcrRepository(),
    aws.compliantRdsInstance(),
    aws.compliantRdsCluster(),
    aws.compliantRdsClusterInstance(),
    ...aws.compliantIamStack(),
    aws.compliantKmsKeyPolicy(),
    aws.compliantEcrRepositoryPolicy(),
    aws.compliantEcrRegistryPolicy(),
    aws.compliantAccessEntry(),
    aws.compliantAccessPolicyAssociation(),
    aws.compliantVpcCniAddon(),
    aws.compliantSecurityGroup(),
    aws.compliantSecurityGroupRule(),
    aws.compliantSecurityGroupIngressRule(),
    aws.compliantPullThroughCacheRule(),
    aws.compliantEncryptionByDefault(),
    aws.compliantRdsSnapshot(),
    aws.compliantInstance(),
    aws.compliantLaunchConfiguration(),
  ];

  it("every AWS token the pack names has a compliant fixture checked here, or a property list below", () => {
    const covered = new Set([...fixtures.map((f) => f.type), ...Object.keys(SPEC_ONLY_PROPERTIES)]);
    assert.deepStrictEqual(
      Object.values(AWS).filter((t) => !covered.has(t)),
      [],
    );
  });

  it("the top-level properties the specs set without a fixture are inputs of their resources", () => {
    const problems = Object.entries(SPEC_ONLY_PROPERTIES).flatMap(([token, props]) => {
      const cls = token.slice(token.lastIndexOf(":") + 1);
      const inputs = declared(argsFile(token), `${cls}Args`);
      return props.filter((p) => !inputs.has(p)).map((p) => `${token}: ${p}`);
    });
    assert.deepStrictEqual(problems, []);
  });

  it("every top-level property of the AWS fixtures is an input of its resource (arn aside, an output)", () => {
    const problems: string[] = [];
    for (const f of fixtures) {
      const cls = f.type.slice(f.type.lastIndexOf(":") + 1);
      const inputs = declared(argsFile(f.type), `${cls}Args`);
      for (const key of Object.keys(f.props))
        if (!inputs.has(key) && !OUTPUTS_ONLY.has(key)) problems.push(`${f.type}: ${key}`);
    }
    assert.deepStrictEqual(problems, []);
  });

  it("the nested properties the AWS policies read are declared on their input types", () => {
    const inputTypes = path.join(awsDir, "types", "input.d.ts");
    const nested: Array<[string, string[]]> = [
      ["ClusterVpcConfig", ["endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"]],
      ["ClusterEncryptionConfig", ["resources", "provider"]],
      ["ClusterEncryptionConfigProvider", ["keyArn"]],
      ["ClusterAccessConfig", ["bootstrapClusterCreatorAdminPermissions", "authenticationMode"]],
      ["ClusterUpgradePolicy", ["supportType"]],
      ["NodeGroupRemoteAccess", ["ec2SshKey"]],
      ["LaunchTemplateMetadataOptions", ["httpEndpoint", "httpTokens", "httpPutResponseHopLimit"]],
      ["LaunchTemplateBlockDeviceMapping", ["deviceName", "ebs"]],
      ["LaunchTemplateBlockDeviceMappingEbs", ["encrypted", "kmsKeyId"]],
      ["RepositoryImageScanningConfiguration", ["scanOnPush"]],
      ["RoleInlinePolicy", ["policy"]],
      ["RepositoryImageTagMutabilityExclusionFilter", ["filter", "filterType"]],
      ["SecurityGroupIngress", ["protocol", "fromPort", "toPort", "cidrBlocks", "ipv6CidrBlocks", "securityGroups"]],
      ["InstanceMetadataOptions", ["httpEndpoint", "httpTokens", "httpPutResponseHopLimit"]],
      ["InstanceRootBlockDevice", ["encrypted", "kmsKeyId"]],
      ["InstanceEbsBlockDevice", ["deviceName", "encrypted", "kmsKeyId"]],
      ["LaunchConfigurationMetadataOptions", ["httpEndpoint", "httpTokens", "httpPutResponseHopLimit"]],
      ["LaunchConfigurationRootBlockDevice", ["encrypted"]],
      ["LaunchConfigurationEbsBlockDevice", ["deviceName", "encrypted"]],
      ["AccessPolicyAssociationAccessScope", ["type", "namespaces"]],
      ["NodeGroupRemoteAccess", ["sourceSecurityGroupIds"]],
    ];
    const problems = nested.flatMap(([iface, props]) => {
      const have = declared(inputTypes, iface);
      return props.filter((p) => !have.has(p)).map((p) => `${iface}.${p}`);
    });
    assert.deepStrictEqual(problems, []);
  });
});
