// The VPC's pure builders in full: the flow-log role's trust policy as IAM receives it, and the subnet
// layout's refusal of a VPC without availability zones.
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

  it("takes VPC blocks from /16 to /28, as VPC does, and names the key of one outside", () => {
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
