// The VPC's pure builders in full: the flow-log role's trust policy as IAM receives it, the subnet layout's
// refusal of a VPC without availability zones, its public subnets' size bound and its pod range's overlap.
import * as assert from "assert";
import { flowLogTrustPolicy } from "../components/aws/network/flow-log-policy";
import { subnetLayout, SubnetLayoutInput } from "../components/aws/network/layout";

describe("aws network: flow log trust policy document", () => {
  it("is exactly one named statement trusting the flow-logs service for this account's flow logs", () => {
    assert.deepStrictEqual(
      flowLogTrustPolicy({ partition: "aws-cn", accountId: "444455556666", region: "cn-north-1" }),
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "FlowLogsOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": "444455556666" },
              ArnLike: { "aws:SourceArn": "arn:aws-cn:ec2:cn-north-1:444455556666:vpc-flow-log/*" },
            },
          },
        ],
      },
    );
  });
});

describe("aws network: subnet layout without zones", () => {
  const input: SubnetLayoutInput = {
    vpcCidr: "10.0.0.0/16",
    azCount: 2,
    privateSubnetPrefix: 19,
    publicSubnetPrefix: 24,
    publicSubnets: true,
  };

  it("lays out one availability zone", () => {
    assert.deepStrictEqual(subnetLayout({ ...input, azCount: 1 }).private, ["10.0.0.0/19"]);
  });

  it("takes VPC blocks from /16 to /28, as VPC does, for the VPC and the pod range, and names the key of one outside", () => {
    assert.deepStrictEqual(
      subnetLayout({
        vpcCidr: "10.0.0.0/28",
        azCount: 1,
        privateSubnetPrefix: 28,
        publicSubnetPrefix: 28,
        publicSubnets: false,
      }).private,
      ["10.0.0.0/28"],
    );
    for (const vpcCidr of ["10.0.0.0/15", "10.0.0.0/29"]) {
      assert.throws(
        () => subnetLayout({ ...input, vpcCidr }),
        (e: Error) => e.message === `VPC CIDR ${vpcCidr} must be an IPv4 block from /16 to /28`,
        vpcCidr,
      );
    }
    for (const podCidr of ["100.64.0.0/15", "100.64.0.0/29"]) {
      assert.throws(
        () => subnetLayout({ ...input, podCidr, podSubnetPrefix: 28 }),
        (e: Error) => e.message === `pod CIDR ${podCidr} must be an IPv4 block from /16 to /28`,
        podCidr,
      );
    }
  });

  it("refuses zero or a negative count of availability zones", () => {
    for (const azCount of [0, -1]) {
      assert.throws(
        () => subnetLayout({ ...input, azCount }),
        (e: Error) => e.message === "subnet layout: at least one availability zone",
        String(azCount),
      );
    }
  });
});

describe("aws network: subnet layout's sizes and ranges", () => {
  const input: SubnetLayoutInput = {
    vpcCidr: "10.0.0.0/16",
    azCount: 2,
    privateSubnetPrefix: 20,
    publicSubnetPrefix: 20,
    publicSubnets: true,
  };

  it("takes public subnets as large as the private ones, right after them", () => {
    const layout = subnetLayout(input);
    assert.deepStrictEqual(layout.private, ["10.0.0.0/20", "10.0.16.0/20"]);
    assert.deepStrictEqual(layout.public, ["10.0.32.0/20", "10.0.48.0/20"]);
  });

  it("names both sizes when the public subnets are larger than the private ones", () => {
    assert.throws(() => subnetLayout({ ...input, publicSubnetPrefix: 19 }), {
      message: "public subnets (/19) must not be larger than private ones (/20)",
    });
  });

  it("refuses a pod range that overlaps a VPC range taken from the same shared space", () => {
    const shared = { ...input, vpcCidr: "100.64.0.0/16", podSubnetPrefix: 19 };
    assert.throws(() => subnetLayout({ ...shared, podCidr: "100.64.128.0/17" }), {
      message: "pod CIDR 100.64.128.0/17 overlaps the VPC CIDR 100.64.0.0/16",
    });
    assert.deepStrictEqual(subnetLayout({ ...shared, podCidr: "100.65.0.0/16" }).pods, [
      "100.65.0.0/19",
      "100.65.32.0/19",
    ]);
  });
});
