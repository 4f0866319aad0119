// The EKS cluster component under the engine's mocks: each hardening setting on the registered inputs,
// the upgrade plan it follows, the scoped administrators, and the policy pack's verdict on all of it.
import "./harness/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, ClusterArgs } from "../components/aws/cluster";
import { UpgradeReport, UpgradeSequenceError } from "../components/aws/cluster/upgrades";
import { policies } from "../policy-pack/policies";
import { runPack } from "../policy-pack/test/harness/analyzer";
import { publishedBy } from "./harness/component-outputs";
import { capture, capturePreview, optionsRecorder, RecordedResource, reportsOutputs } from "./harness/mocks";
import { valueOf } from "./harness/outputs";
import { withInvokes } from "./harness/invokes";
import { toPolicyResources } from "./harness/policy-resources";
import { named, ofType, single } from "./harness/resources";
import { PackConfigFile } from "../policy-pack/test/harness/policy-config";
import { PROJECT_ROOT } from "./harness/stacks";
import {
  addonCatalogue,
  AUDITOR,
  BREAK_GLASS,
  CLUSTER_LOG_KEY,
  CLUSTER_SECRETS_KEY,
  clusterArgs,
  PLATFORM_ROLE,
} from "./fixtures/aws-components";

/** The policy config the production stack ships with. */
const prodPolicyConfig = (): PackConfigFile =>
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "stacks", "policy.prod.json"), "utf8")) as PackConfigFile;

/** A compliant production cluster; each spec mutates one thing. */
const compliant = clusterArgs();

interface Deployed {
  resources: RecordedResource[];
  report: UpgradeReport;
}

async function deploy(args: ClusterArgs): Promise<Deployed> {
  let report: UpgradeReport | undefined;
  const resources = await withInvokes(addonCatalogue, () =>
    capture(() => {
      const cluster = new Cluster("cluster", args);
      return cluster.upgradeReport.apply((r) => (report = r));
    }),
  );
  assert.ok(report, "the upgrade report never resolved");
  return { resources, report };
}

const eks = (rs: RecordedResource[]) => single(ofType(rs, "aws:eks/cluster:Cluster"), "EKS cluster");

