// The dev and prod stacks as whole programs under mocks: the AWS layer's hardening on the inputs it
// registers, the values wired from the AWS layer into the Kubernetes layer, and the refusals (an IP plan
// that does not fit, an upgrade EKS cannot make in one `up`) that come before the first registration.
import "./harness/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { deployStack, WORKSPACE_PLACEMENT_CONFIGMAP } from "../blueprint";
import { ConfigError } from "../config";
import { awsSubnetLayout } from "../config/aws";
import { UpgradeSequenceError } from "../components/aws/cluster/upgrades";
import { deployUnderMocks, preflightUnderMocks, previewUnderMocks, registrationsDuring } from "./harness/deploy";
import { InvokeAnswer } from "./harness/invokes";
import { optionsRecorder, RecordedResource } from "./harness/mocks";
import { ofType, single } from "./harness/resources";
import { stackConfig } from "./harness/stacks";

const one = (rs: RecordedResource[], type: string, name?: string): RecordedResource =>
  single(
    ofType(rs, type).filter((r) => name === undefined || r.name === name),
    `${type} ${name ?? ""}`,
  );

const expected = {
  dev: { version: "1.35", publicCidrs: ["203.0.113.0/24"], multiAz: false, backups: 7, protect: false },
  prod: { version: "1.34", publicCidrs: undefined, multiAz: true, backups: 30, protect: true },
} as const;

