// The EKS add-ons and their Pod Identity roles as they register under the engine's mocks, the configuration
// and policy builders, and the policy pack's verdict on what the component registers.
import "./harness/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Addons, AddonsArgs } from "../components/aws/addons";
import { ebsKmsPolicy, loadBalancerControllerPolicy, podIdentityTrust } from "../components/aws/addons/iam";
import { vpcCniConfiguration } from "../components/aws/addons/vpc-cni";
import { policies } from "../policy-pack/policies";
import { runPack } from "../policy-pack/test/harness/analyzer";
import { publishedBy } from "./harness/component-outputs";
import { capture, optionsRecorder, RecordedResource, reportsOutputs } from "./harness/mocks";
import { valueOf } from "./harness/outputs";
import { toPolicyResources } from "./harness/policy-resources";
import { ofType, single } from "./harness/resources";
import { ADDON_VERSIONS, addonsArgs, NODE_KEY } from "./fixtures/aws-components";

const deploy = (args: AddonsArgs) => capture(() => new Addons("addons", args));
const ADDON_TYPE = "aws:eks/addon:Addon";
const addonNamed = (resources: RecordedResource[], addon: string) =>
  single(
    ofType(resources, ADDON_TYPE).filter((r) => r.inputs.addonName === addon),
    addon,
  );
const trustOf = (role: RecordedResource) => JSON.parse(role.inputs.assumeRolePolicy).Statement[0];

