// The AWS node groups as they register under the engine's mocks, their pure builders, and the policy pack's
// verdict on what they register.
import "./harness/mocks";
import * as assert from "assert";
import { NodeGroups, NodeGroupsArgs, NodePool } from "../components/aws/nodes";
import { DATA_DEVICE, launchTemplateArgs } from "../components/aws/nodes/launch-template";
import { checkPools, placementFor, releaseParameterName, updateConfig } from "../components/aws/nodes/pools";
import { POOL_CODERD, POOL_LABEL, POOL_TAINT_KEY, POOL_WORKSPACES } from "../policy-pack/contract";
import { policies } from "../policy-pack/policies";
import { runPack } from "../policy-pack/test/harness/analyzer";
import { NODE_KEY, nodeGroupsArgs, nodePool } from "./fixtures/aws-components";
import { registrationsDuring } from "./harness/deploy";
import { capture, RecordedResource } from "./harness/mocks";
import { toPolicyResources } from "./harness/policy-resources";
import { named, ofType, single } from "./harness/resources";

const deploy = (args: NodeGroupsArgs) => capture(() => new NodeGroups("nodes", args));

describe("AWS node groups", () => {
  let resources: RecordedResource[];
  before(async () => {
    resources = await deploy(nodeGroupsArgs());
  });

  it("registers one launch template and one managed node group per pool under the component", () => {
    assert.deepStrictEqual(
      ofType(resources, "coder-blueprint:aws:NodeGroups").map((r) => r.name),
      ["nodes"],
    );
    assert.deepStrictEqual(
      ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate")
        .map((r) => r.name)
        .sort(),
      ["nodes-coderd-lt", "nodes-system-lt", "nodes-ws-lt"],
    );
    assert.deepStrictEqual(
      ofType(resources, "aws:eks/nodeGroup:NodeGroup")
        .map((r) => r.name)
        .sort(),
      ["nodes-coderd", "nodes-system", "nodes-ws"],
    );
  });

  it("requires IMDSv2 with a hop limit of 1 on every launch template", () => {
    for (const lt of ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate")) {
      assert.deepStrictEqual(
        lt.inputs.metadataOptions,
        {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        lt.name,
      );
    }
  });

  it("encrypts each pool's volumes with the CMK, sizing the device its AMI family writes workload data to", () => {
    const encrypted = { encrypted: "true", kmsKeyId: NODE_KEY, deleteOnTermination: "true", volumeType: "gp3" };
    const expected: Record<string, unknown[]> = {
      "nodes-system-lt": [{ deviceName: "/dev/xvda", ebs: { ...encrypted, volumeSize: 50 } }],
      "nodes-coderd-lt": [{ deviceName: "/dev/xvda", ebs: { ...encrypted, volumeSize: 50 } }],
      // Bottlerocket: the OS volume keeps its snapshot's size; workloads write to the data volume.
      "nodes-ws-lt": [
        { deviceName: "/dev/xvda", ebs: encrypted },
        { deviceName: "/dev/xvdb", ebs: { ...encrypted, volumeSize: 200 } },
      ],
    };
    for (const [name, mappings] of Object.entries(expected)) {
      assert.deepStrictEqual(named(resources, name).inputs.blockDeviceMappings, mappings, name);
    }
  });

  it("gives nodes no SSH key, no user data, no remote access and detailed monitoring", () => {
    for (const lt of ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate")) {
      for (const field of ["keyName", "userData", "imageId", "iamInstanceProfile"]) {
        assert.ok(!(field in lt.inputs), `${lt.name} sets ${field}`);
      }
      assert.deepStrictEqual(lt.inputs.monitoring, { enabled: true });
      assert.deepStrictEqual(
        lt.inputs.tagSpecifications.map((t: { resourceType: string }) => t.resourceType),
        ["instance", "volume", "network-interface"],
      );
    }
    for (const ng of ofType(resources, "aws:eks/nodeGroup:NodeGroup")) {
      assert.strictEqual(ng.inputs.remoteAccess, undefined, ng.name);
    }
  });

  it("places nodes only in the private subnets, on the control plane's version, through its launch template", () => {
    for (const ng of ofType(resources, "aws:eks/nodeGroup:NodeGroup")) {
      assert.deepStrictEqual(ng.inputs.subnetIds, ["subnet-private-a", "subnet-private-b"]);
      assert.strictEqual(ng.inputs.version, "1.33");
      assert.strictEqual(ng.inputs.launchTemplate.id, `${ng.name}-lt-id`);
      assert.strictEqual(ng.inputs.nodeRepairConfig.enabled, true);
    }
  });

  it("labels and taints the dedicated pools, and leaves the system pool untainted for add-ons", () => {
    const system = named(resources, "nodes-system");
    assert.deepStrictEqual(system.inputs.labels, { [POOL_LABEL]: "system" });
    assert.deepStrictEqual(system.inputs.taints ?? [], []);
    for (const [name, role] of [
      ["nodes-coderd", "coderd"],
      ["nodes-ws", "workspaces"],
    ]) {
      const ng = named(resources, name);
      assert.deepStrictEqual(ng.inputs.labels, { [POOL_LABEL]: role });
      assert.deepStrictEqual(ng.inputs.taints, [{ key: POOL_TAINT_KEY, value: role, effect: "NO_SCHEDULE" }]);
    }
  });

  it("takes the update budget and a pinned release from the pool", () => {
    assert.deepStrictEqual(named(resources, "nodes-system").inputs.updateConfig, { maxUnavailable: 1 });
    assert.deepStrictEqual(named(resources, "nodes-coderd").inputs.updateConfig, { maxUnavailablePercentage: 33 });
    assert.strictEqual(named(resources, "nodes-system").inputs.releaseVersion, "1.33.0-20250101");
    assert.strictEqual(named(resources, "nodes-ws").inputs.amiType, "BOTTLEROCKET_ARM_64");
  });

  it("attaches only the worker, pull-only registry and SSM policies to the node role when the CNI has its own", () => {
    const role = single(ofType(resources, "aws:iam/role:Role"), "node role");
    assert.strictEqual(role.inputs.description, "EKS worker nodes of the Coder cluster");
    // Only EC2 instances (the nodes) may assume it.
    assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    assert.deepStrictEqual(
      ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((a) => a.inputs.policyArn)
        .sort(),
      [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      ],
    );
  });

  it("refuses a bad pool list before it registers anything", async () => {
    const registered = await registrationsDuring(() => {
      new NodeGroups("bad", nodeGroupsArgs({ pools: [nodePool(), nodePool()] }));
      return Promise.resolve();
    });
    assert.match(String(registered.error), /declared twice/);
    assert.deepStrictEqual(
      registered.registered.filter((r) => r.startsWith("aws:")),
      [],
    );
  });

  it("adds the CNI policy to the node role only when the CNI runs on it", async () => {
    const withCni = await deploy(nodeGroupsArgs({ cniOnNodeRole: true }));
    const arns = ofType(withCni, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn);
    assert.ok(arns.includes("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"), arns.join(", "));
  });

  it("publishes each pool role's placement for the Kubernetes layer", async () => {
    let placements: unknown;
    await capture(() => {
      const nodes = new NodeGroups("nodes", nodeGroupsArgs());
      placements = nodes.placements;
      return nodes.nodeRoleArn;
    });
    assert.deepStrictEqual(placements, {
      system: { nodeSelector: { [POOL_LABEL]: "system" }, tolerations: [] },
      coderd: {
        nodeSelector: { [POOL_LABEL]: "coderd" },
        tolerations: [{ key: POOL_TAINT_KEY, operator: "Equal", value: "coderd", effect: "NoSchedule" }],
      },
      workspaces: {
        nodeSelector: { [POOL_LABEL]: "workspaces" },
        tolerations: [{ key: POOL_TAINT_KEY, operator: "Equal", value: "workspaces", effect: "NoSchedule" }],
      },
    });
  });

  it("passes the whole policy pack, and a template with hop limit 2 or an SSH key is caught", async () => {
    const run = (recorded: RecordedResource[]) =>
      runPack(policies, toPolicyResources(recorded, "dev"), { stack: "dev" }).then((vs) =>
        vs.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName),
      );
    assert.deepStrictEqual(await run(resources), []);
    const mutated = resources.map((r) =>
      r.name === "nodes-ws-lt"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              keyName: "ops",
              metadataOptions: { ...r.inputs.metadataOptions, httpPutResponseHopLimit: 2 },
            },
          }
        : r,
    );
    assert.deepStrictEqual((await run(mutated)).sort(), ["node-imds-exposed", "node-remote-access"]);
  });
});