for (const stack of ["dev", "prod"] as const) {
  describe(`the ${stack} stack's AWS layer`, () => {
    const cfg = stackConfig(stack);
    const aws = cfg.aws!;
    const layout = awsSubnetLayout(aws);
    const want = expected[stack];
    let resources: RecordedResource[];
    const options = optionsRecorder();
    before(async () => {
      resources = await deployUnderMocks(cfg, { transformations: options.transformations });
    });

    it("lets the Auto Scaling service-linked role use the CMK, so node groups can launch encrypted volumes", () => {
      const key = one(resources, "aws:kms/key:Key");
      const policy = JSON.parse(key.inputs.policy as string) as {
        Statement: Array<{ Principal: { AWS?: string | string[] }; Action: string[] }>;
      };
      const role = `arn:aws:iam::${aws.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
      const grants = policy.Statement.filter((st) => ([] as string[]).concat(st.Principal.AWS ?? []).includes(role));
      assert.ok(
        grants.some((st) => st.Action.includes("kms:CreateGrant")),
        "the role may not create grants",
      );
      assert.ok(
        grants.some((st) => st.Action.includes("kms:Decrypt")),
        "the role may not decrypt",
      );
    });

    it("encrypts Secrets with the CMK, keeps the API private (or listed), and authenticates through access entries", () => {
      const cluster = one(resources, "aws:eks/cluster:Cluster");
      const key = one(resources, "aws:kms/key:Key");
      assert.strictEqual(key.inputs.enableKeyRotation, true);
      assert.deepStrictEqual(cluster.inputs.encryptionConfig.resources, ["secrets"]);
      assert.strictEqual(
        cluster.inputs.encryptionConfig.provider.keyArn,
        `arn:aws:kms:eu-west-1:${aws.accountId}:key/cmk-key`,
      );
      assert.strictEqual(cluster.inputs.vpcConfig.endpointPrivateAccess, true);
      assert.strictEqual(cluster.inputs.vpcConfig.endpointPublicAccess, want.publicCidrs !== undefined);
      assert.deepStrictEqual(cluster.inputs.vpcConfig.publicAccessCidrs, want.publicCidrs);
      assert.strictEqual(cluster.inputs.accessConfig.authenticationMode, "API");
      assert.strictEqual(cluster.inputs.accessConfig.bootstrapClusterCreatorAdminPermissions, false);
      assert.strictEqual(cluster.inputs.version, want.version);
      assert.strictEqual(cluster.inputs.kubernetesNetworkConfig.serviceIpv4Cidr, cfg.network.serviceCidrs[0]);
      // The API's interfaces sit in the isolated subnets, the range the Kubernetes layer lets only coderd reach.
      const isolated = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("vpc-isolated-"));
      assert.deepStrictEqual(
        isolated.map((s) => s.inputs.cidrBlock),
        layout.isolated,
      );
      assert.deepStrictEqual(
        cluster.inputs.vpcConfig.subnetIds,
        isolated.map((s) => `${s.name}-id`),
      );
      assert.deepStrictEqual(cfg.network.kubernetesApi.cidrs, layout.isolated);
    });

    it("runs nodes with IMDSv2 at one hop, CMK-encrypted volumes, no remote access, at the cluster's version", () => {
      const templates = ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate");
      const groups = ofType(resources, "aws:eks/nodeGroup:NodeGroup");
      assert.strictEqual(templates.length, aws.nodePools.length);
      assert.strictEqual(groups.length, aws.nodePools.length);
      for (const t of templates) {
        assert.strictEqual(t.inputs.metadataOptions.httpTokens, "required");
        assert.strictEqual(t.inputs.metadataOptions.httpPutResponseHopLimit, 1);
        assert.strictEqual(t.inputs.keyName, undefined);
        for (const m of t.inputs.blockDeviceMappings) {
          assert.strictEqual(m.ebs.encrypted, "true");
          assert.strictEqual(m.ebs.kmsKeyId, `arn:aws:kms:eu-west-1:${aws.accountId}:key/cmk-key`);
        }
      }
      const privateIds = ofType(resources, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.startsWith("vpc-private-"))
        .map((s) => `${s.name}-id`);
      for (const g of groups) {
        assert.strictEqual(g.inputs.remoteAccess, undefined);
        assert.strictEqual(g.inputs.version, want.version);
        assert.deepStrictEqual(g.inputs.subnetIds, privateIds);
      }
    });

    it("turns on VPC CNI network policy and the IP plan's prefix delegation with custom networking", () => {
      const cni = ofType(resources, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni")!;
      const values = JSON.parse(cni.inputs.configurationValues);
      assert.strictEqual(values.enableNetworkPolicy, "true");
      assert.strictEqual(values.env.ENABLE_PREFIX_DELEGATION, "true");
      assert.strictEqual(values.env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG, "true");
      assert.deepStrictEqual(Object.keys(values.eniConfig.subnets), aws.availabilityZones);
      assert.deepStrictEqual(cfg.network.podCidrs, layout.pods);
    });

    it("keeps images in immutable, scanned, CMK-encrypted ECR repositories the node role may only pull from", () => {
      const repos = ofType(resources, "aws:ecr/repository:Repository");
      assert.deepStrictEqual(
        repos.map((r) => r.inputs.name),
        aws.registry.repositories.map((r) => `${aws.registry.namespace}/${r}`),
      );
      for (const r of repos) {
        assert.strictEqual(r.inputs.imageTagMutability, "IMMUTABLE");
        assert.strictEqual(r.inputs.imageScanningConfiguration.scanOnPush, true);
        assert.strictEqual(r.inputs.encryptionConfigurations[0].encryptionType, "KMS");
      }
      const pull = one(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-nodes-registry-pull");
      assert.strictEqual(pull.inputs.policyArn, `arn:aws:iam::${aws.accountId}:policy/ecr-pull-only`);
      assert.strictEqual(pull.inputs.role, "eks-nodes-role");
      assert.deepStrictEqual(cfg.registry.approved, [`${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com/coder/`]);
    });

    it("runs Postgres encrypted, TLS-only, private, deletion-protected, reachable from the cluster's group only", () => {
      const db = one(resources, "aws:rds/instance:Instance");
      assert.strictEqual(db.inputs.storageEncrypted, true);
      assert.strictEqual(db.inputs.publiclyAccessible, false);
      assert.strictEqual(db.inputs.deletionProtection, true);
      assert.strictEqual(db.inputs.iamDatabaseAuthenticationEnabled, true);
      assert.strictEqual(db.inputs.multiAz, want.multiAz);
      assert.strictEqual(db.inputs.backupRetentionPeriod, want.backups);
      const params = one(resources, "aws:rds/parameterGroup:ParameterGroup");
      assert.ok(params.inputs.parameters.some((p: any) => p.name === "rds.force_ssl" && p.value === "1"));
      const sg = one(resources, "aws:ec2/securityGroup:SecurityGroup", "rds-sg");
      assert.deepStrictEqual(sg.inputs.ingress[0].securityGroups, ["sg-eks-eks"]);
      assert.strictEqual(sg.inputs.ingress[0].cidrBlocks, undefined);
    });

    it(`${want.protect ? "protects" : "does not protect"} stateful resources from deletion`, () => {
      for (const [type, name] of [
        ["aws:kms/key:Key", "cmk-key"],
        ["aws:eks/cluster:Cluster", "eks-eks"],
        ["aws:rds/instance:Instance", "rds-postgres"],
        ["aws:ecr/repository:Repository", "ecr-coder"],
        ["aws:cloudwatch/logGroup:LogGroup", "vpc-flow-logs"],
      ]) {
        assert.strictEqual(options.of(type, name)?.protect, want.protect, `${type} ${name}`);
      }
    });

    it("wires the AWS layer into the Kubernetes layer: CMK, database, CA, placements", () => {
      const sc = ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClass").find(
        (c) => c.inputs.metadata.name === "coder-encrypted-gp3",
      )!;
      assert.strictEqual(sc.inputs.parameters.kmsKeyId, `arn:aws:kms:eu-west-1:${aws.accountId}:key/cmk-key`);
      const release = one(resources, "kubernetes:helm.sh/v3:Release");
      assert.deepStrictEqual(release.inputs.values.coder.nodeSelector, { "coder-blueprint/pool": "coderd" });
      assert.deepStrictEqual(
        release.inputs.values.coder.tolerations.map((t: any) => t.value),
        ["coderd"],
      );
      assert.ok(cfg.tls.trustedCaCertificates.includes(aws.database.caBundlePem));
      const placements = ofType(resources, "kubernetes:core/v1:ConfigMap").filter(
        (c) => c.inputs.metadata.name === WORKSPACE_PLACEMENT_CONFIGMAP,
      );
      assert.deepStrictEqual(
        placements.map((c) => c.inputs.metadata.namespace),
        cfg.workspaces.namespaces,
      );
      assert.deepStrictEqual(JSON.parse(placements[0].inputs.data["nodeSelector.json"]), {
        "coder-blueprint/pool": "workspaces",
      });
      assert.deepStrictEqual(
        cfg.database!.egress.map((r) => r.cidr),
        layout.isolated,
      );
    });

    it("leaves what AWS computes unknown in a preview: nothing is invented", async () => {
      const preview = await previewUnderMocks(cfg);
      const sc = ofType(preview, "kubernetes:storage.k8s.io/v1:StorageClass").find(
        (c) => c.inputs.metadata.name === "coder-encrypted-gp3",
      )!;
      assert.ok(pulumi.isUnknown(sc.inputs.parameters.kmsKeyId), "the CMK reaches the class, unknown until deployed");
      const provider = one(preview, "pulumi:providers:kubernetes", "cluster");
      assert.ok(!JSON.stringify(provider.inputs).includes("mock"), "the kubeconfig holds no invented endpoint");
    });
  });
}

/** A live cluster at `version`, its node groups at the same version, as the invokes report it. */
function liveCluster(name: string, version: string): InvokeAnswer {
  return (token, inputs) => {
    switch (token) {
      case "aws:eks/getClusters:getClusters":
        return { names: [name], id: "clusters" };
      case "aws:eks/getCluster:getCluster":
        return { name, version };
      case "aws:eks/getNodeGroups:getNodeGroups":
        return { clusterName: name, names: ["eks-nodes-system", "eks-nodes-coderd", "eks-nodes-workspaces"] };
      case "aws:eks/getNodeGroup:getNodeGroup":
        return { ...inputs, version };
      case "aws:eks/getAddon:getAddon":
        return { ...inputs, addonVersion: "v1.0.0-eksbuild.1" };
      default:
        return undefined;
    }
  };
}

describe("refusals before the first registration", () => {
  it("refuses an IP plan that does not fit, with the shortfall and the smallest change", async () => {
    const { registered, error } = await registrationsDuring(async () => {
      const cfg = stackConfig("dev", { workspaces: { ...stackConfig("dev").workspaces, maxWorkspaces: 65 } });
      deployStack(cfg, await preflightUnderMocks(cfg));
    });
    assert.ok(error instanceof ConfigError, String(error));
    // 2 × 65 workspaces + 1 coderd + 40 system pods + 15 nodes × 6 DaemonSet pods = 261 pods; with one of
    // three AZs lost, 131 per AZ on 8 nodes is 17 per node: 2 /28 prefixes + 1 warm + 1 for the ENI = 64
    // addresses per node, 512 per AZ, where a /23 pod subnet offers (512 / 16 - 2) × 16 = 480.
    const ip = error.problems.filter((p) => p.startsWith("coder-blueprint:aws.vpc: the IP capacity plan"));
    assert.strictEqual(ip.length, 1, error.message);
    assert.match(ip[0], /pods need 512 addresses per AZ/);
    assert.match(ip[0], /short by 32/);
    assert.match(ip[0], /pod subnets \/23 → \/22/);
    assert.deepStrictEqual(registered, []);
  });

  it("refuses a two-minor upgrade, listing the `up`s to run instead", async () => {
    const cfg = stackConfig("dev");
    const { registered, error } = await registrationsDuring(async () => {
      deployStack(cfg, await preflightUnderMocks(cfg, liveCluster(cfg.aws!.cluster.name, "1.33")));
    });
    assert.ok(error instanceof UpgradeSequenceError, String(error));
    assert.match(error.message, /1\. set version 1\.34 and run up/);
    assert.match(error.message, /2\. set version 1\.35 and run up/);
    assert.deepStrictEqual(registered, []);
  });

  it("proceeds with a one-minor upgrade and reports it", async () => {
    const cfg = stackConfig("dev");
    const preflight = await preflightUnderMocks(cfg, liveCluster(cfg.aws!.cluster.name, "1.34"));
    assert.deepStrictEqual(preflight?.upgrade.controlPlane, { current: "1.34", target: "1.35" });
    assert.strictEqual(preflight?.upgrade.kind, "upgrade");
  });

  it("refuses credentials of another account before anything is registered", async () => {
    const cfg = stackConfig("dev");
    const { registered, error } = await registrationsDuring(async () => {
      const other: InvokeAnswer = (token) =>
        token === "aws:index/getCallerIdentity:getCallerIdentity" ? { accountId: "999999999999" } : undefined;
      deployStack(cfg, await preflightUnderMocks(cfg, other));
    });
    assert.match(String(error), /deploys to account 111122223333 in eu-west-1, but .* account 999999999999/);
    assert.deepStrictEqual(registered, []);
  });
});