describe("AWS add-ons", () => {
  let resources: RecordedResource[];
  let published: string[] | undefined;
  before(async () => {
    resources = await deploy(addonsArgs());
    published = await publishedBy("coder-blueprint:aws:Addons");
  });

  it("publishes exactly its public outputs", () => {
    assert.deepStrictEqual(published, ["addons", "roleArns"]);
  });

  it("installs the five add-ons at the versions the stack gives", () => {
    const installed: Record<string, any> = Object.fromEntries(
      ofType(resources, ADDON_TYPE).map((a) => [a.inputs.addonName, a.inputs]),
    );
    assert.deepStrictEqual(
      Object.fromEntries(Object.entries(installed).map(([n, i]) => [n, i.addonVersion])),
      ADDON_VERSIONS,
    );
    for (const [n, i] of Object.entries(installed)) {
      assert.strictEqual(i.clusterName, "coder", n);
      assert.strictEqual(i.resolveConflictsOnCreate, "OVERWRITE", n);
      assert.strictEqual(i.resolveConflictsOnUpdate, n === "coredns" ? "PRESERVE" : "OVERWRITE", n);
    }
  });

  it("refuses to guess a missing add-on version", () => {
    const { coredns: _dropped, ...partial } = ADDON_VERSIONS;
    assert.throws(() => new Addons("partial", addonsArgs({ addonVersions: partial })), /no version for coredns/);
    const { coredns: _c, "kube-proxy": _k, ...twoShort } = ADDON_VERSIONS;
    assert.throws(
      () => new Addons("partial", addonsArgs({ addonVersions: twoShort })),
      /no version for coredns, kube-proxy$/,
    );
  });

  it("puts the stack's tags on every add-on and every role it creates", async () => {
    const tags = { "coder-blueprint/stack": "prod", team: "platform" };
    const tagged = await deploy(addonsArgs({ tags, internalLoadBalancers: true }));
    const taggable = [...ofType(tagged, ADDON_TYPE), ...ofType(tagged, "aws:iam/role:Role")];
    assert.strictEqual(taggable.length, 8, "five add-ons and three roles");
    for (const r of taggable) assert.deepStrictEqual(r.inputs.tags, tags, r.name);
  });

  it("turns on VPC CNI network policy and the IP plan's prefix delegation", () => {
    const config = JSON.parse(addonNamed(resources, "vpc-cni").inputs.configurationValues);
    assert.deepStrictEqual(config, {
      enableNetworkPolicy: "true",
      env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" },
    });
  });

  it("binds the EBS CSI driver's own role to exactly its service account, with the CMK and nothing else", () => {
    const role = single(
      ofType(resources, "aws:iam/role:Role").filter((r) => r.name === "addons-ebs-csi-role"),
      "EBS CSI role",
    );
    assert.deepStrictEqual(
      trustOf(role),
      podIdentityTrust("coder", "kube-system", "ebs-csi-controller-sa").Statement[0],
    );
    const association = single(
      ofType(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation").filter(
        (r) => r.name === "addons-ebs-csi-identity",
      ),
      "EBS CSI association",
    );
    assert.deepStrictEqual(
      {
        cluster: association.inputs.clusterName,
        ns: association.inputs.namespace,
        sa: association.inputs.serviceAccount,
      },
      { cluster: "coder", ns: "kube-system", sa: "ebs-csi-controller-sa" },
    );
    const kms = single(ofType(resources, "aws:iam/rolePolicy:RolePolicy"), "EBS KMS policy");
    assert.strictEqual(kms.inputs.role, "addons-ebs-csi-role-id");
    const resourcesGranted = JSON.parse(kms.inputs.policy).Statement.map((s: { Resource: string }) => s.Resource);
    assert.deepStrictEqual(resourcesGranted, [NODE_KEY, NODE_KEY]);
  });

  it("gives the VPC CNI its own role on aws-node with the CNI policy, only when asked", async () => {
    const cniRole = single(
      ofType(resources, "aws:iam/role:Role").filter((r) => r.name === "addons-vpc-cni-role"),
      "CNI role",
    );
    assert.deepStrictEqual(trustOf(cniRole).Condition.StringEquals, {
      "aws:RequestTag/eks-cluster-name": "coder",
      "aws:RequestTag/kubernetes-namespace": "kube-system",
      "aws:RequestTag/kubernetes-service-account": "aws-node",
    });
    assert.deepStrictEqual(
      ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((a) => `${a.name} ${a.inputs.policyArn}`)
        .sort(),
      [
        "addons-ebs-csi-policy arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
        "addons-vpc-cni-policy arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      ],
    );
    const onNodeRole = await deploy(addonsArgs({ cniPodIdentity: false }));
    assert.deepStrictEqual(
      ofType(onNodeRole, "aws:iam/role:Role").map((r) => r.name),
      ["addons-ebs-csi-role"],
    );
  });

  it("creates the load balancer controller's role only for internal NLBs, with a policy that refuses public ones", async () => {
    assert.ok(!resources.some((r) => r.name.startsWith("addons-lb-controller")));
    const withLb = await deploy(addonsArgs({ internalLoadBalancers: true }));
    const role = single(
      ofType(withLb, "aws:iam/role:Role").filter((r) => r.name === "addons-lb-controller-role"),
      "LBC role",
    );
    assert.strictEqual(
      trustOf(role).Condition.StringEquals["aws:RequestTag/kubernetes-service-account"],
      "aws-load-balancer-controller",
    );
    const policy = single(
      ofType(withLb, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name === "addons-lb-controller-policy"),
      "LBC policy",
    );
    assert.deepStrictEqual(JSON.parse(policy.inputs.policy), loadBalancerControllerPolicy());
  });

  it("passes the whole policy pack, and an ECR push grant on an add-on role is caught", async () => {
    const run = (recorded: RecordedResource[]) =>
      runPack(policies, toPolicyResources(recorded, "dev"), { stack: "dev" }).then((vs) =>
        vs.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName),
      );
    assert.deepStrictEqual(await run(resources), []);
    const pushing = resources.map((r) =>
      // The pack recognises the role as used in the cluster by its Pod Identity trust.
      r.name === "addons-ebs-csi-role"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"],
            },
          }
        : r,
    );
    assert.deepStrictEqual(await run(pushing), ["ecr-push-from-cluster-role"]);
  });
});