describe("AWS node group builders", () => {
  it("maps AMI families to the device holding workload data", () => {
    assert.deepStrictEqual(DATA_DEVICE, { al2023: "/dev/xvda", bottlerocket: "/dev/xvdb" });
    const args = (amiType: NodePool["amiType"]) =>
      launchTemplateArgs({ name: "n", amiType, kmsKeyArn: NODE_KEY, volumeSizeGiB: 20, tags: {} }) as any;
    assert.deepStrictEqual(
      args("BOTTLEROCKET_x86_64_FIPS").blockDeviceMappings.map((m: { deviceName: string }) => m.deviceName),
      ["/dev/xvda", "/dev/xvdb"],
    );
    assert.strictEqual(args("BOTTLEROCKET_x86_64_FIPS").blockDeviceMappings[1].ebs.volumeSize, 20);
    assert.strictEqual(args("AL2023_ARM_64_NVIDIA").blockDeviceMappings[0].deviceName, "/dev/xvda");
  });

  it("refuses a data volume under 20 GiB", () => {
    assert.throws(
      () =>
        launchTemplateArgs({
          name: "n",
          amiType: "BOTTLEROCKET_x86_64",
          kmsKeyArn: NODE_KEY,
          volumeSizeGiB: 8,
          tags: {},
        }),
      /at least 20/,
    );
  });

  it("names the SSM parameter of the recommended release for each AMI type", () => {
    assert.strictEqual(
      releaseParameterName("AL2023_x86_64_STANDARD", "1.33"),
      "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version",
    );
    assert.strictEqual(
      releaseParameterName("AL2023_ARM_64_NVIDIA", "1.32"),
      "/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/arm64/nvidia/recommended/release_version",
    );
    assert.strictEqual(
      releaseParameterName("BOTTLEROCKET_x86_64", "1.33"),
      "/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_version",
    );
    assert.strictEqual(
      releaseParameterName("BOTTLEROCKET_ARM_64_FIPS", "1.31"),
      "/aws/service/bottlerocket/aws-k8s-1.31-fips/arm64/latest/image_version",
    );
    assert.strictEqual(
      releaseParameterName("BOTTLEROCKET_ARM_64", "1.33"),
      "/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_version",
    );
    assert.strictEqual(
      releaseParameterName("BOTTLEROCKET_ARM_64_NVIDIA", "1.33"),
      "/aws/service/bottlerocket/aws-k8s-1.33-nvidia/arm64/latest/image_version",
    );
    assert.throws(() => releaseParameterName("AL2023_x86_64_STANDARD", "1.33.2"), /minor/);
  });

  it("builds tolerations that match the node group's taint", () => {
    assert.deepStrictEqual(placementFor(POOL_CODERD).tolerations, [
      { key: "coder-blueprint/pool", operator: "Equal", value: "coderd", effect: "NoSchedule" },
    ]);
  });

  it("bounds the update budget", () => {
    assert.deepStrictEqual(updateConfig(nodePool({ maxUnavailable: { percentage: 25 } })), {
      maxUnavailablePercentage: 25,
    });
    assert.throws(() => updateConfig(nodePool({ maxUnavailable: { count: 0 } })), /1 to 100/);
    assert.throws(() => updateConfig(nodePool({ maxUnavailable: { percentage: 101 } })), /1 to 100/);
  });

  it("takes an update budget of 1 to 100 nodes, both ends included, and names the count it refuses", () => {
    assert.deepStrictEqual(updateConfig(nodePool({ maxUnavailable: { count: 100 } })), { maxUnavailable: 100 });
    assert.throws(() => updateConfig(nodePool({ maxUnavailable: { count: 101 } })), {
      message: "pool system: maxUnavailable.count must be an integer from 1 to 100 (got 101)",
    });
  });

  it("takes an update budget of 1 to 100 whole percent, and names the percentage it refuses", () => {
    assert.deepStrictEqual(updateConfig(nodePool({ maxUnavailable: { percentage: 1 } })), {
      maxUnavailablePercentage: 1,
    });
    for (const percentage of [0, 12.5]) {
      assert.throws(
        () => updateConfig(nodePool({ maxUnavailable: { percentage } })),
        { message: `pool system: maxUnavailable.percentage must be an integer from 1 to 100 (got ${percentage})` },
        String(percentage),
      );
    }
  });

  it("refuses pool lists without a system pool, with duplicates or with inverted sizes", () => {
    assert.doesNotThrow(() => checkPools([nodePool()]));
    assert.throws(() => checkPools([nodePool({ name: "ws", role: POOL_WORKSPACES })]), /role "system"/);
    assert.throws(() => checkPools([nodePool(), nodePool()]), /declared twice/);
    assert.throws(() => checkPools([nodePool({ minSize: 3, desiredSize: 2 })]), /min <= desired/);
    assert.throws(
      () => checkPools([nodePool({ release: { channel: "pinned", releaseVersion: " " } })]),
      /releaseVersion/,
    );
  });

  it("resolves a tracked release through SSM rather than inventing one", async () => {
    const resources = await deploy(nodeGroupsArgs());
    const tracked = named(resources, "nodes-ws");
    // Under mocks the SSM lookup echoes the request, so no release value exists to pass on.
    assert.strictEqual(tracked.inputs.releaseVersion, undefined);
  });
});