describe("EKS cluster component", () => {
  let resources: RecordedResource[];
  let report: UpgradeReport;
  before(async () => {
    ({ resources, report } = await deploy(compliant));
  });

  it("publishes exactly its public outputs", async () => {
    // A preview, where outputs AWS computes are unknown rather than absent, so each is registered. The one
    // exception is clusterSecurityGroupId: it sits inside vpcConfig, which the mocks echo from the inputs
    // (known, without the computed field), so it reads as absent here.
    await withInvokes(addonCatalogue, () => capturePreview(() => new Cluster("cluster", compliant)));
    assert.deepStrictEqual(await publishedBy("coder-blueprint:aws:Cluster"), [
      "addonVersions",
      "certificateAuthorityData",
      "clusterName",
      "endpoint",
      "nodeGroupVersions",
      "oidcIssuer",
      "supportType",
      "upgradeReport",
      "version",
    ]);
  });

  it("names the cluster as configured, so the next run can read its versions", () => {
    assert.strictEqual(eks(resources).inputs.name, "coder-prod");
  });

  it("envelope-encrypts Secrets with the given CMK", () => {
    assert.deepStrictEqual(eks(resources).inputs.encryptionConfig, {
      resources: ["secrets"],
      provider: { keyArn: CLUSTER_SECRETS_KEY },
    });
  });

  it("keeps the API endpoint private with no extra security group by default", () => {
    assert.deepStrictEqual(eks(resources).inputs.vpcConfig, {
      subnetIds: ["subnet-a", "subnet-b"],
      securityGroupIds: [],
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    const rules = resources.filter((r) => /securityGroup|SecurityGroup/.test(r.type));
    assert.deepStrictEqual(
      rules.map((r) => r.type),
      [],
      "no security group or rule beyond the one EKS manages",
    );
  });

  it("sends api, audit and authenticator logs to a log group created first with retention and a key", () => {
    const cluster = eks(resources);
    assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
    const logs = single(ofType(resources, "aws:cloudwatch/logGroup:LogGroup"), "log group");
    assert.deepStrictEqual(
      [logs.inputs.name, logs.inputs.retentionInDays, logs.inputs.kmsKeyId, logs.inputs.deletionProtectionEnabled],
      ["/aws/eks/coder-prod/cluster", 365, CLUSTER_LOG_KEY, true],
    );
    assert.ok(
      resources.indexOf(logs) < resources.indexOf(cluster),
      "the log group must be registered before the cluster",
    );
  });

  it("grants no hidden creator admin and authenticates through access entries only", () => {
    assert.deepStrictEqual(eks(resources).inputs.accessConfig, {
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
  });

  it("stays on STANDARD support at the channel's version, protected from deletion", () => {
    const inputs = eks(resources).inputs;
    assert.deepStrictEqual(inputs.upgradePolicy, { supportType: "STANDARD" });
    assert.strictEqual(inputs.version, "1.35");
    assert.strictEqual(inputs.deletionProtection, true);
  });

  it("lets only EKS assume the cluster role, with the cluster policy alone", () => {
    const role = single(ofType(resources, "aws:iam/role:Role"), "IAM role");
    assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
      { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    assert.deepStrictEqual(
      attachments.map((a) => a.inputs.policyArn),
      ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
    );
  });

  it("grants each administrator one access entry and one scoped access policy", () => {
    const entries = ofType(resources, "aws:eks/accessEntry:AccessEntry");
    assert.deepStrictEqual(
      entries.map((e) => e.inputs.principalArn).sort(),
      [BREAK_GLASS, AUDITOR, PLATFORM_ROLE].sort(),
    );
    assert.ok(entries.every((e) => e.inputs.type === "STANDARD" && e.inputs.clusterName === "coder-prod"));
    const byPrincipal = new Map(
      ofType(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => [
        a.inputs.principalArn,
        [a.inputs.policyArn.split("/").pop(), a.inputs.accessScope],
      ]),
    );
    assert.deepStrictEqual(Object.fromEntries(byPrincipal), {
      [BREAK_GLASS]: ["AmazonEKSClusterAdminPolicy", { type: "cluster" }],
      [PLATFORM_ROLE]: ["AmazonEKSAdminPolicy", { type: "namespace", namespaces: ["coder", "coder-workspaces"] }],
      [AUDITOR]: ["AmazonEKSViewPolicy", { type: "cluster" }],
    });
  });

  it("reports the first deploy: control plane, then add-ons at the minor's versions, then node groups", () => {
    assert.deepStrictEqual(report.controlPlane, { current: "absent", target: "1.35" });
    assert.deepStrictEqual(report.addons.coredns, { current: "absent", target: "v-coredns-for-1.35" });
    assert.deepStrictEqual(Object.keys(report.nodeGroups), ["system", "workspaces"]);
    assert.deepStrictEqual(
      report.order.map((s) => s.split(":")[0]),
      ["control plane", "add-ons", "node groups"],
    );
  });

  it("passes the whole policy pack with the production stack's configuration", async () => {
    const violations = await runPack(policies, toPolicyResources(resources, "prod"), {
      config: prodPolicyConfig(),
      stack: "prod",
    });
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    assert.deepStrictEqual(
      mandatory.map((v) => `${v.policyName}: ${v.detail}`),
      [],
    );
  });

  it("is judged for real: the pack catches public access and the creator bootstrap", async () => {
    const mutated = resources.map((r) =>
      r.type === "aws:eks/cluster:Cluster"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              vpcConfig: { ...r.inputs.vpcConfig, endpointPublicAccess: true },
              accessConfig: { authenticationMode: "API" },
            },
          }
        : r,
    );
    const violations = await runPack(policies, toPolicyResources(mutated, "prod"), {
      config: prodPolicyConfig(),
      stack: "prod",
    });
    const names = violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName);
    assert.deepStrictEqual(names.sort(), ["eks-creator-admin-bootstrap", "eks-public-endpoint"]);
  });
});

describe("EKS cluster component settings", () => {
  it("opens the public endpoint only to listed CIDRs", async () => {
    const { resources } = await deploy({ ...compliant, publicAccessCidrs: ["203.0.113.0/24"] });
    const vpc = eks(resources).inputs.vpcConfig;
    assert.deepStrictEqual(
      [vpc.endpointPrivateAccess, vpc.endpointPublicAccess, vpc.publicAccessCidrs],
      [true, true, ["203.0.113.0/24"]],
    );
  });

  it("refuses public CIDRs that together cover the internet", () => {
    assert.throws(
      () => new Cluster("c", { ...compliant, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }),
      /cover 0\.0\.0\.0\/0/,
    );
    assert.throws(() => new Cluster("c", { ...compliant, publicAccessCidrs: ["::/1", "8000::/1"] }), /cover ::\/0/);
    assert.throws(() => new Cluster("c", { ...compliant, publicAccessCidrs: ["10.0.0.0"] }), /not a CIDR/);
  });

  it("opens an extra API security group only on 443 and only from the listed networks", async () => {
    const { resources } = await deploy({ ...compliant, privateApiCidrs: ["10.8.0.0/16", "fd00:8::/64"] });
    const sg = single(ofType(resources, "aws:ec2/securityGroup:SecurityGroup"), "API security group");
    // A group's description cannot change in place: pinned, so an edit shows up here before it replaces the group.
    assert.strictEqual(sg.inputs.description, "Kubernetes API of coder-prod from listed networks");
    assert.deepStrictEqual(sg.inputs.egress, []);
    assert.deepStrictEqual(
      sg.inputs.ingress.map((r: any) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks, r.ipv6CidrBlocks]),
      [["tcp", 443, 443, ["10.8.0.0/16"], ["fd00:8::/64"]]],
    );
    assert.deepStrictEqual(eks(resources).inputs.vpcConfig.securityGroupIds, ["cluster-api-id"]);
    assert.throws(() => new Cluster("c", { ...compliant, privateApiCidrs: ["0.0.0.0/0"] }), /cover 0\.0\.0\.0\/0/);
  });

  it("adds the optional log types on request, keeping the required ones", async () => {
    const { resources } = await deploy({ ...compliant, extraLogTypes: ["scheduler"] });
    assert.deepStrictEqual(eks(resources).inputs.enabledClusterLogTypes, [
      "api",
      "audit",
      "authenticator",
      "scheduler",
    ]);
  });

  it("refuses a retention CloudWatch does not offer", () => {
    assert.throws(() => new Cluster("c", { ...compliant, logRetentionDays: 100 }), /not a CloudWatch retention/);
  });

  it("takes EXTENDED support only on the extended channel", async () => {
    const { resources } = await deploy({ ...compliant, channel: "extended" });
    assert.deepStrictEqual(eks(resources).inputs.upgradePolicy, { supportType: "EXTENDED" });
    assert.strictEqual(eks(resources).inputs.version, "1.33");
  });

  it("leaves dev stacks deletable", async () => {
    const { resources } = await deploy({ ...compliant, protect: false });
    assert.strictEqual(eks(resources).inputs.deletionProtection, false);
    const logs = single(ofType(resources, "aws:cloudwatch/logGroup:LogGroup"), "log group");
    assert.strictEqual(logs.inputs.deletionProtectionEnabled, false);
  });

  it("refuses cluster-admin for anyone but the break-glass role", () => {
    const admins = [{ principalArn: PLATFORM_ROLE, access: "cluster-admin" as const }];
    assert.throws(() => new Cluster("c", { ...compliant, admins }), /reserved for the break-glass role/);
  });

  it("upgrades a live cluster one minor, reporting what runs now and what the up applies", async () => {
    const current = {
      controlPlane: "1.34",
      nodeGroups: { system: "1.34", workspaces: "1.34" },
      addons: { "vpc-cni": "v-vpc-cni-for-1.34" },
    };
    const { resources, report } = await deploy({ ...compliant, current });
    assert.strictEqual(eks(resources).inputs.version, "1.35");
    assert.deepStrictEqual(report.addons["vpc-cni"], { current: "v-vpc-cni-for-1.34", target: "v-vpc-cni-for-1.35" });
    // An add-on the live cluster does not run yet is installed, not upgraded.
    assert.deepStrictEqual(report.addons.coredns, { current: "absent", target: "v-coredns-for-1.35" });
    assert.deepStrictEqual(report.nodeGroups.system, { current: "1.34", target: "1.35" });
    assert.strictEqual(report.order[0], "control plane: Kubernetes 1.34→1.35");
  });

  it("refuses, before registering anything, a channel that moved two minors past the live cluster", async () => {
    const current = { controlPlane: "1.33", nodeGroups: { system: "1.33", workspaces: "1.33" }, addons: {} };
    let error: unknown;
    const resources = await capture(() => {
      try {
        new Cluster("cluster", { ...compliant, current });
      } catch (e) {
        error = e;
      }
      return pulumi.output(undefined);
    });
    assert.ok(error instanceof UpgradeSequenceError);
    assert.deepStrictEqual(error.steps, [
      "set version 1.34 and run up (control plane 1.33→1.34, then add-ons, then node groups)",
      "set version 1.35 and run up (control plane 1.34→1.35, then add-ons, then node groups)",
    ]);
    assert.deepStrictEqual(
      resources.map((r) => r.type),
      [],
    );
  });
});

describe("EKS cluster component: its role, tags and what survives a deletion", () => {
  /** Runs the component with its children's resource options recorded. */
  async function deployRecorded(args: ClusterArgs) {
    const options = optionsRecorder();
    const resources = await withInvokes(addonCatalogue, () =>
      capture(() => new Cluster("cluster", args, { transformations: options.transformations }).upgradeReport),
    );
    return { resources, options };
  }
  const STATEFUL: Array<[string, string]> = [
    ["aws:eks/cluster:Cluster", "cluster-eks"],
    ["aws:cloudwatch/logGroup:LogGroup", "cluster-logs"],
  ];

  it("describes the control plane role by its cluster and trusts EKS in IAM's current policy language", async () => {
    const { resources } = await deployRecorded(compliant);
    const role = named(resources, "cluster-role");
    assert.strictEqual(role.inputs.description, "EKS control plane of coder-prod");
    assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  it("puts the stack's tags on the role, the log group, the cluster and every access entry", async () => {
    const tags = { "coder-blueprint/stack": "prod", team: "platform" };
    const { resources } = await deployRecorded({ ...compliant, tags });
    const tagged = [
      named(resources, "cluster-role"),
      named(resources, "cluster-logs"),
      named(resources, "cluster-eks"),
      ...ofType(resources, "aws:eks/accessEntry:AccessEntry"),
    ];
    assert.strictEqual(tagged.length, 6);
    for (const r of tagged) assert.deepStrictEqual(r.inputs.tags, tags, r.name);
  });

  it("creates the cluster only once its role has the cluster policy and its log group exists", async () => {
    // Otherwise EKS could start without its permissions, or create the log group itself, unencrypted and kept
    // forever, and the stack's own group would then fail to create.
    const { options } = await deployRecorded(compliant);
    const deps = options.of("aws:eks/cluster:Cluster", "cluster-eks")?.dependsOn as pulumi.Resource[];
    assert.ok(Array.isArray(deps) && deps.length === 2, "depends on two resources");
    assert.ok(
      deps.some((d) => d instanceof aws.iam.RolePolicyAttachment),
      "waits for the role's cluster policy",
    );
    assert.ok(
      deps.some((d) => d instanceof aws.cloudwatch.LogGroup),
      "waits for the log group",
    );
  });

  it("publishes the version each node group runs after this up", async () => {
    let cluster!: Cluster;
    await withInvokes(addonCatalogue, () => capture(() => (cluster = new Cluster("cluster", compliant)).upgradeReport));
    assert.deepStrictEqual(cluster.nodeGroupVersions, { system: "1.35", workspaces: "1.35" });
  });

  // What EKS reports in `identities` before and after it has an OIDC provider; the issuer is published
  // only when there is one, and a missing level never fails the run.
  const IDENTITIES: Array<[string, unknown, string | undefined]> = [
    ["nothing", undefined, undefined],
    ["no identity", [], undefined],
    ["an identity without OIDC", [{}], undefined],
    ["no OIDC provider", [{ oidcs: [] }], undefined],
    [
      "an issuer",
      [{ oidcs: [{ issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" }] }],
      "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    ],
  ];
  for (const [reported, identities, issuer] of IDENTITIES) {
    it(`publishes the OIDC issuer when EKS reports ${reported}`, async () => {
      const reportIdentities = reportsOutputs("aws:eks/cluster:Cluster", () => ({ identities }));
      let published: Promise<unknown> | undefined;
      await withInvokes(addonCatalogue, () =>
        capture(() => {
          const cluster = new Cluster("cluster", compliant, { transformations: [reportIdentities] });
          published = valueOf(cluster.oidcIssuer);
          return cluster.upgradeReport;
        }),
      );
      assert.strictEqual(await published, issuer);
    });
  }

  it("protects and retains the cluster and its log group in a protected stack, and neither in a dev stack", async () => {
    const prod = await deployRecorded(compliant);
    const dev = await deployRecorded({ ...compliant, protect: false });
    for (const [type, name] of STATEFUL) {
      assert.strictEqual(prod.options.of(type, name)?.protect, true, `${name} protect`);
      assert.strictEqual(prod.options.of(type, name)?.retainOnDelete, true, `${name} retainOnDelete`);
      assert.strictEqual(dev.options.of(type, name)?.protect, false, `dev ${name} protect`);
      assert.strictEqual(dev.options.of(type, name)?.retainOnDelete, false, `dev ${name} retainOnDelete`);
    }
  });
});