describe("AWS add-on builders", () => {
  it("writes IP targets as strings and only the ones the plan sets", () => {
    assert.deepStrictEqual(vpcCniConfiguration({ prefixDelegation: false, warmIpTarget: 5, minimumIpTarget: 30 }), {
      enableNetworkPolicy: "true",
      env: { ENABLE_PREFIX_DELEGATION: "false", WARM_IP_TARGET: "5", MINIMUM_IP_TARGET: "30" },
    });
  });

  it("refuses a prefix target without prefix delegation and negative or fractional targets", () => {
    assert.throws(() => vpcCniConfiguration({ prefixDelegation: false, warmPrefixTarget: 1 }), /prefixDelegation/);
    assert.throws(() => vpcCniConfiguration({ prefixDelegation: true, warmIpTarget: -1 }), /non-negative/);
    assert.throws(() => vpcCniConfiguration({ prefixDelegation: true, minimumIpTarget: 1.5 }), /non-negative/);
  });

  it("accepts zero as a target: no spare addresses or prefixes kept warm", () => {
    assert.deepStrictEqual(
      vpcCniConfiguration({ prefixDelegation: true, warmPrefixTarget: 0, warmIpTarget: 0, minimumIpTarget: 0 }).env,
      { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "0", WARM_IP_TARGET: "0", MINIMUM_IP_TARGET: "0" },
    );
  });

  it("configures custom networking with one ENIConfig per zone from the pod subnets", () => {
    const config = vpcCniConfiguration({
      prefixDelegation: true,
      customNetworking: {
        region: "eu-west-1",
        subnets: {
          "eu-west-1a": { id: "subnet-pods-a", securityGroups: ["sg-nodes"] },
          "eu-west-1b": { id: "subnet-pods-b" },
        },
      },
    });
    assert.deepStrictEqual(config.env, {
      ENABLE_PREFIX_DELEGATION: "true",
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
    });
    assert.deepStrictEqual(config.eniConfig, {
      create: true,
      region: "eu-west-1",
      subnets: {
        "eu-west-1a": { id: "subnet-pods-a", securityGroups: ["sg-nodes"] },
        "eu-west-1b": { id: "subnet-pods-b" },
      },
    });
    assert.throws(
      () => vpcCniConfiguration({ prefixDelegation: true, customNetworking: { region: "eu-west-1", subnets: {} } }),
      /at least one availability zone/,
    );
  });

  it("trusts only EKS Pod Identity, with session tags, for one cluster, namespace and service account", () => {
    assert.deepStrictEqual(podIdentityTrust("c", "ns", "sa"), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: {
            StringEquals: {
              "aws:RequestTag/eks-cluster-name": "c",
              "aws:RequestTag/kubernetes-namespace": "ns",
              "aws:RequestTag/kubernetes-service-account": "sa",
            },
          },
        },
      ],
    });
  });

  it("limits KMS grants to AWS resources on the one key", () => {
    assert.deepStrictEqual(ebsKmsPolicy(NODE_KEY), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          Resource: NODE_KEY,
          Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: NODE_KEY,
        },
      ],
    });
  });

  it("lets the load balancer controller create, tag and change only what carries its cluster tag", () => {
    const tagged = (kind: "Request" | "Resource") => ({ [`aws:${kind}Tag/elbv2.k8s.aws/cluster`]: "false" });
    const conditions = Object.fromEntries(
      loadBalancerControllerPolicy().Statement.map((s) => [s.Sid, (s.Condition as any)?.Null]),
    );
    assert.deepStrictEqual(conditions, {
      ElbServiceLinkedRole: undefined,
      Read: undefined,
      NodeIngressForTargets: undefined,
      CreateOwned: tagged("Request"),
      TagSecurityGroupOnCreate: tagged("Request"),
      TagElbOnCreate: tagged("Request"),
      ManageOwned: tagged("Resource"),
      Listeners: undefined,
      Targets: undefined,
      NoInternetFacing: undefined,
    });
  });

  it("grants the load balancer controller exactly the reviewed policy, statement by statement", () => {
    // The reviewed document: every action, resource and condition the controller gets, as IAM receives it.
    const reviewed = JSON.parse(
      fs.readFileSync(path.join(__dirname, "fixtures", "aws-lb-controller-policy.json"), "utf8"),
    ) as ReturnType<typeof loadBalancerControllerPolicy>;
    assert.deepStrictEqual(loadBalancerControllerPolicy(), reviewed);
  });

  it("grants the load balancer controller no IAM wildcard, and denies internet-facing load balancers", () => {
    const statements = loadBalancerControllerPolicy().Statement;
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    assert.deepStrictEqual(
      actions.filter((a) => a.startsWith("iam:")),
      ["iam:CreateServiceLinkedRole"],
    );
    assert.ok(!actions.some((a) => a.endsWith(":*") || a === "*"), actions.join(", "));
    assert.ok(!actions.some((a) => /elasticloadbalancing:.*(Rule|WebACL|Cognito)/i.test(a)), "ALB-only actions");
    const deny = statements.filter((s) => s.Effect === "Deny");
    assert.deepStrictEqual(deny, [
      {
        Sid: "NoInternetFacing",
        Effect: "Deny",
        Action: "elasticloadbalancing:CreateLoadBalancer",
        Resource: "*",
        Condition: { StringEquals: { "elasticloadbalancing:Scheme": "internet-facing" } },
      },
    ]);
  });
});

describe("AWS add-ons: ordering and what the component hands on", () => {
  /** A resource's name, read from its URN. */
  const nameOf = async (r: pulumi.Resource) => (await valueOf(r.urn)).split("::").pop();
  const roleArnsByName = reportsOutputs("aws:iam/role:Role", (name) => ({ arn: `role/${name}` }));

  let addons: Addons;
  let resources: RecordedResource[];
  let recorder: ReturnType<typeof optionsRecorder>;
  before(async () => {
    recorder = optionsRecorder();
    resources = await capture(() => {
      addons = new Addons("addons", addonsArgs({ internalLoadBalancers: true }), {
        transformations: [...recorder.transformations, roleArnsByName],
      });
      return addons.roleArns;
    });
  });
  /** The names of the resources an add-on waits for, sorted. */
  const waitsFor = async (addon: string) => {
    const deps = await valueOf(recorder.of(ADDON_TYPE, addon)?.dependsOn ?? []);
    return (await Promise.all([deps].flat().map(nameOf))).sort();
  };

  it("starts the EBS CSI driver only once the agent serves, its role is bound and both its policies are attached", async () => {
    // Without them the controller starts without credentials or without the right to use the key, and
    // volumes fail to attach until it restarts.
    assert.deepStrictEqual(await waitsFor("addons-aws-ebs-csi-driver"), [
      "addons-ebs-csi-identity",
      "addons-ebs-csi-kms",
      "addons-ebs-csi-policy",
      "addons-eks-pod-identity-agent",
    ]);
  });

  it("restarts the VPC CNI on its own role only once the agent serves and the role is bound with the CNI policy", async () => {
    assert.deepStrictEqual(await waitsFor("addons-vpc-cni"), [
      "addons-eks-pod-identity-agent",
      "addons-vpc-cni-identity",
      "addons-vpc-cni-policy",
    ]);
  });

  it("describes each add-on role by what it runs", () => {
    const described = Object.fromEntries(
      ofType(resources, "aws:iam/role:Role").map((r) => [r.name, r.inputs.description]),
    );
    assert.deepStrictEqual(described, {
      "addons-vpc-cni-role": "VPC CNI (aws-node) of the Coder cluster",
      "addons-ebs-csi-role": "EBS CSI controller of the Coder cluster",
      "addons-lb-controller-role": "AWS Load Balancer Controller (internal NLBs only) of the Coder cluster",
    });
  });

  it("publishes each add-on's name and version", async () => {
    const published: Record<string, unknown> = {};
    for (const [key, a] of Object.entries(addons.addons))
      published[key] = [await valueOf(a.name), await valueOf(a.version)];
    assert.deepStrictEqual(
      published,
      Object.fromEntries(Object.entries(ADDON_VERSIONS).map(([addon, version]) => [addon, [addon, version]])),
    );
  });

  it("publishes the ARN of each role it created, and only those", async () => {
    assert.deepStrictEqual(
      Object.fromEntries(
        await Promise.all(Object.entries(addons.roleArns).map(async ([k, v]) => [k, await valueOf(v)])),
      ),
      {
        ebsCsi: "role/addons-ebs-csi-role",
        vpcCni: "role/addons-vpc-cni-role",
        loadBalancerController: "role/addons-lb-controller-role",
      },
    );
    const minimal = new Addons("minimal", addonsArgs({ cniPodIdentity: false }));
    assert.deepStrictEqual(Object.keys(minimal.roleArns), ["ebsCsi"]);
  });

  it("hands node groups the add-ons a node needs to become Ready: the Pod Identity agent, the CNI and kube-proxy", async () => {
    const names = await Promise.all(addons.beforeCompute.map(nameOf));
    assert.deepStrictEqual(names, ["addons-eks-pod-identity-agent", "addons-vpc-cni", "addons-kube-proxy"]);
  });
});
